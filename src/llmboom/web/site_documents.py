"""The publication's whole-dataset documents, for the server: made once, in files.

The downloads (the dataset and the ontology in every format), `void.ttl`, the landing page
and the search index need every triple (serialisations, counts, checksums). They are made
by the publication's own functions (`publication.builder.publication_documents`), byte for
byte as `build` writes them, in a child process: the server's memory and its start-up do not
grow with the dataset, and it answers pages and queries while they are being made. They
are written into a folder with `manifest.json` (distributions and counts), then renamed into
place in one step, so a folder that exists is complete.

With a persisted store (`--store DIR`) the folder is DIR/site/<key>, the key naming the
store's inputs and llmboom's version: the next start of the server finds it ready.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from llmboom.errors import LlmboomError

if TYPE_CHECKING:
    from collections.abc import Iterable, Iterator

    import pyoxigraph

    from llmboom.project import Project
    from llmboom.publication.void import Counts, Distribution
    from llmboom.web.settings import ServerSettings

MANIFEST = "manifest.json"
#: Where the landing page says the SPARQL endpoint is; the server puts the real URL there.
ENDPOINT_PLACEHOLDER = "http://llmboom.invalid/sparql-endpoint-placeholder"
#: The landing page as the server shows it (`index.html` is the static site's).
HOME = "home.html"
#: Bump when what the folder holds, or how, changes.
LAYOUT = 3


class DocumentsError(LlmboomError):
    """The publication's documents are not ready, or could not be made (HTTP 503)."""

    def __init__(self, message: str, retry_after: int | None = None) -> None:
        super().__init__(message)
        self.retry_after = retry_after


@dataclasses.dataclass(frozen=True)
class SiteDocuments:
    """A complete folder of documents and what its manifest says."""

    folder: Path
    distributions: list[Distribution]
    counts: Counts
    media_types: dict[str, str]  #: file name → media type

    def path(self, name: str) -> Path | None:
        """The file `name` of the folder, or None."""
        if "/" in name or name.startswith(".") or name == MANIFEST:
            return None
        path = self.folder / name
        try:
            return path if path.is_file() else None
        except OSError:  # a name the file system cannot hold (ENAMETOOLONG): not a file here
            return None

    def read(self, name: str) -> bytes:
        found = self.path(name)
        if found is None:
            raise DocumentsError(f"the publication has no {name}")
        return found.read_bytes()


def cached_folder(project: Project, settings: ServerSettings) -> Path | None:
    """Where a persisted store keeps the documents of its current inputs (None without
    one)."""
    if settings.store_dir is None or settings.endpoint is not None:
        return None
    from llmboom import __version__
    from llmboom.files.data_version import fingerprint

    inputs = json.dumps([fingerprint(project), __version__, LAYOUT], sort_keys=True)
    key = hashlib.sha256(inputs.encode()).hexdigest()[:20]
    return Path(settings.store_dir) / "site" / key


def read_documents(folder: Path) -> SiteDocuments | None:
    """The documents in `folder`, or None when it is not (yet) complete."""
    from llmboom.publication.void import Counts, Distribution

    try:
        manifest = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    distributions = [Distribution(**d) for d in manifest["distributions"]]
    return SiteDocuments(
        folder=folder,
        distributions=distributions,
        counts=Counts(**manifest["counts"]),
        media_types=manifest["media_types"],
    )


