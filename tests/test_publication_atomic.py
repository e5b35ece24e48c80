"""Atomic writing: whole files, a folder swapped in whole, and the output-folder guard."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from llmboom.publication.atomic import (
    MARKER,
    OutputFolderError,
    check_output_folder,
    staged_folder,
    write_file,
)


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
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


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
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


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
    with pytest.raises(OutputFolderError, match="symbolic link"):
        check_output_folder(tmp_path / "link")
