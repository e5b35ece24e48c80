"""Answer provenance: the statement records behind each row of a SELECT query's answer.

The rows come from pyoxigraph, which ran the one text that `sparql_guard` checked. To learn
which triples a row used, this module reads that same text once with rdflib's SPARQL parser
(pyoxigraph exposes no algebra) and evaluates the row's solution pattern again, over the
same store, with the row's values bound, so the variables the row does not show (projected
away, or aggregated) get their values too:

- a plain SELECT: the pattern under the projection, with the row's projected values;
- an aggregate: the grouped pattern (what `GROUP BY` groups), with the row's group keys: the
  support of the row is the union over the group's members;
- each triple pattern of the solution's pattern (basic graph patterns, OPTIONAL, UNION,
  joins) is instantiated with the solution; a property path is traced to the actual edges
  that connect its two bound ends (every edge on some path between them);
- each instantiated triple is looked up among the statement records (`rdf:subject`,
  `rdf:predicate`, `rdf:object`); a triple that RDFS entailment added (`org:reportsTo`
  from `lbo:reportsTo`) is traced to the asserted sub-property triple it comes from; types,
  English labels and statement records' own triples carry no records (SPEC §4): said so.

Where it cannot tell (FILTER EXISTS patterns, named graphs, a group key the row does not
show, …) the row carries a note saying exactly that. Apart from the query itself, run once
by pyoxigraph on the text the guard checked, no query text is run: the evaluation (rdflib's
evaluator of the parsed pattern, `provenance_eval`) and the record lookups
(`statement_lookup`) read the store through pyoxigraph's `quads_for_pattern`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from llmboom.errors import QueryError

if TYPE_CHECKING:
    import pyoxigraph

    from llmboom.sparql.run import QueryResult
    from llmboom.sparql.statement_lookup import Found, Record

#: Most solutions of a row's pattern (or of an aggregate's group) that are traced.
MAX_SOLUTIONS: Final = 1000
_IRI_IN_PATH: Final = re.compile(r"<([^>]*)>")


@dataclass(frozen=True)
class Support:
    """A triple a row used, the pattern it matched, and the records behind it."""

    pattern: str  #: the triple pattern (or path) as the query wrote it
    triple: tuple[str, str, str]  #: N-Triples terms
    records: tuple[Record, ...] = ()
    #: the asserted triple an entailed one comes from (N-Triples terms)
    via: tuple[str, str, str] | None = None
    note: str | None = None  #: why there are no records, when there are none

    @property
    def only_anonymous(self) -> bool:
        """Whether every record behind this triple is anonymous (False without records)."""
        return bool(self.records) and all(record.anonymous for record in self.records)

    def as_dict(self) -> dict[str, Any]:
        """The support as JSON."""
        data: dict[str, Any] = {"pattern": self.pattern, "triple": list(self.triple)}
        if self.via is not None:
            data["entailedFrom"] = list(self.via)
        data["records"] = [record.as_dict() for record in self.records]
        if self.note is not None:
            data["note"] = self.note
        return data


@dataclass(frozen=True)
class RowProvenance:
    """What one result row rests on."""

    supports: tuple[Support, ...] = ()
    notes: tuple[str, ...] = ()  #: where the tracing could not tell, and why

    @property
    def records(self) -> tuple[Record, ...]:
        """Every record behind the row, each once."""
        seen: dict[str, Record] = {}
        for support in self.supports:
            for record in support.records:
                seen.setdefault(record.statement, record)
        return tuple(seen.values())

    @property
    def only_anonymous(self) -> bool:
        """Whether the row rests only on anonymous sources (it has records, all anonymous)."""
        records = self.records
        return bool(records) and all(record.anonymous for record in records)

    def as_dict(self) -> dict[str, Any]:
        """The row's provenance as JSON (the `@provenance` key of a results row)."""
        return {
            "onlyAnonymous": self.only_anonymous,
            "supports": [support.as_dict() for support in self.supports],
            "notes": list(self.notes),
        }


@dataclass
class _Plan:
    """What to evaluate again for each row, read from the query's algebra."""

    pattern: Any  #: the rdflib algebra node whose solutions a row comes from
    bound: tuple[str, ...]  #: the row's variables to bind before evaluating it
    projected: tuple[str, ...]  #: the row's variables a solution must agree with
    notes: list[str] = field(default_factory=list)


