"""The dataset indexed once, so that pages need no scan of the whole graph.

Triples are indexed by subject and by (IRI) object; every asserted fact is mapped to the
statement records (`rdf:Statement`) that support it; labels come from the data and the
ontology.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING, NamedTuple

from llmboom.namespaces import (
    LBO,
    RDF_OBJECT,
    RDF_PREDICATE,
    RDF_STATEMENT,
    RDF_SUBJECT,
    RDF_TYPE,
    RDFS_LABEL,
)
from llmboom.rdf.terms import Term, Value, term_value

if TYPE_CHECKING:
    import pyoxigraph

_SINGLE_VALUED = LBO + "SingleValuedProperty"


class FactKey(NamedTuple):
    """A triple as hashable strings: subject IRI, predicate IRI, object in N-Triples form."""

    subject: str
    predicate: str
    object: str


def term_key(term: Term) -> str:
    """A term's N-Triples form: equal terms, equal keys."""
    return str(term)


def fact_key(triple: pyoxigraph.Triple | pyoxigraph.Quad) -> FactKey:
    return FactKey(term_value(triple.subject), triple.predicate.value, term_key(triple.object))


def triple_sort_key(triple: pyoxigraph.Triple | pyoxigraph.Quad) -> tuple[str, str, str]:
    return (str(triple.subject), str(triple.predicate), str(triple.object))


class GraphIndex:
    """Triples by subject and by object, facts → statement records, IRI → label."""

    def __init__(
        self,
        quads: Iterable[pyoxigraph.Quad | pyoxigraph.Triple],
        ontology: Iterable[pyoxigraph.Quad | pyoxigraph.Triple] = (),
    ) -> None:
        import pyoxigraph

        self.by_subject: dict[str, list[pyoxigraph.Triple]] = defaultdict(list)
        self.by_object: dict[str, list[pyoxigraph.Triple]] = defaultdict(list)
        self.labels: dict[str, str] = {}
        self._triple_term = pyoxigraph.Triple
        self.ontology_terms: set[str] = set()
        #: the ontology's lbo:SingleValuedProperty properties (competing values are shown
        #: side by side on pages)
        self.single_valued: set[str] = set()
        self.triple_count = 0
        seen: set[FactKey] = set()
        label_candidates: dict[str, list[tuple[int, str]]] = defaultdict(list)
        for quad in quads:
            key = fact_key(quad)
            if key in seen:  # the same triple from two files, or two graphs
                continue
            seen.add(key)
            triple = pyoxigraph.Triple(quad.subject, quad.predicate, quad.object)
            self.by_subject[key.subject].append(triple)
            if isinstance(quad.object, pyoxigraph.NamedNode):
                self.by_object[quad.object.value].append(triple)
            if key.predicate == RDFS_LABEL:
                label_candidates[key.subject].append(_label_rank(quad.object))
        self.triple_count = len(seen)
        for quad in ontology:
            subject = term_value(quad.subject)
            self.ontology_terms.add(subject)
            if quad.predicate.value == RDF_TYPE and term_value(quad.object) == _SINGLE_VALUED:
                self.single_valued.add(subject)
            if quad.predicate.value == RDFS_LABEL:
                label_candidates[subject].append(_label_rank(quad.object))
        for iri, candidates in label_candidates.items():
            self.labels[iri] = min(candidates)[1]
        self._sorted: set[tuple[bool, str]] = set()  # lists sorted on first use
        self.records = self._index_records()

    def _sorted_list(self, table: dict[str, list], iri: str, outgoing: bool) -> list:
        triples = table.get(iri)
        if triples is None:
            return []
        if (outgoing, iri) not in self._sorted:
            triples.sort(key=triple_sort_key)
            self._sorted.add((outgoing, iri))
        return triples

    def _index_records(self) -> dict[FactKey, list[str]]:
        records: dict[FactKey, list[str]] = defaultdict(list)
        for subject, triples in self.by_subject.items():
            if not any(
                t.predicate.value == RDF_TYPE and term_value(t.object) == RDF_STATEMENT
                for t in triples
            ):
                continue
            parts = {t.predicate.value: t.object for t in triples}
            if {RDF_SUBJECT, RDF_PREDICATE, RDF_OBJECT} <= parts.keys():
                key = FactKey(
                    term_value(parts[RDF_SUBJECT]),
                    term_value(parts[RDF_PREDICATE]),
                    term_key(parts[RDF_OBJECT]),
                )
                records[key].append(subject)
        for values in records.values():
            values.sort()
        return dict(records)

    def is_statement_record(self, iri: str) -> bool:
        return any(
            t.predicate.value == RDF_TYPE and term_value(t.object) == RDF_STATEMENT
            for t in self.by_subject.get(iri, ())
        )

    def outgoing(self, iri: str) -> list[pyoxigraph.Triple]:
        """Triples whose subject is `iri`, sorted."""
        return self._sorted_list(self.by_subject, iri, True)

    def incoming(self, iri: str) -> list[pyoxigraph.Triple]:
        """Triples whose object is `iri`, sorted."""
        return self._sorted_list(self.by_object, iri, False)

    def records_for(self, triple: pyoxigraph.Triple) -> list[str]:
        """The statement records that support `triple`, sorted."""
        return self.records.get(fact_key(triple), [])

    def value(self, iri: str, predicate: str) -> Value | None:
        """The first of `values(iri, predicate)`, or None."""
        for triple in self.outgoing(iri):
            if triple.predicate.value == predicate and not isinstance(
                triple.object, self._triple_term
            ):
                return triple.object
        return None

    def values(self, iri: str, predicate: str) -> list[Value]:
        """The objects of `iri predicate ?o`, sorted (triple terms left out)."""
        return [
            t.object
            for t in self.outgoing(iri)
            if t.predicate.value == predicate and not isinstance(t.object, self._triple_term)
        ]

    def label(self, iri: str) -> str | None:
        return self.labels.get(iri)

    def is_anonymous(self, attribution: str) -> bool:
        """True when the attribution says `lbo:anonymous true`."""
        value = self.value(attribution, LBO + "anonymous")
        return value is not None and term_value(value) in {"true", "1"}

    def has_iri(self, iri: str) -> bool:
        """True when `iri` is the subject or the object of a triple of the dataset."""
        return iri in self.by_subject or iri in self.by_object

    def iris(self, namespace: str) -> list[str]:
        """Every IRI in `namespace` used as subject or object, sorted."""
        found = {iri for iri in self.by_subject if iri.startswith(namespace)}
        found.update(iri for iri in self.by_object if iri.startswith(namespace))
        return sorted(found)


def _label_rank(term: Term) -> tuple[int, str]:
    language = getattr(term, "language", None)
    rank = 0 if language == "en" else 1 if not language else 2
    return (rank, term_value(term))
