"""Writing the publication so that no one ever sees it half-written.

Each file is written to a temporary name and renamed into place. The whole publication is
built in a staging folder beside the output folder (same filesystem) and swapped in with two
renames at the end; a failure before the swap removes the staging folder and leaves the old
output exactly as it was.

Guard: `llmboom build` replaces an output folder whole, so it refuses a folder that is
neither absent, nor empty, nor marked as a previous build (it holds the file `MARKER`).
This protects a user who types `--out ~` or `--out .`.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from llmboom.atomic_write import write_bytes_atomically
from llmboom.errors import LlmboomError

#: The file that marks a folder as written by `llmboom build`.
MARKER = ".llmboom-build"
MARKER_TEXT = (
    "This folder was written by `llmboom build`.\n"
    "The next build replaces it whole: do not keep other files here.\n"
)


class OutputFolderError(LlmboomError):
    """The output folder cannot be replaced safely."""

    exit_code = 2


def check_output_folder(out_dir: Path) -> None:
    """Raise `OutputFolderError` unless `out_dir` is absent, empty, or a previous build."""
    if out_dir.is_symlink():
        raise OutputFolderError(
            f"{out_dir}: is a symbolic link; give the folder it points to, or another folder"
        )
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
    """Write `data` to `path` (creating its folder) whole or not at all."""
    path.parent.mkdir(parents=True, exist_ok=True)
    write_bytes_atomically(path, data)


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextmanager
def staged_folder(out_dir: Path) -> Iterator[Path]:
    """Yield an empty staging folder; when the block succeeds, it replaces `out_dir`.

    The caller writes the whole publication into the yielded folder. On an exception the
    staging folder is removed and `out_dir` is untouched.
    """
    out_dir = Path(os.path.abspath(out_dir))
    check_output_folder(out_dir)
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    stage = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.staging-", dir=out_dir.parent))
    try:
        stage.chmod(0o777 & ~_umask())  # mkdtemp makes it private; a publication is not
        yield stage
        write_file(stage / MARKER, MARKER_TEXT.encode())
        swap_into_place(stage, out_dir)
    except BaseException:
        shutil.rmtree(stage, ignore_errors=True)
        raise


def swap_into_place(stage: Path, out_dir: Path) -> None:
    """Replace `out_dir` by `stage` with renames; restore the old folder if that fails.

    Between the two renames `out_dir` is briefly absent, never partial.
    """
    if not out_dir.exists():
        os.rename(stage, out_dir)
        return
    retired = Path(tempfile.mkdtemp(prefix=f".{out_dir.name}.old-", dir=out_dir.parent))
    retired.rmdir()  # only the unique name is wanted
    os.rename(out_dir, retired)
    try:
        os.rename(stage, out_dir)
    except BaseException:
        os.rename(retired, out_dir)
        raise
    shutil.rmtree(retired, ignore_errors=True)
