"""`Dataset`: the project's data, opened once per command or server process.

The one owner of what the commands, the server and its workers read: the quads of the default
graph (from `data/`, a persistent store or an external endpoint), the ontology, the shapes,
the named queries, the store that queries run on and its RDFS-entailed form, the prefix map
(with `lbr:` following a rebased project) and the data version that caches key on. With
`as_of`, everything it gives is the snapshot as of that date (`llmboom.history.snapshot`), and
`snapshot` says what an answer rests on.

    dataset = Dataset.open("path/to/project")          # or store_dir=…, endpoint=…, as_of=…
    quads = dataset.quads()                            # the default graph, as pyoxigraph quads
    result = dataset.query("SELECT …")                 # on the entailed store, with prefixes
    dataset.named_query("organization-chart").parameters

Everything is read lazily and kept: opening is cheap, and each of the server's workers opens
its own from the same settings (`ServerSettings.dataset`). Only this module and
`llmboom.store` call the file loaders of `llmboom.rdf.loading` for the project's data,
ontology and shapes (tests/test_dataset.py walks the source tree to keep it so).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterator

    import pyoxigraph

    from llmboom.files.data_version import DataVersion
    from llmboom.history.snapshot import Snapshot
    from llmboom.project import Project
    from llmboom.sparql.named_queries import NamedQuery
    from llmboom.sparql.run import QueryResult
    from llmboom.store import DatasetStore


@dataclass(eq=False)
class Dataset:
    """A project's dataset as its settings name it (`--store`, `--endpoint`, `--as-of`)."""

    project: Project
    #: A persistent embedded store (`llmboom --store DIR`); None: parsed from `data/`.
    store_dir: str | None = None
    #: An external SPARQL endpoint holding the dataset; None: an embedded store.
    endpoint: str | None = None
    #: The snapshot date; None: every fact, as the files hold them.
    as_of: date | None = None
    _all_quads: list[pyoxigraph.Quad] | None = field(default=None, init=False, repr=False)
    _quads: list[pyoxigraph.Quad] | None = field(default=None, init=False, repr=False)
    _snapshot: Snapshot | None = field(default=None, init=False, repr=False)
    _ontology: list[pyoxigraph.Quad] | None = field(default=None, init=False, repr=False)
    _shapes: list[pyoxigraph.Quad] | None = field(default=None, init=False, repr=False)
    _store: DatasetStore | None = field(default=None, init=False, repr=False)
    _entailed: pyoxigraph.Store | None = field(default=None, init=False, repr=False)
    #: True once the in-memory store holds the entailed triples too (`entailed`).
    _entailed_in_place: bool = field(default=False, init=False, repr=False)

    @classmethod
    def open(
        cls,
        root: str | Path | None = None,
        base_iri: str | None = None,
        *,
        store_dir: str | None = None,
        endpoint: str | None = None,
        as_of: date | None = None,
    ) -> Dataset:
        """The dataset of the project at `root` (found upwards from the current folder when
        None), under `base_iri` when given."""
        from llmboom.project import Project

        project = Project.locate(root, base_iri)
        return cls(project, store_dir=store_dir, endpoint=endpoint, as_of=as_of)

    @classmethod
    def holding(cls, project: Project, quads: list[pyoxigraph.Quad]) -> Dataset:
        """A dataset of exactly `quads` (the default graph), with `project`'s ontology,
        shapes and queries: what a live store holds, say."""
        dataset = cls(project)
        dataset._all_quads = quads
        return dataset

    @classmethod
    def of(cls, target: Dataset | Project) -> Dataset:
        """`target` itself, or the dataset of the project `target` (read from its files)."""
        return target if isinstance(target, Dataset) else cls(target)

    def at(self, as_of: date | None) -> Dataset:
        """This dataset as of `as_of` (None: every fact), sharing the quads read (they are
        read now if they were not yet)."""
        if as_of == self.as_of:
            return self
        other = replace(self, as_of=as_of)
        other._all_quads, other._ontology, other._shapes = (
            self._every_quad(),
            self._ontology,
            self._shapes,
        )
        return other

    # --- what the project holds -------------------------------------------------------

    def quads(self) -> list[pyoxigraph.Quad]:
        """The dataset's quads, all in the default graph (a new list each time); with
        `as_of`, the snapshot as of that date (and `snapshot` set)."""
        if self._quads is None:
            quads = self._every_quad()
            if self.as_of is not None:
                from llmboom.history.snapshot import snapshot_quads

                quads, self._snapshot = snapshot_quads(quads, self.ontology(), self.as_of)
            self._quads = quads
        return list(self._quads)

    def stream_quads(self) -> Iterator[pyoxigraph.Quad]:
        """The quads of `quads` (every fact: no snapshot) one by one, in the same order. Read
        from `data/`, they are parsed as they are asked for and never all held (`export
        --stream`); quads already read, or a store's, come from memory."""
        if self.as_of is not None:
            raise ValueError("a snapshot needs every fact at once; it cannot be streamed")
        from_files = self._all_quads is None and self.store_dir is None and not self.endpoint
        if from_files and (self._store is None or self._entailed_in_place):
            from llmboom.rdf.loading import iter_data

            return iter_data(self.project)
        return iter(self._every_quad())

    def _every_quad(self) -> list[pyoxigraph.Quad]:
        """The quads of every fact (no snapshot), read once."""
        if self._all_quads is None:
            self._all_quads = self._read_quads()
        return self._all_quads

    def _read_quads(self) -> list[pyoxigraph.Quad]:
        if self.store_dir is None and self.endpoint is None:
            if self._store is not None and not self._entailed_in_place:
                return self._store.dataset_quads()  # already in memory, as parsed
            from llmboom.rdf.loading import load_data

            return load_data(self.project)
        return self._unsnapshotted_store().dataset_quads()

    @property
    def snapshot(self) -> Snapshot | None:
        """What a snapshot answer rests on (None without `as_of`)."""
        if self.as_of is not None and self._snapshot is None:
            self.quads()
        return self._snapshot

    def ontology(self) -> list[pyoxigraph.Quad]:
        """The ontology's quads (from `ontology/`, in the default graph)."""
        if self._ontology is None:
            from llmboom.rdf.loading import load_ontology

            self._ontology = load_ontology(self.project)
        return list(self._ontology)

    def shapes(self) -> list[pyoxigraph.Quad]:
        """The SHACL shapes' quads (from `shapes/`)."""
        if self._shapes is None:
            from llmboom.rdf.loading import load_shapes

            self._shapes = load_shapes(self.project)
        return list(self._shapes)

    def named_queries(self) -> list[NamedQuery]:
        """The project's named queries (`queries/*.rq`), by name."""
        from llmboom.sparql.named_queries import named_queries

        return named_queries(self.project)

    def named_query(self, name: str) -> NamedQuery:
        """The named query `name`; `QueryError` naming the known ones otherwise."""
        from llmboom.sparql.named_queries import get_named_query

        return get_named_query(self.project, name)

    @property
    def prefixes(self) -> dict[str, str]:
        """The prefix map of queries and outputs; `lbr:` follows a rebased project."""
        from llmboom.namespaces import prefixes_for

        return prefixes_for(self.project.base_iri)

    def version(self) -> DataVersion:
        """The data version (what caches and ETags key on): it changes with any data,
        ontology, shapes or query file."""
        from llmboom.files.data_version import data_version

        return data_version(self.project)

    # --- where queries run ------------------------------------------------------------

    def store(self) -> DatasetStore:
        """The store of the dataset: the persistent or remote one the settings name, else
        one in memory; with `as_of`, an in-memory store of the snapshot."""
        if self._store is None:
            if self.as_of is not None or (
                self._all_quads is not None and self.store_dir is None and self.endpoint is None
            ):
                from llmboom.store.embedded import EmbeddedStore

                self._store = EmbeddedStore.of_quads(self.project, self.quads())
            else:
                self._store = self._unsnapshotted_store()
        return self._store

    def _unsnapshotted_store(self) -> DatasetStore:
        if self.as_of is None and self._store is not None:
            return self._store
        from llmboom.store import open_store

        return open_store(self.project, store_dir=self.store_dir, endpoint=self.endpoint)

    def contains(self, quad: pyoxigraph.Quad) -> bool:
        """Whether the dataset holds `quad`'s triple (in its default graph)."""
        import pyoxigraph

        oxigraph = self.store().oxigraph
        if oxigraph is None or self._entailed_in_place:
            return quad.triple in {q.triple for q in self.quads()}
        pattern = (quad.subject, quad.predicate, quad.object, pyoxigraph.DefaultGraph())
        return next(iter(oxigraph.quads_for_pattern(*pattern)), None) is not None

    def entailed(self) -> pyoxigraph.Store:
        """The pyoxigraph store with what RDFS entails added, as `llmboom query` queries it:
        a persistent store's own entailed copy, else the in-memory store itself, entailed in
        place (so `store()` then holds the entailed triples too). `QueryError` for a remote
        endpoint (it entails nothing here)."""
        if self._entailed is None:
            from llmboom.store.embedded import EmbeddedStore

            store = self.store()
            if store.oxigraph is None:
                from llmboom.errors import QueryError

                raise QueryError(
                    "RDFS entailment needs the embedded store; with a remote endpoint use "
                    "--entailment none (or an endpoint that entails by itself)"
                )
            if isinstance(store, EmbeddedStore) and store.directory is not None:
                self._entailed = store.entailed()
            else:
                from llmboom.rdf.entailment import entail_store

                entail_store(store.oxigraph)
                self._entailed = store.oxigraph
                self._entailed_in_place = True
        return self._entailed

    def query(
        self,
        text: str,
        *,
        entailment: bool = True,
        source: str = "query",
        timeout: float | None = None,
    ) -> QueryResult:
        """Run the SPARQL `text` (checked by `llmboom.sparql.run`) on the entailed store, or on
        the plain one without `entailment`, with the dataset's prefixes."""
        from llmboom.sparql.run import run_query

        if not entailment:
            return self.store().query(text, source=source, prefixes=self.prefixes, timeout=timeout)
        return run_query(
            self.entailed(), text, source=source, prefixes=self.prefixes, timeout=timeout
        )

    def close(self) -> None:
        """Close the store if one was opened."""
        if self._store is not None:
            self._store.close()
            self._store = None
            self._entailed = None
            self._entailed_in_place = False
