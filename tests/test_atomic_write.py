"""Writing a file whole or not at all."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from llmboom.atomic_write import write_bytes_atomically


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


def test_missing_folder_raises_os_error(tmp_path: Path) -> None:
    with pytest.raises(OSError):
        write_bytes_atomically(tmp_path / "absent" / "out.ttl", b"x")
    assert not (tmp_path / "absent").exists()
