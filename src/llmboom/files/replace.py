"""Replacing files and folders whole, and the one lock: what every writer uses.

- `write_bytes_atomically` (and `write_atomically`, for a writer that streams): a file whole
  or not at all (a temporary file beside it, then a rename); `export -o`, the build's and the
  server's files.
- `move_folder_into_place`: a folder written beside its target becomes the target in one
  rename (an old one moved aside first, then removed), synced to disk; submissions, the
  persisted store, the server's documents. The build's output swaps a symbolic link instead
  (`publication.atomic`), on top of the same lock.
- `exclusive_lock`: an exclusive lock file (the `filelock` library: portable, released when
  its process dies), with a wait limit; `submit --apply`, the build, the persisted store.
"""

from __future__ import annotations

import os
import shutil
import stat
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import BinaryIO

from llmboom.errors import LockTimeoutError, OutputError


@contextmanager
def exclusive_lock(path: Path, timeout: float = -1, busy: str = "") -> Iterator[None]:
    """Hold the lock file `path` for the block; `LockTimeoutError` (with `busy`, or a line
    naming the file) when another process holds it longer than `timeout` seconds (-1: wait
    as long as it takes)."""
    from filelock import FileLock, Timeout

    lock = FileLock(path, timeout=timeout)
    try:
        lock.acquire()
    except Timeout:
        raise LockTimeoutError(busy or f"{path}: held by another process") from None
    try:
        yield
    finally:
        lock.release()


def move_folder_into_place(fresh: Path, target: Path, *, replace: bool = True) -> bool:
    """Make the complete folder `fresh` (beside `target`) into `target` in one rename, and
    sync the parent folder. A folder already at `target` is moved aside and removed when
    `replace`; else it stays, `fresh` is removed and the answer is False (another writer
    was first). Readers see the old folder or the new one, never a mix."""
    old = target.with_name(f".{target.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    if target.exists():
        if not replace:
            shutil.rmtree(fresh, ignore_errors=True)
            return False
        os.replace(target, old)
    os.replace(fresh, target)
    sync_folder(target.parent)
    shutil.rmtree(old, ignore_errors=True)
    return True


def sync_folder(folder: Path) -> None:
    """Flush `folder`'s entries (names made or renamed in it) to disk, where the platform
    allows it."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)


def write_synced(path: Path, data: bytes) -> None:
    """Write `data` to the new file `path` (in a folder not yet in place) and flush it to
    disk before it is moved into place."""
    with open(path, "wb") as stream:
        stream.write(data)
        stream.flush()
        os.fsync(stream.fileno())


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
    write_atomically(path, lambda stream: stream.write(data), make_parents=make_parents)


def write_atomically(
    path: Path, write: Callable[[BinaryIO], object], *, make_parents: bool = False
) -> None:
    """Give `write` a stream whose bytes become `path` whole once it returns, as
    `write_bytes_atomically` does; whatever `write` raises leaves `path` as it was (the
    temporary file removed) and is raised again."""
    directory = path.parent if str(path.parent) else Path(".")
    if make_parents:
        directory.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            write(stream)
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
