"""Incremental validation: which nodes a submission can affect, and what their shapes read.

Adding triples can change the verdict on a node only where a shape is not monotonic in the
data, so full validation is not needed. The project's shapes (shapes/*.ttl) reach:
- the subject of a new triple: closed shapes, maximum counts, datatypes, patterns, dates in
  order, facts without statement records, targets gained from new types;
- an `lbr:` object that the dataset did not describe yet: it needs a label and a type;
- along `lbo:reportsTo`, every node the new edge's subject reaches (a cycle the edge closes
  is reported on each of its members, as full validation does);
- through `lbo:previousPosition`, the positions pointing at a position given a new holder.
What a shape reads about a focus node (its neighbourhood) is: its own triples, the triples of
the `lbr:` nodes it points to (types, holders, texts), the statement records about it, the
sources citing its sources (quotes may come from them), the `lbo:announcedModel` edges into
it, and the reporting chain above it. pyshacl then validates those focus nodes on that small
graph; the ontology is added by the validator. `tests/test_submission_incremental.py` checks
on generated submissions that the verdicts and violations equal full validation's.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Final

from llmboom.namespaces import LBO, PROV, RDF

if TYPE_CHECKING:
    import pyoxigraph

_REPORTS_TO: Final = LBO + "reportsTo"
_HOLDER: Final = LBO + "holder"
_PREVIOUS: Final = LBO + "previousPosition"
_CITES: Final = LBO + "cites"
_ANNOUNCED: Final = LBO + "announcedModel"
_RDF_SUBJECT: Final = RDF + "subject"
_DERIVED_FROM: Final = PROV + "wasDerivedFrom"


class MergedView:
    """Lookups over the dataset's store and the submission's new triples, without copying."""

    def __init__(self, base: pyoxigraph.Store, new: Iterable[pyoxigraph.Quad]) -> None:
        import pyoxigraph

        self.base = base
        self.new = pyoxigraph.Store()
        self.new.extend(new)

    def match(self, subject=None, predicate=None, obj=None) -> Iterator[pyoxigraph.Quad]:
        import pyoxigraph

        graph = pyoxigraph.DefaultGraph()
        yield from self.base.quads_for_pattern(subject, predicate, obj, graph)
        yield from self.new.quads_for_pattern(subject, predicate, obj, graph)


def focus_nodes(view: MergedView, new: Iterable[pyoxigraph.Quad], base_iri: str) -> set:
    """The nodes whose validation results the new triples can change (pyoxigraph terms)."""
    import pyoxigraph

    focus: set = set()
    reporting: list = []
    holders: list = []
    graph = pyoxigraph.DefaultGraph()
    for quad in new:
        subject, predicate, obj = quad.subject, quad.predicate.value, quad.object
        focus.add(subject)
        if (
            isinstance(obj, pyoxigraph.NamedNode)
            and obj.value.startswith(base_iri)
            and next(iter(view.base.quads_for_pattern(obj, None, None, graph)), None) is None
        ):
            focus.add(obj)
        if predicate == _REPORTS_TO:
            reporting.append(subject)
        elif predicate == _HOLDER:
            holders.append(subject)
    focus |= _reachable(view, reporting, _REPORTS_TO)
    pointing = pyoxigraph.NamedNode(_PREVIOUS)
    for position in holders:
        focus.update(q.subject for q in view.match(None, pointing, position))
    return focus


def neighbourhood(view: MergedView, focus: Iterable) -> list[pyoxigraph.Quad]:
    """The triples of the merged data that validating `focus` reads (see the module doc)."""
    import pyoxigraph

    rdf_subject = pyoxigraph.NamedNode(_RDF_SUBJECT)
    cites = pyoxigraph.NamedNode(_CITES)
    announced = pyoxigraph.NamedNode(_ANNOUNCED)
    reports_to = pyoxigraph.NamedNode(_REPORTS_TO)
    quads: set = set()
    described: dict = {}

    def describe(node) -> list:
        """The node's own triples (added to the neighbourhood once)."""
        if node not in described:
            described[node] = list(view.match(node))
            quads.update(described[node])
        return described[node]

    focus = list(focus)
    for node in focus:
        for quad in describe(node):
            value = quad.object
            if isinstance(value, pyoxigraph.NamedNode):
                describe(value)
                for citing in view.match(None, cites, value):
                    describe(citing.subject)
        for record in view.match(None, rdf_subject, node):
            describe(record.subject)
        quads.update(view.match(None, announced, node))
    for node in _reachable(view, focus, _REPORTS_TO):
        quads.update(view.match(node, reports_to))
    return list(quads)


def _reachable(view: MergedView, start: Iterable, predicate: str) -> set:
    """Every node reachable from `start` along `predicate` (`start` included)."""
    import pyoxigraph

    edge = pyoxigraph.NamedNode(predicate)
    seen = set(start)
    stack = list(seen)
    while stack:
        node = stack.pop()
        for quad in view.match(node, edge):
            if quad.object not in seen:
                seen.add(quad.object)
                stack.append(quad.object)
    return seen
