"""Where the dataset lives, behind one interface: `DatasetStore`.

Every consumer (query, export, publication, validation input, the HTTP server) asks a store
for the dataset instead of parsing `data/` itself. Three implementations:

- `EmbeddedStore` (the default): pyoxigraph in memory, loaded from `data/` at start;
- `EmbeddedStore` on disk (`open_store(project, store_dir=DIR)`, CLI `--store DIR`): a
  persistent pyoxigraph (RocksDB) database built from `data/`, the ontology and the source
  texts, and rebuilt when any of them changes (a fingerprint of file names, sizes and
  modification times, plus the base IRI, is kept beside it). `serve` and `query` then start
  without re-parsing;
- `RemoteStore` (`open_store(project, endpoint=URL)`): an external SPARQL 1.1 Protocol endpoint;
  queries are sent there; the dataset's triples are read with a CONSTRUCT.

Layout, the same everywhere: the dataset's triples are in the default graph, the ontology's
in the named graph `<https://w3id.org/llmboom/ontology>` (`ONTOLOGY_GRAPH`). For a remote
store, the endpoint's default graph must be the dataset (`llmboom push` writes it there, or
into `--graph IRI`; pass the same `graph=` to `open_store`).

The interface (see `DatasetStore`):

    store = open_store(project)                      # or store_dir=…, endpoint=…
    result = store.query("SELECT …")                 # -> llmboom.sparql.run.QueryResult
    quads = store.dataset_quads()                    # list[pyoxigraph.Quad], default graph
    store.ontology_quads(); len(store); store.close()

`store.oxigraph` is the underlying `pyoxigraph.Store` for embedded stores (None for remote
ones): code that needs pyoxigraph's own API (serialisers, validation) may use it.
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Protocol, runtime_checkable

from llmboom.namespaces import ONTOLOGY_IRI

if TYPE_CHECKING:
    import pyoxigraph

    from llmboom.project import Project
    from llmboom.sparql.run import QueryResult

#: The named graph holding the ontology in every store.
ONTOLOGY_GRAPH = ONTOLOGY_IRI


@runtime_checkable
class DatasetStore(Protocol):
    """A read-only view of the dataset (default graph) and the ontology (named graph)."""

    @property
    def oxigraph(self) -> pyoxigraph.Store | None:
        """The pyoxigraph store behind an embedded store; None for a remote one."""
        ...

    def query(
        self,
        text: str,
        *,
        source: str = "query",
        prefixes: Mapping[str, str] | None = None,
        timeout: float | None = None,
        max_rows: int | None = None,
    ) -> QueryResult:
        """Run a read-only SPARQL query (the project's prefixes predeclared, `lbr:` rebased);
        raise `QueryError` for a bad query or an update, `QueryTimeoutError` past `timeout`
        seconds; keep at most `max_rows` rows (see `llmboom.sparql.run.run_query`)."""
        ...

    def dataset_quads(self) -> list[pyoxigraph.Quad]:
        """The dataset's triples (the default graph), as quads in the default graph."""
        ...

    def ontology_quads(self) -> list[pyoxigraph.Quad]:
        """The ontology's triples, as quads in the default graph."""
        ...

    def __len__(self) -> int:
        """How many triples the dataset (the default graph) holds."""
        ...

    def close(self) -> None:
        """Release files or connections."""
        ...


def open_store(
    project: Project,
    *,
    store_dir: str | Path | None = None,
    endpoint: str | None = None,
    graph: str | None = None,
    auth: tuple[str, str] | str | None = None,
) -> DatasetStore:
    """The project's store: embedded in memory (default), on disk in `store_dir` (built or
    rebuilt from `data/` when needed), or the SPARQL endpoint `endpoint` (whose dataset is
    in `graph`, or its default graph; `auth` is (user, password) or a bearer token)."""
    if endpoint is not None:
        from llmboom.store.remote import RemoteStore

        return RemoteStore(endpoint, graph=graph, auth=auth)
    from llmboom.store.embedded import EmbeddedStore

    if store_dir is not None:
        if not str(store_dir).strip():
            from llmboom.store.embedded import StoreFolderError

            raise StoreFolderError("--store: the folder name is empty; give a folder for the store")
        return EmbeddedStore.on_disk(project, Path(store_dir))
    return EmbeddedStore.in_memory(project)
