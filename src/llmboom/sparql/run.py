"""Running read-only SPARQL queries on a pyoxigraph store.

`run_query` returns one result type, `QueryResult`, whatever the query form: `kind` tells
whether it holds variable bindings (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE).
Queries may use the project's prefixes (`namespaces.PREFIXES`) without declaring them; a
query's own PREFIX declarations win. SPARQL Update and SERVICE are refused (`sparql_guard`,
which returns the text to execute: the engine runs exactly what was checked): the store is
read-only and queries never reach the network.

With a `timeout`, the query runs in a forked worker (`worker.run_in_worker`) that is killed
at the deadline or on Ctrl-C: the work really stops. That worker cannot use the network at
all where the platform allows it (`llmboom.sparql.sandbox`), whatever the query says. `max_rows`
caps the rows (or triples) kept; `QueryResult.truncated` says when more were available.

This module imports neither rdflib nor pyshacl, so `llmboom query` starts fast.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING, Any, Final, Literal, TypeVar

from llmboom.errors import QueryError, QueryTimeoutError
from llmboom.namespaces import DATASET_IRI, PREFIXES
from llmboom.sparql.guard import check_read_only, update_refusal

if TYPE_CHECKING:
    import pyoxigraph

    Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple

ResultKind = Literal["bindings", "boolean", "graph"]

#: The time limit of `llmboom query` unless `--timeout` says otherwise, in seconds.
DEFAULT_TIMEOUT: Final = 30.0
#: The IRI that names the store's default graph (the dataset's triples) in a query's RDF
#: dataset (`default_graphs`, the protocol's `default-graph-uri`): the dataset's own IRI.
DATA_GRAPH: Final = DATASET_IRI
_POSITION = re.compile(r"error at (?P<line>\d+):(?P<column>\d+):\s*(?P<reason>.*)", re.DOTALL)
_PREFIXED_NAME_END = re.compile(r"(?P<prefix>[A-Za-z][\w.-]*)?:[\w.%-]*$")


@dataclass(frozen=True)
class QueryResult:
    """The result of one query.

    - `kind == "bindings"` (SELECT): `variables` and `rows` (one term or None per variable);
    - `kind == "boolean"` (ASK): `boolean`;
    - `kind == "graph"` (CONSTRUCT, DESCRIBE): `triples`.

    `results_json` is the SPARQL 1.1 results JSON of bindings and booleans, so that renderers
    can reuse pyoxigraph's own results writers: the JSON a remote endpoint answered
    (`encoded_json`), else written from the rows when first asked for (most callers never
    ask, and writing it costs more than the query on large results).
    """

    kind: ResultKind
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Term | None, ...], ...] = ()
    boolean: bool = False
    triples: tuple[pyoxigraph.Triple, ...] = ()
    encoded_json: bytes | None = None  #: the results JSON as received, when there was one
    truncated: bool = False

    @cached_property
    def results_json(self) -> bytes:
        """SPARQL 1.1 Query Results JSON of the rows or the boolean (b"" for triples)."""
        if self.encoded_json is not None:
            return self.encoded_json
        if self.kind == "boolean":
            return json.dumps({"head": {}, "boolean": self.boolean}, separators=(",", ":")).encode()
        if self.kind == "bindings":
            return results_json(self.variables, self.rows)
        return b""

    def __len__(self) -> int:
        """The number of rows, of triples, or 1 for a boolean."""
        if self.kind == "bindings":
            return len(self.rows)
        if self.kind == "graph":
            return len(self.triples)
        return 1

    def as_dicts(self) -> list[dict[str, Term]]:
        """The rows as dictionaries of bound variables (unbound ones are left out)."""
        return [
            {var: term for var, term in zip(self.variables, row, strict=True) if term is not None}
            for row in self.rows
        ]


def run_query(
    store: pyoxigraph.Store,
    text: str,
    *,
    source: str = "query",
    prefixes: Mapping[str, str] = PREFIXES,
    timeout: float | None = None,
    max_rows: int | None = None,
    base_iri: str | None = None,
    default_graphs: Sequence[str] | None = None,
    named_graphs: Sequence[str] | None = None,
) -> QueryResult:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) on `store`.

    Relative IRIs in the query (`<bytedance>`) resolve against `base_iri`, by default the
    resource base (the `lbr:` prefix of `prefixes`). `default_graphs` and `named_graphs`
    give the query's RDF dataset, as the protocol's `default-graph-uri` and
    `named-graph-uri` do (overriding FROM and FROM NAMED): each is a graph IRI, with
    `DATA_GRAPH` naming the store's default graph (the dataset's triples).

    `source` names the query in error messages (`source:line:column: reason`). With
    `timeout` (seconds) the query runs in a worker process killed at the deadline
    (`QueryTimeoutError`) and that has no network where the platform can deny it
    (`llmboom.sparql.sandbox`); `max_rows` keeps at most that many rows or triples. Raise
    `QueryError` for a malformed query, an update, a SERVICE clause, or memory exhausted.
    """
    text = check_read_only(text, source)
    prefixes = dict(prefixes)
    options = _query_options(prefixes, base_iri, default_graphs, named_graphs)
    if timeout is None:
        return _evaluate(store, text, source, options, max_rows)
    from llmboom.sparql import sandbox, worker

    try:
        return worker.run_in_worker(
            lambda: _evaluate(store, text, source, options, max_rows),
            timeout=timeout,
            no_network=sandbox.unavailable_reason() is None,
        )
    except worker.WorkerTimeout:
        raise QueryTimeoutError(
            f"{source}: the query did not finish within {timeout:g} s and was stopped "
            "(raise the limit with --timeout, or narrow the query)"
        ) from None
    except worker.WorkerOutOfMemory:
        raise QueryError(
            f"{source}: the query needed more memory than allowed and was stopped "
            "(narrow it, or add a LIMIT)"
        ) from None


