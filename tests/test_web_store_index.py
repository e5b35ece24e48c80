"""The server's `StoreIndex` answers every question as the publication's `GraphIndex` does,
from the store instead of Python dictionaries."""

from __future__ import annotations

import pyoxigraph
import pytest

from llmboom.namespaces import LBO, RDF, RDFS, SKOS
from llmboom.project import Project
from llmboom.publication.graph_index import GraphIndex
from llmboom.rdf.loading import load_data, load_ontology
from llmboom.store import open_store
from llmboom.web.store_index import StoreIndex


@pytest.fixture(scope="module")
def indexes(project: Project) -> tuple[GraphIndex, StoreIndex]:
    store = open_store(project)
    return GraphIndex(load_data(project), load_ontology(project)), StoreIndex(store.oxigraph)


def _every_iri(index: GraphIndex) -> list[str]:
    found = set(index.by_subject) | set(index.by_object) | index.ontology_terms
    return sorted(found)


def test_the_same_triples_labels_and_records(indexes, project: Project) -> None:
    graph, store = indexes
    iris = _every_iri(graph)
    assert len(iris) > 200
    supported = 0
    for iri in iris:
        assert store.outgoing(iri) == graph.outgoing(iri), iri
        assert store.incoming(iri) == graph.incoming(iri), iri
        assert store.label(iri) == graph.label(iri), iri
        assert store.is_statement_record(iri) == graph.is_statement_record(iri), iri
        assert store.has_iri(iri) == (iri in graph.by_subject or iri in graph.by_object), iri
        for predicate in (RDF + "type", RDFS + "label", SKOS + "altLabel", LBO + "anonymous"):
            assert store.values(iri, predicate) == graph.values(iri, predicate), iri
            assert store.value(iri, predicate) == graph.value(iri, predicate), iri
        for triple in graph.outgoing(iri):
            records = store.records_for(triple)
            assert records == graph.records_for(triple), triple
            supported += bool(records)
    assert supported > 50
    assert store.iris(project.base_iri) == graph.iris(project.base_iri)


def test_iris_are_read_once_per_namespace_and_given_as_a_new_list(project: Project) -> None:
    store = open_store(project).oxigraph
    index = StoreIndex(store)
    first = index.iris(project.base_iri)
    assert first and first == sorted(first)
    first.clear()  # a caller's list is its own
    again = index.iris(project.base_iri)
    assert again == StoreIndex(store).iris(project.base_iri)
    assert index.iris(LBO) != again  # each namespace its own answer


def test_the_scan_for_iris_runs_once_per_namespace(project: Project) -> None:
    """The landing page, the search index and the class index each ask; at a million
    triples from a persisted store each scan took 11 s."""

    class CountingStore:
        def __init__(self, store: pyoxigraph.Store) -> None:
            self.store, self.queries = store, 0

        def query(self, *args, **kwargs):
            self.queries += 1
            return self.store.query(*args, **kwargs)

    counting = CountingStore(open_store(project).oxigraph)
    index = StoreIndex(counting)  # type: ignore[arg-type]
    for _ in range(3):
        index.iris(project.base_iri)
    assert counting.queries == 1
    index.iris(LBO)
    assert counting.queries == 2


def test_literals_and_unknown_iris_are_nothing(indexes) -> None:
    _, store = indexes
    for value in ("a plain literal's text", "https://example.org/unknown"):
        assert store.outgoing(value) == store.incoming(value) == []
        assert store.label(value) is None and store.value(value, RDFS + "label") is None
        assert not store.has_iri(value) and not store.is_statement_record(value)
    loose = pyoxigraph.Triple(
        pyoxigraph.NamedNode("https://example.org/s"),
        pyoxigraph.NamedNode("https://example.org/p"),
        pyoxigraph.Literal("o"),
    )
    assert store.records_for(loose) == []
