"""Replacing the publication folder so that no one ever sees it half-written.

Each build is written into a new versioned folder beside the output, `.OUT.build-XXXX`;
`OUT` itself is a symbolic link to the current one. The swap is one atomic step: a new link
is made under a temporary name and renamed over `OUT`. A build killed at any moment leaves
`OUT` pointing at the complete old build or the complete new one; what it leaves behind (a
half-written versioned folder, a temporary link) is removed by the next build. A lock
(`.OUT.lock`, via filelock) keeps two builds from writing the same output at once.

Guard: `llmboom build` replaces an output folder whole, so it refuses a folder that is
neither absent, nor empty, nor marked as a previous build (it holds the file `MARKER`).
This protects a user who types `--out ~` or `--out .`. An `OUT` written by an older version
(a real folder holding `MARKER`) is moved aside once and replaced by the link.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Final

from llmboom.errors import LlmboomError

#: The file that marks a folder as written by `llmboom build`.
MARKER = ".llmboom-build"
MARKER_TEXT = (
    "This folder was written by `llmboom build`.\n"
    "The next build replaces it whole: do not keep other files here.\n"
)
#: How long a build waits for another build of the same output to finish, in seconds.
LOCK_TIMEOUT: Final = 300.0


class OutputFolderError(LlmboomError):
    """The output folder cannot be replaced safely."""

    exit_code = 2


def _version_prefix(out_dir: Path) -> str:
    return f".{out_dir.name}.build-"


def _link_prefix(out_dir: Path) -> str:
    return f".{out_dir.name}.link-"


def lock_path(out_dir: Path) -> Path:
    """The lock file that serialises builds of `out_dir`."""
    return out_dir.parent / f".{out_dir.name}.lock"


def current_version(out_dir: Path) -> Path | None:
    """The versioned folder `out_dir` links to, when it is a link made by a build."""
    if not out_dir.is_symlink():
        return None
    target = os.readlink(out_dir)
    if os.sep in target or not target.startswith(_version_prefix(out_dir)):
        return None
    return out_dir.parent / target


def check_output_folder(out_dir: Path) -> None:
    """Raise `OutputFolderError` unless `out_dir` is absent, empty, or a previous build."""
    if out_dir.is_symlink():
        if current_version(out_dir) is None:
            raise OutputFolderError(
                f"{out_dir}: is a symbolic link not made by llmboom build; give the folder "
                "it points to, or another folder"
            )
        return
    if not out_dir.exists():
        return
    if not out_dir.is_dir():
        raise OutputFolderError(f"{out_dir}: exists and is not a folder")
    if (out_dir / MARKER).is_file():
        return
    if any(out_dir.iterdir()):
        raise OutputFolderError(
            f"{out_dir}: not empty and not a previous llmboom build (no {MARKER} file); "
            "the build replaces its output folder whole, so choose an empty or new folder"
        )


def write_file(path: Path, data: bytes) -> None:
    """Write `data` to `path` in a staging folder, creating its folder. No temporary file:
    the folder is new and private to this build until `staged_folder` swaps it in whole."""
    try:
        path.write_bytes(data)
    except FileNotFoundError:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def staged_folder(out_dir: Path) -> Iterator[Path]:
    """Yield an empty new versioned folder; when the block succeeds, `out_dir` links to it.

    The caller writes the whole publication into the yielded folder. On an exception the
    folder is removed and `out_dir` is untouched. Raise `OutputFolderError` when the output
    cannot be written (naming the path and the reason) or another build holds the lock.
    """
    from llmboom.errors import LockTimeoutError
    from llmboom.files.replace import exclusive_lock

    held = ExitStack()  # the lock, released when the block ends
    out_dir = Path(os.path.abspath(out_dir))
    check_output_folder(out_dir)
    ancestor = out_dir.parent
    while not ancestor.exists() and ancestor != ancestor.parent:
        ancestor = ancestor.parent
    if not ancestor.is_dir():
        raise OutputFolderError(f"{ancestor}: is not a folder; cannot write {out_dir} there")
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        with open(lock_path(out_dir), "a"):  # fails here, clearly, where nothing may be written
            pass
        held.enter_context(exclusive_lock(lock_path(out_dir), LOCK_TIMEOUT))
    except LockTimeoutError:
        raise OutputFolderError(
            f"{out_dir}: another llmboom build is still writing it (lock {lock_path(out_dir)})"
        ) from None
    except OSError as error:
        raise _cannot_write(out_dir, error) from None
    try:
        remove_leftovers(out_dir)
        stage = Path(tempfile.mkdtemp(prefix=_version_prefix(out_dir), dir=out_dir.parent))
        try:
            stage.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a publication is not
            yield stage
            write_file(stage / MARKER, MARKER_TEXT.encode())
            switch_link(out_dir, stage)
        except BaseException:
            shutil.rmtree(stage, ignore_errors=True)
            raise
        remove_leftovers(out_dir)
    except OSError as error:
        raise _cannot_write(out_dir, error) from None
    finally:
        held.close()


def _cannot_write(out_dir: Path, error: OSError) -> OutputFolderError:
    where = error.filename or out_dir
    return OutputFolderError(f"{where}: cannot write the build: {error.strerror or error}")


def switch_link(out_dir: Path, version: Path) -> None:
    """Point `out_dir` at `version` in one rename (a real folder is first moved aside)."""
    from llmboom.files.replace import sync_folder

    if out_dir.exists() and not out_dir.is_symlink():  # a build by an older llmboom
        aside = Path(tempfile.mkdtemp(prefix=_version_prefix(out_dir), dir=out_dir.parent))
        aside.rmdir()
        os.rename(out_dir, aside)
    link = Path(tempfile.mktemp(prefix=_link_prefix(out_dir), dir=out_dir.parent))
    os.symlink(version.name, link)
    try:
        os.replace(link, out_dir)
    except BaseException:
        link.unlink(missing_ok=True)
        raise
    sync_folder(out_dir.parent)


def remove_leftovers(out_dir: Path) -> None:
    """Remove versioned folders and temporary links that `out_dir` does not point to.

    Call only while holding the lock: the leftovers are those of builds that were killed
    or replaced.
    """
    current = current_version(out_dir)
    name = out_dir.name  # staging and old folders: what builds before the link left
    prefixes = (
        _version_prefix(out_dir),
        _link_prefix(out_dir),
        f".{name}.staging-",
        f".{name}.old-",
    )
    for entry in out_dir.parent.iterdir():
        if not entry.name.startswith(prefixes) or entry == current:
            continue
        if entry.is_dir() and not entry.is_symlink():
            shutil.rmtree(entry, ignore_errors=True)
        else:
            entry.unlink(missing_ok=True)