def trace(
    store: pyoxigraph.Store,
    text: str,
    result: QueryResult,
    *,
    prefixes: Mapping[str, str],
) -> tuple[RowProvenance, ...]:
    """The provenance of every row of `result`, the answer of the SELECT query `text` on
    `store` (the store the query ran on, with its ontology graph). `QueryError` when the
    query is not a SELECT."""
    if result.kind != "bindings":
        raise QueryError("provenance applies to SELECT queries: their rows are what it traces")
    from llmboom.sparql.provenance_eval import OxigraphGraph, evaluate, to_rdflib
    from llmboom.sparql.statement_lookup import RecordLookup

    plan = _plan(text, prefixes, result.variables)
    graph = OxigraphGraph(store)
    lookup = RecordLookup(store)
    traced = []
    for row in result.rows:
        values = {
            name: to_rdflib(term)
            for name, term in zip(result.variables, row, strict=True)
            if term is not None
        }
        notes = list(plan.notes)
        try:
            solutions, cut = evaluate(graph, plan.pattern, plan.bound, plan.projected, values)
        except Exception as error:  # rdflib's evaluator raises bare Exceptions
            solutions, cut = [], False
            reason = " ".join(str(error).split())
            notes.append(
                f"the pattern could not be evaluated again here ({reason}), so only the "
                "triple patterns that the row's own values bind are traced"
            )
        else:
            if not solutions:
                notes.append(
                    "evaluating the pattern again under this row's values found no solution "
                    "(rdflib's evaluator and the engine disagree here), so only the triple "
                    "patterns that the row's own values bind are traced"
                )
        if not solutions:
            from rdflib import Variable

            solutions = [{Variable(name): term for name, term in values.items()}]
        if cut:
            notes.append(f"only the first {MAX_SOLUTIONS} solutions behind this row are traced")
        triples: dict[tuple[str, str, str], str] = {}
        for solution in solutions:
            for pattern_text, triple in _instantiate(graph, plan.pattern, solution):
                triples.setdefault(triple, pattern_text)
        supports = tuple(
            _support(pattern, triple, lookup.lookup(triple)) for triple, pattern in triples.items()
        )
        traced.append(RowProvenance(supports, tuple(dict.fromkeys(notes))))
    return tuple(traced)


def _support(pattern: str, triple: tuple[str, str, str], found: Found) -> Support:
    return Support(pattern, triple, found.records, via=found.via, note=found.note)


def _plan(text: str, prefixes: Mapping[str, str], variables: Sequence[str]) -> _Plan:
    """Read the query once (rdflib's algebra) and find the pattern a row's solutions come
    from."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery

    try:
        query = translateQuery(
            parseQuery(text + "\n"), base=prefixes.get("lbr"), initNs=dict(prefixes)
        )
    except (ParseException, Exception) as error:  # rdflib raises bare Exceptions too
        raise QueryError(
            f"query: cannot read this query to trace its provenance: {' '.join(str(error).split())}"
        ) from None
    node = query.algebra
    if node.name != "SelectQuery":
        raise QueryError("provenance applies to SELECT queries: their rows are what it traces")
    notes: list[str] = []
    if node.get("datasetClause"):
        notes.append(
            "the query names its dataset (FROM / FROM NAMED): its patterns are traced "
            "against the default graph, where the statement records are"
        )
    node = node.p
    while node.name in ("Slice", "Distinct", "Reduced", "OrderBy", "Project"):
        node = node.p
    group = _find_group(node)
    if group is None:
        pattern = node
        list(_triple_patterns(pattern, notes))  # what cannot be traced, said once
        bound = tuple(v for v in variables if v in _pattern_variables(pattern))
        return _Plan(pattern, bound, tuple(variables), notes)
    keys = [str(expr) for expr in (group.expr or []) if _is_variable(expr)]
    if group.expr is None:
        notes.append(
            "an aggregate over the whole result: its support is the union over every "
            "solution of the pattern"
        )
    elif len(keys) != len(group.expr):
        notes.append(
            "a GROUP BY key is an expression: the group is found by its variable keys only, "
            "so the support may include members of other groups"
        )
    missing = [key for key in keys if key not in variables]
    if missing:
        shown = ", ".join("?" + key for key in missing)
        notes.append(
            f"the group key {shown} is not in the result, so the row's group cannot be "
            "told apart: its support is the union over every group that agrees with the "
            "row's other keys"
        )
    bound = tuple(key for key in keys if key in variables)
    list(_triple_patterns(group.p, notes))
    return _Plan(group.p, bound, bound, notes)


def _find_group(node: Any) -> Any:
    """The Group node under the SELECT's own expressions and HAVING, if it aggregates."""
    while node.name in ("Extend", "Filter", "AggregateJoin", "Group"):
        if node.name == "Group":
            return node
        node = node.p
    return None


def _is_variable(term: Any) -> bool:
    from rdflib import Variable

    return isinstance(term, Variable)


def _pattern_variables(node: Any) -> set[str]:
    """The variables of every triple pattern under `node`."""
    names: set[str] = set()
    for _, triple, _ in _triple_patterns(node, []):
        names.update(str(term) for term in triple if _is_variable(term))
    return names


