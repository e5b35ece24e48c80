"""Writing a file whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from llmboom.errors import LockTimeoutError
from llmboom.files.replace import (
    exclusive_lock,
    move_folder_into_place,
    write_atomically,
    write_bytes_atomically,
)


def test_replaces_content_and_keeps_permissions(tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    target.write_bytes(b"old")
    target.chmod(0o640)
    write_bytes_atomically(target, b"new")
    assert target.read_bytes() == b"new"
    assert target.stat().st_mode & 0o777 == 0o640
    assert sorted(os.listdir(tmp_path)) == ["out.ttl"]


def test_a_failed_write_leaves_nothing_behind(tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    target.write_bytes(b"old")

    with pytest.raises(TypeError):  # not bytes: the write fails after the temp file exists
        write_bytes_atomically(target, None)  # type: ignore[arg-type]
    assert target.read_bytes() == b"old"
    assert sorted(os.listdir(tmp_path)) == ["out.ttl"]


def test_a_streaming_writer_is_replaced_whole_or_not_at_all(tmp_path: Path) -> None:
    target = tmp_path / "out.ttl"
    target.write_bytes(b"old")
    seen: list[bytes] = []

    def half_then_fail(stream) -> None:
        stream.write(b"half of it")
        stream.flush()
        seen.append(next(p for p in tmp_path.iterdir() if p != target).read_bytes())
        raise RuntimeError("the writer failed")

    with pytest.raises(RuntimeError, match="the writer failed"):
        write_atomically(target, half_then_fail)
    assert seen == [b"half of it"]  # it was written beside the target, not into it
    assert target.read_bytes() == b"old"
    assert sorted(os.listdir(tmp_path)) == ["out.ttl"]
    write_atomically(target, lambda stream: (stream.write(b"new "), stream.write(b"bytes")))
    assert target.read_bytes() == b"new bytes"


def test_missing_folder_raises_os_error(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        write_bytes_atomically(tmp_path / "absent" / "out.ttl", b"x")
    assert not (tmp_path / "absent").exists()


def _folder(path: Path, files: dict[str, str]) -> Path:
    path.mkdir()
    for name, text in files.items():
        (path / name).write_text(text)
    return path


def test_a_folder_replaces_the_old_one_whole(tmp_path: Path) -> None:
    target = _folder(tmp_path / "db", {"a": "old", "gone": "old"})
    fresh = _folder(tmp_path / "db.building", {"a": "new"})
    assert move_folder_into_place(fresh, target)
    assert sorted(p.name for p in target.iterdir()) == ["a"]
    assert (target / "a").read_text() == "new"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db"]  # nothing aside is left


def test_a_folder_already_in_place_is_kept_when_not_replacing(tmp_path: Path) -> None:
    target = _folder(tmp_path / "documents", {"a": "first"})
    fresh = _folder(tmp_path / ".documents.123", {"a": "second"})
    assert not move_folder_into_place(fresh, target, replace=False)
    assert (target / "a").read_text() == "first" and not fresh.exists()
    assert move_folder_into_place(_folder(tmp_path / "x", {"b": "1"}), tmp_path / "new")
    assert (tmp_path / "new" / "b").read_text() == "1"


def test_the_lock_refuses_a_second_holder_with_its_message(tmp_path: Path) -> None:
    import subprocess
    import sys

    lock = tmp_path / "data.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_LOCK, str(lock)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "held\n"
        with (
            pytest.raises(LockTimeoutError, match=r"^busy: try later$"),
            exclusive_lock(lock, 0.2, "busy: try later"),
        ):
            pass
    finally:
        holder.kill()
        holder.wait()
    with exclusive_lock(lock, 5):  # free once its holder is gone
        pass


#: Holds the lock file argv[1] until killed.
HOLD_LOCK = """
import sys, time
from llmboom.files.replace import exclusive_lock
with exclusive_lock(__import__("pathlib").Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(60)
"""