def _query_options(
    prefixes: dict[str, str],
    base_iri: str | None,
    default_graphs: Sequence[str] | None,
    named_graphs: Sequence[str] | None,
) -> dict[str, Any]:
    """The keyword arguments of `pyoxigraph.Store.query` for these choices."""
    import pyoxigraph

    def graph(iri: str):
        return pyoxigraph.DefaultGraph() if iri == DATA_GRAPH else pyoxigraph.NamedNode(iri)

    options: dict[str, Any] = {"prefixes": prefixes, "base_iri": base_iri or prefixes.get("lbr")}
    if default_graphs or named_graphs:
        options["default_graph"] = [graph(iri) for iri in default_graphs or ()]
        options["named_graphs"] = [pyoxigraph.NamedNode(iri) for iri in named_graphs or ()]
    return options


def _evaluate(
    store: pyoxigraph.Store,
    text: str,
    source: str,
    options: dict[str, Any],
    max_rows: int | None,
) -> QueryResult:
    """Evaluate the query in this process; keep at most `max_rows` rows or triples."""
    import pyoxigraph

    try:
        answer = store.query(text, **options)
        if isinstance(answer, pyoxigraph.QueryBoolean):
            return QueryResult(kind="boolean", boolean=bool(answer))
        if isinstance(answer, pyoxigraph.QueryTriples):
            triples, truncated = _take(answer, max_rows)
            return QueryResult(kind="graph", triples=tuple(triples), truncated=truncated)
        variables = tuple(variable.value for variable in answer.variables)
        solutions, truncated = _take(answer, max_rows)
    except SyntaxError as error:
        raise update_refusal(text, source) or QueryError(
            syntax_message(text, str(error), source)
        ) from None
    except (OSError, ValueError, RuntimeError) as error:
        raise QueryError(f"{source}: {_one_line(str(error))}") from None
    indices = range(len(variables))
    rows = tuple(tuple(map(solution.__getitem__, indices)) for solution in solutions)
    return QueryResult(kind="bindings", variables=variables, rows=rows, truncated=truncated)


_Item = TypeVar("_Item")


def _take(items: Iterable[_Item], limit: int | None) -> tuple[list[_Item], bool]:
    """At most `limit` items of an iterator (all when None), and whether more were left."""
    if limit is None:
        return list(items), False
    taken: list[_Item] = []
    for item in items:
        if len(taken) == limit:
            return taken, True
        taken.append(item)
    return taken, False


