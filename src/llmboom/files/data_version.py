"""The data version: one name for "what the published answers are made from".

Every answer of the server (pages, downloads, `/id/` documents, SPARQL results) is a
function of the request and of the project's inputs: the files under `data/`, `ontology/`
and `queries/`, the base IRI, and llmboom itself. `data_version(project)` names those
inputs with a short digest (`tag`) and says when they last changed (`modified`: the last
apply or edit of a file). HTTP validators (`web.http_cache`) and the result cache
(`web.result_cache`) key on it; an applied submission rewrites files in `data/`, so it
changes the tag.

It is computed from file names, sizes and modification times (the persisted store's
`fingerprint` plus the queries), never from the triples: a few `stat` calls, cheap enough
to check every second or two for changes made outside the server.
"""

from __future__ import annotations

import hashlib
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from llmboom.project import Project


#: Bump when what a persisted store holds, or how, changes: old stores are then rebuilt.
LAYOUT_VERSION = 1


@dataclass(frozen=True)
class DataVersion:
    """A version of the project's inputs."""

    tag: str  #: hex digest of the inputs (names, sizes, mtimes, base IRI, llmboom version)
    modified: float  #: seconds since the epoch, whole: when an input last changed


def data_version(project: Project) -> DataVersion:
    """The version of `project`'s inputs as they are on disk now."""
    from llmboom import __version__

    inputs = fingerprint(project)  # data/ and ontology/, base IRI, store layout
    queries = _files(project.queries_dir, project.root)
    inputs["queries"] = queries
    inputs["llmboom"] = __version__
    digest = hashlib.sha256(json.dumps(inputs, sort_keys=True).encode()).hexdigest()[:24]
    newest = max((mtime for _, _, mtime in [*inputs["files"], *queries]), default=0)
    return DataVersion(tag=digest, modified=float(math.ceil(newest / 1e9)))


def later_than(version: DataVersion, previous: DataVersion | None) -> DataVersion:
    """`version`, its `modified` moved past `previous.modified` when both fall in the same
    second: a client's `If-Modified-Since` of the old version must not match the new one."""
    if previous is None or version.tag == previous.tag or version.modified > previous.modified:
        return version
    return DataVersion(tag=version.tag, modified=previous.modified + 1)


def _files(folder: Path, root: Path) -> list[list]:
    """[name, size, mtime in ns] of every file under `folder` (none if it is absent)."""
    found = []
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                stat = path.stat()
                found.append([path.relative_to(root).as_posix(), stat.st_size, stat.st_mtime_ns])
    return found


def fingerprint(project: Project) -> dict:
    """What a persisted store depends on: every file under data/ and ontology/ (relative
    name, size, mtime in ns), the base IRI and the layout version."""
    files = []
    for folder in (project.data_dir, project.ontology_dir):
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                stat = path.stat()
                name = path.relative_to(project.root).as_posix()
                files.append([name, stat.st_size, stat.st_mtime_ns])
    return {"layout": LAYOUT_VERSION, "base": project.base_iri, "files": files}