def make_documents(project: Project, settings: ServerSettings, folder: Path) -> None:
    """Make every document into `folder` (in this process; see `made_in_child`)."""
    from llmboom.files.replace import move_folder_into_place
    from llmboom.history.timeline import counts_by_source, latest, timeline_events
    from llmboom.publication.builder import footer_html, publication_documents
    from llmboom.publication.class_index import class_index_pages
    from llmboom.publication.landing_page import landing_links, render_landing_page
    from llmboom.publication.metadata import load_metadata
    from llmboom.publication.search_index import (
        INDEX_FILE,
        SCRIPT_FILE,
        index_script,
        search_script,
    )
    from llmboom.rdf.jsonld import build_context
    from llmboom.web.store_index import StoreIndex, indexed_store

    staging = folder.with_name(f".{folder.name}.{os.getpid()}")
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    dataset = settings.dataset(project)
    store = dataset.store()
    # the downloads are the bytes `llmboom build` writes from the same settings: the ontology
    # from its files; the data from the store named (--store), in the store's order, else
    # from the files, in their order
    ontology = dataset.ontology()
    oxigraph = indexed_store(store)
    data: Iterable[pyoxigraph.Quad] = _DatasetQuads(oxigraph)
    if settings.endpoint is None and (settings.store_dir is None or settings.temporary_store):
        from llmboom.dataset import Dataset

        data = Dataset(project).quads()
    # the landing page and the search index look resources up in the store
    index = StoreIndex(oxigraph)
    context = build_context(project)
    metadata = load_metadata(project)
    documents = publication_documents(
        project,
        data,
        ontology,
        index,
        context,
        metadata,
        out_dir=staging,
    )
    home = render_landing_page(
        index,
        metadata,
        documents.distributions,
        base_iri=project.base_iri,
        counts=documents.counts,
        footer=footer_html(metadata, "/"),
        sparql_endpoint=ENDPOINT_PLACEHOLDER,
        search_root="/",
        latest_events=latest(timeline_events(oxigraph, project)),
        sources=counts_by_source(oxigraph),
        timeline_href="/timeline",
    )
    (staging / HOME).write_text(home, encoding="utf-8")
    pages = class_index_pages(
        index, project.base_iri, landing_links(project.base_iri), footer=footer_html(metadata, "/"),
        search_root="/", home="/",
    )  # fmt: skip
    index_pages = []
    for name, html in pages:
        (staging / name).write_text(html, encoding="utf-8")
        index_pages.append(name)
    # the server's search box links `/id/<slug>` (the static site's links `.html` pages)
    (staging / INDEX_FILE).write_bytes(index_script(index, project.base_iri, resource_suffix=""))
    (staging / SCRIPT_FILE).write_bytes(search_script())
    store.close()
    media_types = {d.path: d.media_type for d in documents.distributions}
    media_types.update({"void.ttl": "text/turtle", "index.html": "text/html", HOME: "text/html"})
    media_types.update({INDEX_FILE: "text/javascript", SCRIPT_FILE: "text/javascript"})
    media_types.update(dict.fromkeys(index_pages, "text/html"))
    manifest = {
        "distributions": [dataclasses.asdict(d) for d in documents.distributions],
        "counts": dataclasses.asdict(documents.counts),
        "media_types": media_types,
    }
    (staging / MANIFEST).write_text(json.dumps(manifest), encoding="utf-8")
    if not move_folder_into_place(staging, folder, replace=False):
        return  # made meanwhile by another server on the same store
    for other in folder.parent.iterdir():  # the documents of older inputs
        if other != folder and not other.name.startswith("."):
            shutil.rmtree(other, ignore_errors=True)


class _DatasetQuads:
    """The store's default graph, read anew each time it is iterated: a million quads are
    not all held while each document is made from them."""

    def __init__(self, store: pyoxigraph.Store) -> None:
        self.store = store

    def __iter__(self) -> Iterator[pyoxigraph.Quad]:
        import pyoxigraph

        return iter(self.store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()))


def _child(
    project: Project, settings: ServerSettings, folder: Path, connection, server: int
) -> None:
    _exit_with(server)
    try:
        make_documents(project, settings, folder)
    except LlmboomError as error:
        connection.send(str(error))
    except MemoryError:
        connection.send("out of memory while making the publication's documents")
    else:
        connection.send("")


def _exit_with(server: int) -> None:
    """Stop this process when the server (process `server`) is gone, however it ended."""
    import threading
    import time

    def watch() -> None:
        while os.getppid() == server:
            time.sleep(1)
        os._exit(1)

    threading.Thread(target=watch, name="llmboom-watch-server", daemon=True).start()


class ChildHandle:
    """The process making a site's documents, so that the site can stop it when it is
    closed: `stop` waits for a start under way to finish (a spawned child whose parent
    exits while it reads its start-up data prints an `EOFError` traceback), then ends it."""

    def __init__(self) -> None:
        import threading

        self._lock = threading.Lock()
        self._process = None
        self.stopped = False

    def start(self, process) -> bool:
        """Start `process` unless the handle was stopped; whether it was started."""
        with self._lock:
            if self.stopped:
                return False
            process.start()
            self._process = process
            return True

    def stop(self) -> None:
        with self._lock:
            self.stopped = True
            process = self._process
        if process is not None and process.is_alive():
            process.terminate()
            process.join(5)


def made_in_child(
    project: Project, settings: ServerSettings, folder: Path, handle: ChildHandle | None = None
) -> SiteDocuments:
    """Make the documents into `folder` in a child process, unless they are there already;
    `DocumentsError` when that fails or `handle` was stopped (blocking: call it from a
    thread)."""
    import multiprocessing

    found = read_documents(folder)
    if found is not None:
        return found
    context = multiprocessing.get_context("spawn")
    parent, child = context.Pipe(duplex=False)
    process = context.Process(
        target=_child,
        args=(project, settings, folder, child, os.getpid()),
        name="llmboom-documents",
        daemon=True,  # stopped with the server
    )
    if not (handle or ChildHandle()).start(process):
        child.close()
        parent.close()
        raise DocumentsError("the site was closed before its documents were made")
    child.close()
    try:
        problem = parent.recv()
    except EOFError:
        process.join()
        problem = f"the process making them exited (status {process.exitcode})"
    process.join()
    parent.close()
    found = read_documents(folder)
    if problem or found is None:
        raise DocumentsError(f"the publication's documents could not be made: {problem}")
    return found
