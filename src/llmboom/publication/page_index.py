"""What the pages ask of the dataset: one interface, two implementations.

`GraphIndex` (`publication.graph_index`) holds every triple in dictionaries, for `build`;
`StoreIndex` (`web.store_index`) answers from a pyoxigraph store's own indexes, for the
server. The renderers take a `PageIndex` and work with either.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    import pyoxigraph

    from llmboom.rdf.terms import Value


class PageIndex(Protocol):
    """Triples by subject and by object, statement records, labels, IRIs by namespace."""

    def outgoing(self, iri: str) -> list[pyoxigraph.Triple]:
        """Triples whose subject is `iri`, sorted."""
        ...

    def incoming(self, iri: str) -> list[pyoxigraph.Triple]:
        """Triples whose object is `iri`, sorted."""
        ...

    def values(self, iri: str, predicate: str) -> list[Value]:
        """The objects of `iri predicate ?o`, sorted (triple terms, which pages do not
        show, left out)."""
        ...

    def value(self, iri: str, predicate: str) -> Value | None:
        """The first of `values(iri, predicate)`, or None."""
        ...

    def label(self, iri: str) -> str | None:
        """The label of `iri`: English first, then untagged, then any other language."""
        ...

    def is_statement_record(self, iri: str) -> bool:
        """True when `iri` is an `rdf:Statement`."""
        ...

    def is_anonymous(self, attribution: str) -> bool:
        """True when the attribution says `lbo:anonymous true`."""
        ...

    def records_for(self, triple: pyoxigraph.Triple) -> list[str]:
        """The statement records that support `triple`, sorted."""
        ...

    def has_iri(self, iri: str) -> bool:
        """True when `iri` is the subject or the object of a triple of the dataset."""
        ...

    def iris(self, namespace: str) -> list[str]:
        """Every IRI in `namespace` used as subject or object, sorted."""
        ...
