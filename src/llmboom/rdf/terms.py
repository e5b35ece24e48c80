"""A pyoxigraph term's text, for every kind of term the parsers return.

pyoxigraph types a subject as an IRI, a blank node or a triple term, and an object as any of
those or a literal. A triple term (RDF 1.2's `<<( s p o )>>`, which any Turtle file may
hold) has no `.value`: code that compares terms by their text reads it through `term_value`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

if TYPE_CHECKING:
    import pyoxigraph

#: A term with a text value: what a page shows of an object.
Value: TypeAlias = "pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal"
#: Any term a triple may hold.
Term: TypeAlias = (
    "pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple"
)


def term_value(term: Term) -> str:
    """An IRI's text, a blank node's id, a literal's lexical form; a triple term, which has
    none of these, in its N-Triples form (so it equals no IRI and no literal's text)."""
    value: str | None = getattr(term, "value", None)  # duck-typed: pyoxigraph stays lazy
    return str(term) if value is None else value
