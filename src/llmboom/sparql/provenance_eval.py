"""The evaluation under a row's values that `answer_provenance` needs, over a pyoxigraph store.

- `OxigraphGraph`: an rdflib `Graph` whose triples are read from a pyoxigraph store's default
  graph by `quads_for_pattern` (nothing copied, nothing written), so rdflib's algebra of the
  query can be evaluated on the very data the query ran on;
- `evaluate`: the solutions of a pattern node with some variables bound to a row's values,
  kept when they agree with the row;
- `path_edges`: the edges of a property path that connect two bound ends.

rdflib's evaluator is used for reading the query's own pattern only: it never sees SERVICE
(refused by `sparql_guard` before any of this, and left out by `answer_provenance`), nor a
FROM clause (only pattern nodes under the query's dataset clause are evaluated).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from rdflib import BNode, Graph, Literal, URIRef, Variable
from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath
from rdflib.store import Store
from rdflib.term import Identifier

from llmboom.rdf.loading import to_rdflib_term as to_rdflib

if TYPE_CHECKING:
    import pyoxigraph

Triple = tuple[Any, Any, Any]


def to_oxigraph(term: Any) -> Any:
    """The pyoxigraph term of an rdflib term (None stays None: a wildcard)."""
    import pyoxigraph

    if term is None or isinstance(term, Variable):
        return None
    if isinstance(term, URIRef):
        return pyoxigraph.NamedNode(str(term))
    if isinstance(term, BNode):
        return pyoxigraph.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return pyoxigraph.Literal(str(term), language=term.language)
        if term.datatype is not None:
            return pyoxigraph.Literal(str(term), datatype=pyoxigraph.NamedNode(term.datatype))
        return pyoxigraph.Literal(str(term))
    return None


class _OxigraphStore(Store):
    """A read-only rdflib store over a pyoxigraph store's default graph."""

    def __init__(self, store: pyoxigraph.Store) -> None:
        super().__init__()
        self._store = store

    def triples(self, triple_pattern: Any, context: Any = None) -> Iterator[Any]:
        import pyoxigraph

        s, p, o = (to_oxigraph(term) for term in triple_pattern)
        for quad in self._store.quads_for_pattern(s, p, o, pyoxigraph.DefaultGraph()):
            triple = (to_rdflib(quad.subject), to_rdflib(quad.predicate), to_rdflib(quad.object))
            yield triple, iter(())

    def __len__(self, context: Any = None) -> int:
        import pyoxigraph

        return sum(
            1 for _ in self._store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())
        )


class OxigraphGraph(Graph):
    """An rdflib graph that reads a pyoxigraph store's default graph."""

    def __init__(self, store: pyoxigraph.Store) -> None:
        super().__init__(store=_OxigraphStore(store))


def evaluate(
    graph: Graph,
    pattern: Any,
    bound: Sequence[str],
    projected: Sequence[str],
    values: Mapping[str, Any],
    *,
    limit: int = 1000,
) -> tuple[list[dict[Any, Any]], bool]:
    """The solutions of `pattern` with the variables `bound` set to the row's `values`, kept
    when every `projected` variable agrees with the row (bound to the same value, or unbound
    in both); at most `limit`, and whether more were cut."""
    from rdflib.plugins.sparql.evaluate import evalPart
    from rdflib.plugins.sparql.sparql import QueryContext

    init: dict[str, Identifier] = {Variable(name): values[name] for name in bound if name in values}
    context = QueryContext(graph, initBindings=init)
    solutions: list[dict[Any, Any]] = []
    for solution in evalPart(context, pattern):
        found = dict(solution)
        if not all(found.get(Variable(name)) == values.get(name) for name in projected):
            continue
        if len(solutions) == limit:
            return solutions, True
        solutions.append(found)
    return solutions, False


def _pairs(graph: Graph, path: Any, s: Any, o: Any) -> Iterator[tuple[Any, Any]]:
    """The (start, end) pairs `path` (an IRI or a Path) connects, ends bound or None."""
    if isinstance(path, URIRef):
        for a, _, b in graph.triples((s, path, o)):
            yield a, b
    else:
        yield from path.eval(graph, s, o)


def path_edges(graph: Graph, path: Any, s: Any, o: Any) -> set[Triple]:
    """The triples of `graph` on some walk of `path` from `s` to `o` (both bound)."""
    if isinstance(path, URIRef):
        return {(s, path, o)} if (s, path, o) in graph else set()
    if isinstance(path, InvPath):
        return path_edges(graph, path.arg, o, s)
    if isinstance(path, AlternativePath):
        return set().union(*(path_edges(graph, arg, s, o) for arg in path.args))
    if isinstance(path, SequencePath):
        first = path.args[0]
        rest = path.args[1] if len(path.args) == 2 else SequencePath(*path.args[1:])
        edges: set[Triple] = set()
        for _, middle in set(_pairs(graph, first, s, None)):
            if any(True for _ in _pairs(graph, rest, middle, o)):
                edges |= path_edges(graph, first, s, middle) | path_edges(graph, rest, middle, o)
        return edges
    if isinstance(path, MulPath):
        step = path.path
        forward = {end for _, end in MulPath(step, "*").eval(graph, s, None)} | {s}
        backward = {start for start, _ in MulPath(step, "*").eval(graph, None, o)} | {o}
        edges = set()
        for start in forward:
            for _, end in set(_pairs(graph, step, start, None)):
                if end in backward:
                    edges |= path_edges(graph, step, start, end)
        return edges
    if isinstance(path, NegatedPath):
        edges = set()
        forward_excluded = {arg for arg in path.args if isinstance(arg, URIRef)}
        inverse_excluded = {arg.arg for arg in path.args if isinstance(arg, InvPath)}
        if forward_excluded or not inverse_excluded:
            for triple in graph.triples((s, None, o)):
                if triple[1] not in forward_excluded:
                    edges.add(triple)
        if inverse_excluded:
            for triple in graph.triples((o, None, s)):
                if triple[1] not in inverse_excluded:
                    edges.add(triple)
        return edges
    return set()  # another kind of Path: nothing known to trace
