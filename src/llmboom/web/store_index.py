"""`GraphIndex`'s questions answered from a pyoxigraph store's own indexes.

The publication renders pages from a `GraphIndex` (`publication.graph_index`), which holds
every triple in Python dictionaries: right for `build`, which visits every resource, but for
the server it made memory grow with the dataset (a million triples: gigabytes) and start-up
wait for the whole dataset to be indexed. `StoreIndex` answers the same questions (the same
sorted lists, the same labels and statement records) by pattern lookups in the store, so a
page costs a few lookups and the server holds nothing per triple.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from llmboom.namespaces import (
    LBO,
    ONTOLOGY_IRI,
    RDF_OBJECT,
    RDF_PREDICATE,
    RDF_STATEMENT,
    RDF_SUBJECT,
    RDF_TYPE,
    RDFS_LABEL,
)
from llmboom.publication.graph_index import FactKey, fact_key, term_key, triple_sort_key
from llmboom.rdf.terms import Value, term_value

if TYPE_CHECKING:
    import pyoxigraph

    from llmboom.store import DatasetStore


class StoreIndex:
    """The dataset (the store's default graph) and the ontology (its named graph
    `ontology_graph`), read through the interface of `GraphIndex`."""

    def __init__(self, store: pyoxigraph.Store, ontology_graph: str = ONTOLOGY_IRI) -> None:
        import pyoxigraph

        self.store = store
        self._default = pyoxigraph.DefaultGraph()
        self._ontology = pyoxigraph.NamedNode(ontology_graph)
        self._node = pyoxigraph.NamedNode
        self._triple_term = pyoxigraph.Triple

    @property
    def single_valued(self) -> set[str]:
        """The ontology's lbo:SingleValuedProperty properties (read once)."""
        found = self.__dict__.get("_single_valued")
        if found is None:
            pattern = (
                None,
                self._node(RDF_TYPE),
                self._node(LBO + "SingleValuedProperty"),
                self._ontology,
            )
            found = {term_value(q.subject) for q in self.store.quads_for_pattern(*pattern)}
            self.__dict__["_single_valued"] = found
        return found

    def _iri(self, value: str) -> pyoxigraph.NamedNode | None:
        """`value` as an IRI, or None when it is not one (a literal's text: nothing is
        indexed under it, as in `GraphIndex`)."""
        try:
            return self._node(value)
        except ValueError:
            return None

    def _triples(self, subject=None, predicate=None, obj=None) -> list[pyoxigraph.Triple]:
        quads = self.store.quads_for_pattern(subject, predicate, obj, self._default)
        return sorted((q.triple for q in quads), key=triple_sort_key)

    def outgoing(self, iri: str) -> list[pyoxigraph.Triple]:
        """Triples whose subject is `iri`, sorted."""
        node = self._iri(iri)
        return [] if node is None else self._triples(subject=node)

    def incoming(self, iri: str) -> list[pyoxigraph.Triple]:
        """Triples whose object is `iri`, sorted."""
        node = self._iri(iri)
        return [] if node is None else self._triples(obj=node)

    def values(self, iri: str, predicate: str) -> list[Value]:
        """The objects of `iri predicate ?o`, sorted (triple terms left out)."""
        node, property_ = self._iri(iri), self._iri(predicate)
        if node is None or property_ is None:
            return []
        return [
            t.object
            for t in self._triples(subject=node, predicate=property_)
            if not isinstance(t.object, self._triple_term)
        ]

    def value(self, iri: str, predicate: str) -> Value | None:
        """The first of `values(iri, predicate)`, or None."""
        found = self.values(iri, predicate)
        return found[0] if found else None

    def label(self, iri: str) -> str | None:
        """The label of `iri` from the data or the ontology: English first, then untagged,
        then any other language; the smallest value among equals."""
        from llmboom.publication.graph_index import _label_rank

        subject, label = self._iri(iri), self._node(RDFS_LABEL)
        if subject is None:
            return None
        candidates = [
            _label_rank(quad.object)
            for graph in (self._default, self._ontology)
            for quad in self.store.quads_for_pattern(subject, label, None, graph)
        ]
        return min(candidates)[1] if candidates else None

    def is_statement_record(self, iri: str) -> bool:
        import pyoxigraph

        node = self._iri(iri)
        if node is None:
            return False
        return pyoxigraph.Quad(node, self._node(RDF_TYPE), self._node(RDF_STATEMENT)) in self.store

    def is_anonymous(self, attribution: str) -> bool:
        """True when the attribution says `lbo:anonymous true`."""
        value = self.value(attribution, LBO + "anonymous")
        return value is not None and term_value(value) in {"true", "1"}

    def records_for(self, triple: pyoxigraph.Triple) -> list[str]:
        """The statement records that support `triple`, sorted: as `GraphIndex` finds them
        (a record's last value, in sorted order, of each of rdf:subject, rdf:predicate and
        rdf:object describes it)."""
        if not hasattr(triple.subject, "value"):
            return []
        key = fact_key(triple)
        found = set()
        for quad in self.store.quads_for_pattern(
            None, self._node(RDF_SUBJECT), triple.subject, self._default
        ):
            record = quad.subject
            if not hasattr(record, "value") or not self.is_statement_record(record.value):
                continue
            parts = {t.predicate.value: t.object for t in self.outgoing(record.value)}
            if {RDF_SUBJECT, RDF_PREDICATE, RDF_OBJECT} <= parts.keys():
                described = FactKey(
                    term_value(parts[RDF_SUBJECT]),
                    term_value(parts[RDF_PREDICATE]),
                    term_key(parts[RDF_OBJECT]),
                )
                if described == key:
                    found.add(record.value)
        return sorted(found)

    def has_iri(self, iri: str) -> bool:
        """True when `iri` is the subject or the object of a triple of the dataset."""
        node = self._iri(iri)
        if node is None:
            return False
        for _ in self.store.quads_for_pattern(node, None, None, self._default):
            return True
        for _ in self.store.quads_for_pattern(None, None, node, self._default):
            return True
        return False

    def iris(self, namespace: str) -> list[str]:
        """Every IRI in `namespace` used as subject or object, sorted (a new list each
        time). Read once per namespace, like `single_valued`: the scan visits every triple
        (11 s from a persisted store at a million triples), and the landing page, the
        search index and the class index each ask for it."""
        import pyoxigraph

        known: dict[str, list[str]] = self.__dict__.setdefault("_iris", {})
        if namespace not in known:
            prefix = str(pyoxigraph.Literal(namespace))  # quoted and escaped
            query = (
                "SELECT DISTINCT ?iri WHERE { { ?iri ?p ?o } UNION { ?s ?p ?iri } "
                f"FILTER(isIRI(?iri) && STRSTARTS(STR(?iri), {prefix})) }}"
            )
            solutions = self.store.query(query, default_graph=self._default)
            assert isinstance(solutions, pyoxigraph.QuerySolutions)  # a SELECT query's answer
            known[namespace] = sorted(term_value(solution[0]) for solution in solutions)
        return list(known[namespace])


def indexed_store(store: DatasetStore) -> pyoxigraph.Store:
    """The pyoxigraph store behind `store`; for a remote one, a local copy in memory (the
    dataset in the default graph, the ontology in its named graph), read once, and `store`
    closed."""
    import pyoxigraph

    if store.oxigraph is not None:
        return store.oxigraph
    local = pyoxigraph.Store()
    try:
        local.bulk_extend(store.dataset_quads())
        graph = pyoxigraph.NamedNode(ONTOLOGY_IRI)
        local.bulk_extend(
            pyoxigraph.Quad(q.subject, q.predicate, q.object, graph) for q in store.ontology_quads()
        )
    finally:
        store.close()
    return local
