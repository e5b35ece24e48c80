"""Running read-only SPARQL queries on a pyoxigraph store.

`run_query` returns one result type, `QueryResult`, whatever the query form: `kind` tells
whether it holds variable bindings (SELECT), a boolean (ASK) or triples (CONSTRUCT, DESCRIBE).
Queries may use the project's prefixes (`namespaces.PREFIXES`) without declaring them; a
query's own PREFIX declarations win. SPARQL Update and SERVICE are refused: the store is
read-only and queries never reach the network.

This module imports neither rdflib nor pyshacl, so `llmboom query` starts fast.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from llmboom.errors import QueryError
from llmboom.namespaces import PREFIXES

if TYPE_CHECKING:
    import pyoxigraph

    Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal | pyoxigraph.Triple

ResultKind = Literal["bindings", "boolean", "graph"]

_UPDATE_KEYWORDS = frozenset(
    {"INSERT", "DELETE", "LOAD", "CLEAR", "CREATE", "DROP", "COPY", "MOVE", "ADD", "WITH"}
)
#: Comments, PREFIX and BASE declarations that may open a query or an update.
_PROLOGUE = re.compile(
    r"(?:\s+|#[^\n]*|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)*", re.IGNORECASE
)
#: Tokens inside which a keyword is not a keyword: strings, IRIs, comments.
_OPAQUE = re.compile(
    r'"""[\s\S]*?"""'
    r"|'''[\s\S]*?'''"
    r'|"(?:[^"\\\n]|\\.)*"'
    r"|'(?:[^'\\\n]|\\.)*'"
    r"|<[^<>\"{}|^`\\\s]*>"
    r"|#[^\n]*"
)
_SERVICE = re.compile(r"(?<![\w:?$])SERVICE(?![\w:-])", re.IGNORECASE)
_POSITION = re.compile(r"error at (?P<line>\d+):(?P<column>\d+):\s*(?P<reason>.*)", re.DOTALL)
_PREFIXED_NAME_END = re.compile(r"(?P<prefix>[A-Za-z][\w.-]*)?:[\w.%-]*$")


@dataclass(frozen=True)
class QueryResult:
    """The result of one query.

    - `kind == "bindings"` (SELECT): `variables` and `rows` (one term or None per variable);
    - `kind == "boolean"` (ASK): `boolean`;
    - `kind == "graph"` (CONSTRUCT, DESCRIBE): `triples`.

    `results_json` keeps the SPARQL 1.1 results JSON that pyoxigraph wrote for bindings and
    booleans, so that renderers can reuse pyoxigraph's own results writers.
    """

    kind: ResultKind
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Term | None, ...], ...] = ()
    boolean: bool = False
    triples: tuple[pyoxigraph.Triple, ...] = ()
    results_json: bytes = b""

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
) -> QueryResult:
    """Run a SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) on `store`.

    `source` names the query in error messages (`source:line:column: reason`). Raise
    `QueryError` for a malformed query, an update, or a SERVICE clause.
    """
    import pyoxigraph

    check_read_only(text, source)
    try:
        answer = store.query(text, prefixes=dict(prefixes))
        if isinstance(answer, pyoxigraph.QueryBoolean):
            return QueryResult(
                kind="boolean",
                boolean=bool(answer),
                results_json=answer.serialize(format=pyoxigraph.QueryResultsFormat.JSON),
            )
        if isinstance(answer, pyoxigraph.QueryTriples):
            return QueryResult(kind="graph", triples=tuple(answer))
        data = answer.serialize(format=pyoxigraph.QueryResultsFormat.JSON)
    except SyntaxError as error:
        raise QueryError(syntax_message(text, str(error), source)) from None
    except (OSError, ValueError, RuntimeError) as error:
        raise QueryError(f"{source}: {_one_line(str(error))}") from None
    solutions = pyoxigraph.parse_query_results(data, pyoxigraph.QueryResultsFormat.JSON)
    variables = tuple(variable.value for variable in solutions.variables)
    rows = tuple(tuple(solution[i] for i in range(len(variables))) for solution in solutions)
    return QueryResult(kind="bindings", variables=variables, rows=rows, results_json=data)


def check_read_only(text: str, source: str = "query") -> None:
    """Refuse SPARQL Update and SERVICE (which would reach other hosts)."""
    body = text[_PROLOGUE.match(text).end() :]
    keyword = re.match(r"[A-Za-z]+", body)
    if keyword and keyword.group().upper() in _UPDATE_KEYWORDS:
        line = text.count("\n", 0, len(text) - len(body)) + 1
        raise QueryError(
            f"{source}:{line}: SPARQL Update ({keyword.group().upper()}) is not allowed: "
            "queries are read-only; use SELECT, ASK, CONSTRUCT or DESCRIBE"
        )
    stripped = _OPAQUE.sub(lambda m: re.sub(r"[^\n]", " ", m.group()), text)
    service = _SERVICE.search(stripped)
    if service:
        line = stripped.count("\n", 0, service.start()) + 1
        column = service.start() - (stripped.rfind("\n", 0, service.start()) + 1) + 1
        raise QueryError(
            f"{source}:{line}:{column}: SERVICE is not allowed: queries run on the local "
            "dataset only"
        )


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
        if len(reason) > 80:
            reason = reason[:77].rstrip(" ,[") + "…"
        token = before.split()[-1] if before.split() else ""
        if token:
            reason = f"syntax error near {token[-30:]!r}: {reason}"
        else:
            reason = f"syntax error: {reason}"
    return f"{source}:{line}:{column}: {reason}"


def _one_line(message: str) -> str:
    return " ".join(message.split())