def _triple_patterns(node: Any, notes: list[str]) -> Iterator[tuple[str, tuple, str]]:
    """Every triple pattern of a pattern node: (kind, triple, where), noting what is left
    out."""
    from rdflib.plugins.sparql.parserutils import CompValue

    if not isinstance(node, CompValue):
        return
    name = node.name
    if name == "BGP":
        for triple in node.triples:
            yield "triple", tuple(triple), ""
        return
    if name in ("Join", "LeftJoin", "Union"):
        yield from _triple_patterns(node.p1, notes)
        yield from _triple_patterns(node.p2, notes)
        if name == "LeftJoin" and _mentions_exists(node.expr):
            notes.append(_EXISTS_NOTE)
        return
    if name == "Minus":
        yield from _triple_patterns(node.p1, notes)  # MINUS removes rows, supports none
        return
    if name in ("Filter", "Extend"):
        if _mentions_exists(node.expr):
            notes.append(_EXISTS_NOTE)
        yield from _triple_patterns(node.p, notes)
        return
    if name == "Graph":
        notes.append(
            f"patterns inside GRAPH {node.term.n3()} are not traced: statement records "
            "describe the default graph only"
        )
        return
    if name == "ServiceGraphPattern":
        notes.append("a SERVICE pattern cannot be traced")
        return
    if name in ("Project", "Distinct", "Reduced", "Slice", "OrderBy", "AggregateJoin", "Group"):
        notes.append(
            "a subquery's patterns are traced only where their variables are in its "
            "projection; others are left out"
        )
        yield from _triple_patterns(node.p, notes)
        return
    # ToMultiSet / values and other leaves: no triple patterns


_EXISTS_NOTE: Final = (
    "patterns inside FILTER EXISTS / NOT EXISTS are not traced (they test for data, the "
    "row does not show it)"
)


def _mentions_exists(expr: Any) -> bool:
    from rdflib.plugins.sparql.parserutils import CompValue

    stack = [expr]
    while stack:
        item = stack.pop()
        if isinstance(item, CompValue):
            if item.name in ("Builtin_EXISTS", "Builtin_NOTEXISTS"):
                return True
            stack.extend(item.values())
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return False


def _instantiate(
    graph: Any, pattern: Any, solution: Mapping[Any, Any]
) -> Iterator[tuple[str, tuple[str, str, str]]]:
    """The triples one solution used: each triple pattern with every term bound that holds
    in the store (an OPTIONAL or UNION branch that did not match leaves variables unbound or
    a triple absent); paths are traced to their edges."""
    from rdflib import BNode, URIRef, Variable
    from rdflib.paths import Path

    from llmboom.sparql.provenance_eval import path_edges

    for _, triple, _ in _triple_patterns(pattern, []):
        terms = [solution.get(t, None) if isinstance(t, Variable | BNode) else t for t in triple]
        if any(term is None for term in terms):
            continue
        s, p, o = terms
        pattern_text = " ".join(_pattern_term(t) for t in triple)
        if isinstance(p, Path):
            edges = path_edges(graph, p, s, o)
        elif isinstance(p, URIRef) and (s, p, o) in graph:
            edges = {(s, p, o)}
        else:
            edges = set()
        for edge in sorted(edges):
            yield pattern_text, tuple(term.n3() for term in edge)


def _pattern_term(term: Any) -> str:
    from rdflib import BNode, Variable
    from rdflib.paths import Path

    from llmboom.namespaces import shorten

    if isinstance(term, Variable):
        return "?" + str(term)
    if isinstance(term, BNode):
        return "[]"
    if isinstance(term, Path):
        return _IRI_IN_PATH.sub(lambda match: shorten(match[1]), term.n3())
    text = term.n3()
    return shorten(str(term)) if text.startswith("<") else text


def run_with_provenance(
    store: pyoxigraph.Store,
    text: str,
    *,
    source: str = "query",
    prefixes: Mapping[str, str],
    timeout: float | None = None,
    max_rows: int | None = None,
) -> tuple[QueryResult, tuple[RowProvenance, ...]]:
    """Run the SELECT query `text` (as `sparql.run_query`: checked, then run by pyoxigraph)
    and trace every row's provenance on the same checked text; with `timeout`, both in one
    worker without network (`llmboom.sparql.sandbox`), stopped at the deadline."""
    from llmboom.sparql.guard import check_read_only
    from llmboom.sparql.run import run_query

    checked = check_read_only(text, source)  # the one text both the engine and trace read

    def work() -> tuple[QueryResult, tuple[RowProvenance, ...]]:
        result = run_query(store, checked, source=source, prefixes=prefixes, max_rows=max_rows)
        return result, trace(store, checked, result, prefixes=prefixes)

    if timeout is None:
        return work()
    from llmboom.errors import QueryTimeoutError
    from llmboom.sparql import sandbox, worker

    try:
        return worker.run_in_worker(
            work, timeout=timeout, no_network=sandbox.unavailable_reason() is None
        )
    except worker.WorkerTimeout:
        raise QueryTimeoutError(
            f"{source}: the query and its provenance did not finish within {timeout:g} s and "
            "were stopped (raise the limit with --timeout, or narrow the query)"
        ) from None
    except worker.WorkerOutOfMemory:
        raise QueryError(
            f"{source}: the query's provenance needed more memory than allowed and was "
            "stopped (narrow it, or add a LIMIT)"
        ) from None