def results_json(variables: tuple[str, ...], rows: tuple[tuple[Term | None, ...], ...]) -> bytes:
    """SPARQL 1.1 Query Results JSON for these rows (unbound variables left out)."""
    bindings = [
        {
            var: _term_json(term)
            for var, term in zip(variables, row, strict=True)
            if term is not None
        }
        for row in rows
    ]
    document = {"head": {"vars": list(variables)}, "results": {"bindings": bindings}}
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _term_json(term: Term) -> dict[str, Any]:
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, pyoxigraph.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, pyoxigraph.Triple):
        parts = ("subject", "predicate", "object")
        return {"type": "triple", "value": {p: _term_json(getattr(term, p)) for p in parts}}
    encoded = {"type": "literal", "value": term.value}
    if term.language:
        encoded["xml:lang"] = term.language
    elif term.datatype.value != "http://www.w3.org/2001/XMLSchema#string":
        encoded["datatype"] = term.datatype.value
    return encoded


def syntax_message(text: str, message: str, source: str = "query") -> str:
    """Turn pyoxigraph's `error at L:C: reason` into `source:L:C: reason` on one line."""
    match = _POSITION.search(message)
    if not match:
        return f"{source}: {_one_line(message)}"
    line, column = int(match["line"]), int(match["column"])
    reason = _one_line(match["reason"])
    lines = text.splitlines() or [""]
    before = lines[line - 1][: column - 1] if 0 < line <= len(lines) else ""
    if "Prefix not found" in reason:
        name = _PREFIXED_NAME_END.search(before)
        prefix = (name["prefix"] or "") if name else ""
        reason = f"unknown prefix {prefix + ':'!r}; declare it with PREFIX"
    else:
        reason = expected_in_words(reason)
        if len(reason) > 120:
            reason = reason[:117].rstrip(" ,[") + "…"
        token = before.split()[-1] if before.split() else ""
        if token:
            reason = f"syntax error near {token[-30:]!r}: {reason}"
        else:
            reason = f"syntax error: {reason}"
    return f"{source}:{line}:{column}: {reason}"


_EXPECTED: Final = re.compile(r"expected (?:one of )?(?P<items>.*)$", re.DOTALL)
_GRAMMAR_ITEM: Final = re.compile(
    r'"(?:[^"\\]|\\.)*"|\[(?:[^\]\'\\]|\\.|\'(?:[^\'\\]|\\.)*\')*\]|[^,"\[\s][^,]*'
)


def expected_in_words(reason: str) -> str:
    """pyoxigraph's grammar tokens in words: `expected one of ",", OPTIONAL, [_]` becomes
    `expected ',', OPTIONAL or any character` (`['0'..='9']` is a digit, a class of letters
    a letter); other reasons unchanged."""
    match = _EXPECTED.search(reason)
    if not match:
        return reason
    words: list[str] = []
    for item in _GRAMMAR_ITEM.findall(match["items"]):
        word = _grammar_item_in_words(item)
        if word not in words:
            words.append(word)
    if not words:
        return reason
    listed = words[0] if len(words) == 1 else ", ".join(words[:-1]) + " or " + words[-1]
    return reason[: match.start()] + "expected " + listed


def _grammar_item_in_words(item: str) -> str:
    if item.startswith('"'):
        return repr(item[1:-1].replace('\\"', '"').replace("\\\\", "\\"))
    if item.strip() == "IRI parsing failed":
        return "an absolute IRI"
    if not item.startswith("["):
        return item.strip()  # a keyword, as written
    if item == "[_]":
        return "any character"
    if item.startswith("['") and item.endswith("']") and ".." not in item and "|" not in item:
        return repr(item[2:-2])
    if "'0'..='9'" in item.replace(" ", ""):
        return "a digit"
    if "'A'..='Z'" in item.replace(" ", ""):
        return "a letter"
    return "a character of a name"


def _one_line(message: str) -> str:
    return " ".join(message.split())
