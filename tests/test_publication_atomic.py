"""Atomic writing: whole files, a folder swapped in whole, and the output-folder guard."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from llmboom.publication.atomic import (
    MARKER,
    OutputFolderError,
    check_output_folder,
    current_version,
    lock_path,
    staged_folder,
    write_file,
)


def _beside(out: Path) -> list[str]:
    """What the parent of `out` holds, the current versioned folder shown as VERSION."""
    current = current_version(out)
    return sorted("VERSION" if p == current else p.name for p in out.parent.iterdir())


def test_write_file_leaves_no_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / "sub" / "a.txt"
    write_file(target, b"one")
    write_file(target, b"two")
    assert target.read_bytes() == b"two"
    assert [p.name for p in target.parent.iterdir()] == ["a.txt"]


def test_staged_folder_replaces_the_output_whole(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    with staged_folder(out) as stage:
        write_file(stage / "a.txt", b"first")
        assert not out.exists(), "nothing appears before the swap"
    with staged_folder(out) as stage:
        write_file(stage / "b.txt", b"second")
        assert (out / "a.txt").read_bytes() == b"first", "the old build stays until the swap"
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "b.txt"]
    assert out.is_symlink() and out.is_dir()
    assert _beside(out) == [lock_path(out).name, "VERSION", "dist"]


def test_the_published_folder_is_not_private(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    with staged_folder(out) as stage:
        write_file(stage / "a.txt", b"x")
    mask = os.umask(0)
    os.umask(mask)
    assert out.stat().st_mode & 0o777 == 0o777 & ~mask


def test_an_error_inside_leaves_the_old_folder(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    with staged_folder(out) as stage:
        write_file(stage / "a.txt", b"old")
    with pytest.raises(ValueError), staged_folder(out) as stage:
        write_file(stage / "a.txt", b"new")
        raise ValueError("boom")
    assert (out / "a.txt").read_bytes() == b"old"
    assert _beside(out) == [lock_path(out).name, "VERSION", "dist"]


def test_guard_accepts_absent_empty_and_marked_folders(tmp_path: Path) -> None:
    check_output_folder(tmp_path / "absent")
    (tmp_path / "empty").mkdir()
    check_output_folder(tmp_path / "empty")
    (tmp_path / "marked").mkdir()
    (tmp_path / "marked" / MARKER).write_text("x")
    (tmp_path / "marked" / "other").write_text("x")
    check_output_folder(tmp_path / "marked")


def test_guard_refuses_a_foreign_folder_a_file_and_a_link(tmp_path: Path) -> None:
    (tmp_path / "home").mkdir()
    (tmp_path / "home" / ".bashrc").write_text("x")
    with pytest.raises(OutputFolderError, match="not a previous llmboom build"):
        check_output_folder(tmp_path / "home")
    (tmp_path / "file").write_text("x")
    with pytest.raises(OutputFolderError, match="not a folder"):
        check_output_folder(tmp_path / "file")
    (tmp_path / "link").symlink_to(tmp_path / "home")
    with pytest.raises(OutputFolderError, match="symbolic link not made by llmboom build"):
        check_output_folder(tmp_path / "link")


def test_a_build_of_an_older_version_is_replaced_by_the_link(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    out.mkdir()
    (out / MARKER).write_text("x")
    (out / "old.txt").write_text("old")
    with staged_folder(out) as stage:
        write_file(stage / "new.txt", b"new")
    assert sorted(p.name for p in out.iterdir()) == [MARKER, "new.txt"]
    assert _beside(out) == [lock_path(out).name, "VERSION", "dist"]


def test_leftovers_of_killed_builds_are_removed_by_the_next_one(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    with staged_folder(out) as stage:
        write_file(stage / "a.txt", b"a")
    for leftover in (".dist.build-killed", ".dist.staging-old", ".dist.old-x"):
        (tmp_path / leftover).mkdir()
        (tmp_path / leftover / "half.txt").write_text("half")
    (tmp_path / ".dist.link-tmp").symlink_to(".dist.build-killed")
    (tmp_path / "unrelated").mkdir()
    with staged_folder(out) as stage:
        write_file(stage / "b.txt", b"b")
    assert _beside(out) == [lock_path(out).name, "VERSION", "dist", "unrelated"]


def test_a_second_build_waits_for_the_lock(tmp_path: Path, monkeypatch) -> None:
    from filelock import FileLock

    from llmboom.publication import atomic

    out = tmp_path / "dist"
    monkeypatch.setattr(atomic, "LOCK_TIMEOUT", 0.2)
    refused = pytest.raises(OutputFolderError, match="another llmboom build")
    with FileLock(lock_path(out)), refused, staged_folder(out):
        pass
    assert not out.exists()


def test_an_unwritable_place_is_one_clear_error(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("x")
    refused = pytest.raises(OutputFolderError, match=r"/file: is not a folder")
    with refused, staged_folder(tmp_path / "file" / "dist"):
        pass
