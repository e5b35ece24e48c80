"""Writing a file whole or not at all: a temporary file beside it, then a rename.

The one writer of files for every command (`export -o`, the build's files, submissions).
"""

from __future__ import annotations

import os
import stat
import tempfile
from pathlib import Path

from llmboom.errors import OutputError


def check_replaceable(path: Path) -> None:
    """Raise `OutputError` unless `path` is absent or a writable regular file.

    A rename would silently replace a FIFO, a device, a symbolic link or a read-only file
    by a regular file: none of them is what a user means to overwrite.
    """
    try:
        info = os.lstat(path)
    except FileNotFoundError:
        return
    except OSError as error:
        raise OutputError(f"{path}: {error.strerror or error}") from None
    kind = file_kind(info.st_mode)
    if kind:
        raise OutputError(f"{path}: is {kind}, not a regular file; refusing to replace it")
    if not info.st_mode & 0o222:
        raise OutputError(f"{path}: is read-only; refusing to replace it")


def file_kind(mode: int) -> str | None:
    """What a file of `mode` is, in words (`a named pipe (FIFO)`), or None for a regular file."""
    kinds = {
        stat.S_ISLNK: "a symbolic link",
        stat.S_ISDIR: "a folder",
        stat.S_ISFIFO: "a named pipe (FIFO)",
        stat.S_ISCHR: "a character device",
        stat.S_ISBLK: "a block device",
        stat.S_ISSOCK: "a socket",
    }
    return next((name for test, name in kinds.items() if test(mode)), None)


def write_bytes_atomically(path: Path, data: bytes, *, make_parents: bool = False) -> None:
    """Write `data` to `path` so that readers see the old file or the new one, never a part.

    The new file keeps the permissions of the one it replaces (a new file gets what the
    umask allows). `make_parents` creates missing folders. Raises `OSError`; on failure the
    temporary file is removed.
    """
    directory = path.parent if str(path.parent) else Path(".")
    if make_parents:
        directory.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, _file_mode(path))
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _file_mode(path: Path) -> int:
    """The mode of the file being replaced, else what the umask gives a new file."""
    try:
        return path.stat().st_mode & 0o777
    except OSError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask
