"""The embedded store: pyoxigraph, in memory or persisted on disk.

On disk (`EmbeddedStore.on_disk(project, DIR)`), DIR holds `oxigraph/` (the RocksDB
database) and `fingerprint.json` (what it was built from); once asked for
(`EmbeddedStore.entailed`), also `entailed/`: the same quads plus the triples RDFS entails
(`entailment.entail_store`), for the server's query workers, and `entailed.json`. Each
database is rebuilt when the fingerprint of the project's inputs changes: every file under
`data/` and `ontology/` (relative name, size, modification time in nanoseconds), the base
IRI and the store layout version. A rebuild writes a fresh database beside the old one and
swaps it in, under an exclusive lock on `DIR/.lock`, so a reader never sees a half-built
store. An up-to-date store is opened read-only, so several processes (`serve`, `query`) can
share it.

Guard: a rebuild removes and replaces what it finds in DIR, so DIR must be the store's own.
llmboom writes the marker file `.llmboom-store` into a folder it makes a store of; a folder
that is neither absent, nor empty, nor marked (nor a store written before the marker
existed: a `fingerprint.json` of this layout beside `oxigraph/`) is refused with
`StoreFolderError`, as `build --out` refuses a folder not its own.
"""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from llmboom.errors import LlmboomError, ProjectError
from llmboom.files.data_version import fingerprint
from llmboom.files.replace import exclusive_lock, move_folder_into_place, write_bytes_atomically
from llmboom.namespaces import ONTOLOGY_IRI as ONTOLOGY_GRAPH  # as in `llmboom.store`

if TYPE_CHECKING:
    import pyoxigraph

    from llmboom.project import Project
    from llmboom.sparql.run import QueryResult

_DB = "oxigraph"
_FINGERPRINT = "fingerprint.json"
_ENTAILED_DB = "entailed"
_ENTAILED_FINGERPRINT = "entailed.json"
#: The file that marks a folder as a store written by llmboom.
MARKER = ".llmboom-store"
MARKER_TEXT = (
    "This folder is a persistent store written by llmboom (--store).\n"
    "llmboom rebuilds what it holds whenever data/ changes: do not keep other files here.\n"
)


class StoreFolderError(LlmboomError):
    """The folder given for a persistent store is not one llmboom may write."""

    exit_code = 2


class EmbeddedStore:
    """A pyoxigraph store holding the dataset (default graph) and the ontology (named graph
    `ONTOLOGY_GRAPH`). Build one with `in_memory` or `on_disk`."""

    def __init__(
        self,
        store: pyoxigraph.Store,
        *,
        prefixes: Mapping[str, str] | None = None,
        persisted: tuple[Project, Path] | None = None,
    ):
        self.oxigraph = store
        self._prefixes = prefixes
        self._persisted = persisted  #: (project, DIR) of a store on disk

    @classmethod
    def in_memory(cls, project: Project, extra: Iterable[pyoxigraph.Quad] = ()) -> EmbeddedStore:
        """Parse `data/` and the ontology into a fresh in-memory store (plus `extra` quads in
        the default graph)."""
        import pyoxigraph

        store = pyoxigraph.Store()
        fill(store, project, extra)
        return cls(store, prefixes=_prefixes(project))

    @classmethod
    def of_quads(cls, project: Project, quads: Iterable[pyoxigraph.Quad]) -> EmbeddedStore:
        """A fresh in-memory store of `quads` (the default graph; an as-of snapshot, say)
        and the project's ontology (named graph)."""
        import pyoxigraph

        from llmboom.rdf.loading import as_default_graph, load_ontology_into

        store = pyoxigraph.Store()
        store.bulk_extend(as_default_graph(quads))
        load_ontology_into(store, project, ONTOLOGY_GRAPH)
        return cls(store, prefixes=_prefixes(project))

    @classmethod
    def on_disk(cls, project: Project, directory: Path) -> EmbeddedStore:
        """Open the persistent store in `directory`, building or rebuilding it first when it
        is missing or older than the project's inputs."""
        import pyoxigraph

        try:
            claim_store_folder(directory)
            with exclusive_lock(directory / ".lock"):
                wanted = fingerprint(project)
                if _read_fingerprint(directory) != wanted or not (directory / _DB).is_dir():
                    _rebuild(project, directory, wanted)
            store = pyoxigraph.Store.read_only(str(directory / _DB))
        except OSError as error:
            raise ProjectError(f"{directory}: cannot open the store: {error}") from None
        return cls(store, prefixes=_prefixes(project), persisted=(project, directory))

    @property
    def directory(self) -> Path | None:
        """Where a persisted store lives (None in memory)."""
        return None if self._persisted is None else self._persisted[1]

    def entailed(self) -> pyoxigraph.Store:
        """The store with the triples RDFS entails added (`entailment.entail_store`): in
        memory, this store itself, entailed in place; on disk, the read-only copy in
        DIR/entailed, built once per version of the data (so that processes sharing it,
        the server's query workers, neither copy the dataset nor entail it again)."""
        from llmboom.rdf.entailment import entail_store

        if self._persisted is None:
            entail_store(self.oxigraph)
            return self.oxigraph
        project, directory = self._persisted
        return open_entailed(project, directory)

    def query(
        self,
        text: str,
        *,
        source: str = "query",
        prefixes: Mapping[str, str] | None = None,
        timeout: float | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        """Run a read-only SPARQL query (see `llmboom.sparql.run.run_query`)."""
        from llmboom.namespaces import PREFIXES
        from llmboom.sparql.run import run_query

        chosen = prefixes if prefixes is not None else (self._prefixes or PREFIXES)
        return run_query(
            self.oxigraph, text, source=source, prefixes=chosen, timeout=timeout, max_rows=max_rows
        )

    def dataset_quads(self) -> list[pyoxigraph.Quad]:
        """The default graph's quads."""
        import pyoxigraph

        return list(self.oxigraph.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()))

    def ontology_quads(self) -> list[pyoxigraph.Quad]:
        """The ontology's triples, as quads in the default graph."""
        import pyoxigraph

        graph = pyoxigraph.NamedNode(ONTOLOGY_GRAPH)
        return [
            pyoxigraph.Quad(q.subject, q.predicate, q.object)
            for q in self.oxigraph.quads_for_pattern(None, None, None, graph)
        ]

    def __len__(self) -> int:
        import pyoxigraph

        answer = self.oxigraph.query(
            "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
            default_graph=pyoxigraph.DefaultGraph(),
        )
        assert isinstance(answer, pyoxigraph.QuerySolutions)  # a SELECT query's answer
        return int(next(iter(answer))[0].value)

    def close(self) -> None:
        # released (RocksDB closes with the object): a closed store is not used again
        self.oxigraph = None  # type: ignore[assignment]


def claim_store_folder(directory: Path) -> None:
    """Make `directory` a store folder (created, and marked with `MARKER`) when it is absent
    or empty; accept it when it already is one; else raise `StoreFolderError`."""
    if (directory / MARKER).is_file():
        return
    if directory.exists() and not directory.is_dir():
        raise StoreFolderError(
            f"{directory}: exists and is not a folder; give a folder for the store"
        )
    if (
        directory.exists()
        and any(directory.iterdir())
        and not _written_before_the_marker(directory)
    ):
        raise StoreFolderError(
            f"{directory}: not empty and not a store written by llmboom (no {MARKER} file); "
            "the store replaces what it holds, so choose an empty or new folder"
        )
    directory.mkdir(parents=True, exist_ok=True)
    (directory / MARKER).write_text(MARKER_TEXT, encoding="utf-8")


def _written_before_the_marker(directory: Path) -> bool:
    written = _read_fingerprint(directory)
    return (
        isinstance(written, dict)
        and set(written) == {"layout", "base", "files"}
        and (directory / _DB).is_dir()
    )


def fill(store: pyoxigraph.Store, project: Project, extra: Iterable[pyoxigraph.Quad] = ()) -> None:
    """Load the dataset (default graph) and the ontology (named graph) into `store`; the
    files are parsed by pyoxigraph itself (`loading.load_file`), behind the input guard."""
    from llmboom.rdf.loading import as_default_graph, load_data_into, load_ontology_into

    load_data_into(store, project)
    store.bulk_extend(as_default_graph(extra))
    load_ontology_into(store, project, ONTOLOGY_GRAPH)


def _read_fingerprint(directory: Path, name: str = _FINGERPRINT) -> dict | None:
    try:
        return json.loads((directory / name).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None


def _rebuild(project: Project, directory: Path, wanted: dict) -> None:
    """Build the database beside the current one and swap it in."""
    import pyoxigraph

    fresh = directory / f"{_DB}.building"
    shutil.rmtree(fresh, ignore_errors=True)
    store = pyoxigraph.Store(str(fresh))
    fill(store, project)  # parse errors (InputError) leave the current store in place
    store.flush()
    del store  # closes RocksDB
    _swap_in(directory, fresh, _DB, _FINGERPRINT, wanted)


def _swap_in(directory: Path, fresh: Path, name: str, fingerprint_name: str, wanted: dict) -> None:
    """Put the database built in `fresh` in place of DIR/`name`, then its fingerprint (until
    the new one is written, none: a store killed between the two is rebuilt)."""
    (directory / fingerprint_name).unlink(missing_ok=True)
    move_folder_into_place(fresh, directory / name)
    write_bytes_atomically(directory / fingerprint_name, json.dumps(wanted).encode("utf-8"))


def open_entailed(project: Project, directory: Path) -> pyoxigraph.Store:
    """The entailed copy of the persisted store in `directory` (see `EmbeddedStore.entailed`),
    read-only, (re)built first when older than the project's inputs (and so is the store)."""
    import pyoxigraph

    try:
        with exclusive_lock(directory / ".lock"):
            wanted = fingerprint(project)
            if _read_fingerprint(directory) != wanted or not (directory / _DB).is_dir():
                _rebuild(project, directory, wanted)
            current = _read_fingerprint(directory, _ENTAILED_FINGERPRINT)
            if current != wanted or not (directory / _ENTAILED_DB).is_dir():
                _build_entailed(directory, wanted)
        return pyoxigraph.Store.read_only(str(directory / _ENTAILED_DB))
    except OSError as error:
        raise ProjectError(f"{directory}: cannot open the store: {error}") from None


def _build_entailed(directory: Path, wanted: dict) -> None:
    """DIR/entailed: a copy of the database's files, with the entailed triples added."""
    import pyoxigraph

    fresh = directory / f"{_ENTAILED_DB}.building"
    shutil.rmtree(fresh, ignore_errors=True)
    shutil.copytree(directory / _DB, fresh)  # its files are not written once it is built
    from llmboom.rdf.entailment import entail_store

    store = pyoxigraph.Store(str(fresh))
    entail_store(store)  # SPARQL updates, run by pyoxigraph
    store.flush()
    del store  # closes RocksDB
    _swap_in(directory, fresh, _ENTAILED_DB, _ENTAILED_FINGERPRINT, wanted)


def _prefixes(project: Project) -> dict[str, str]:
    from llmboom.namespaces import prefixes_for

    return prefixes_for(project.base_iri)
