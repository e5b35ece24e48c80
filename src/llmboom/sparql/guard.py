"""What a query may do, decided on the parsed query, never on its text.

- One reading: `check_read_only` returns the text it decided on (`normalise`d: every line
  break is LF), and callers execute that text, never the one they were given. rdflib and
  pyoxigraph disagree on other line breaks (a lone CR ends a comment for pyoxigraph, not
  for rdflib: `#x<CR>SERVICE …` was a comment to the check and a SERVICE call to the engine).
- SERVICE (which makes pyoxigraph send the query to another host over HTTP) is refused. The
  decision is taken on the parse tree of rdflib's SPARQL 1.1 parser: a query with a
  `ServiceGraphPattern` anywhere (subqueries, EXISTS, OPTIONAL, …) is refused, and so is a
  query that parser cannot read (fail closed: rdflib 7 cannot read some queries that combine
  PREFIX and SERVICE; they are refused either way). The parser is imported only when the
  query contains the letters `service` in any case (before or after `\\u` escapes): without
  them no parser can find the keyword, so the common query stays fast and rdflib unloaded.
- SPARQL Update cannot run: pyoxigraph's `Store.query` parses queries only. When a text
  fails to parse as a query, `update_refusal` tells whether it is an update, to say so.
"""

from __future__ import annotations

import os
import re
from typing import Any, Final

from llmboom.errors import QueryError

_SERVICE_LETTERS: Final = re.compile("service", re.IGNORECASE)
_CODEPOINT: Final = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")
#: Comments, PREFIX and BASE declarations before the first keyword (to locate a message).
_PROLOGUE: Final = re.compile(
    r"(?:\s+|#[^\n]*|PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)*", re.IGNORECASE
)


#: Tests only: set to "1", `check_read_only` skips its SERVICE check (the text is still
#: normalised), to show that the query workers' sandbox (`llmboom.sparql.sandbox`) holds alone.
#: An environment variable of the process, out of reach of any HTTP request.
TEST_SKIP_CHECK_ENV: Final = "LLMBOOM_TEST_ONLY_SKIP_SERVICE_CHECK"


def normalise(text: str) -> str:
    """`text` with every CR LF and lone CR made LF: the only line break both parsers read
    alike. (SPARQL allows a raw CR only inside a long string literal, where it becomes LF.)"""
    return text.replace("\r\n", "\n").replace("\r", "\n")


def check_read_only(text: str, source: str = "query") -> str:
    """The query as it must be executed (`normalise`d); raise `QueryError` if it holds a
    SERVICE clause, or cannot be checked for one. Execute the returned text, not `text`."""
    text = normalise(text)
    if not _may_mention_service(text) or os.environ.get(TEST_SKIP_CHECK_ENV) == "1":
        return text
    tree = _parse(text, source, update=False)
    if "ServiceGraphPattern" in _node_names(tree):
        raise QueryError(f"{source}: SERVICE is not allowed: queries run on the local dataset only")
    return text


def update_refusal(text: str, source: str = "query") -> QueryError | None:
    """The error to report when `text`, which is not a query, is a SPARQL Update; else None."""
    if not re.search(
        r"INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH", text, re.IGNORECASE
    ):
        return None  # no update operation without one of its keywords
    try:
        tree = _parse(text, source, update=True)
    except QueryError:
        return None
    operations = [type_name for type_name in _node_names(tree) if type_name != "Update"]
    operation = _OPERATION_NAMES.get(operations[0], "") if operations else ""
    prologue = _PROLOGUE.match(text)  # matches every text: it may be empty
    body_start = prologue.end() if prologue else 0
    line = text.count("\n", 0, body_start) + 1
    return QueryError(
        f"{source}:{line}: SPARQL Update{f' ({operation})' if operation else ''} is not "
        "allowed: queries are read-only; use SELECT, ASK, CONSTRUCT or DESCRIBE"
    )


_OPERATION_NAMES: Final = {
    "InsertData": "INSERT",
    "DeleteData": "DELETE",
    "DeleteWhere": "DELETE",
    "Modify": "DELETE/INSERT",
    "Load": "LOAD",
    "Clear": "CLEAR",
    "Drop": "DROP",
    "Create": "CREATE",
    "Add": "ADD",
    "Move": "MOVE",
    "Copy": "COPY",
}


def _may_mention_service(text: str) -> bool:
    if text.isascii() and "\\" not in text:  # the common case, decided alike and sooner
        return "service" in text.lower()
    unescaped = _CODEPOINT.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)
    return any(_SERVICE_LETTERS.search(t.casefold()) for t in (text, unescaped))


def _parse(text: str, source: str, *, update: bool) -> Any:
    """rdflib's parse tree of `text`; a `QueryError` with line and column if it fails."""
    from pyparsing import ParseException
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        # The newline lets the parser end a comment on the last line (it needs one).
        return (parseUpdate if update else parseQuery)(text + "\n")
    except ParseException as error:
        what = "SPARQL Update" if update else "SERVICE"
        raise QueryError(
            f"{source}:{error.lineno}:{error.col}: cannot check this query for {what}, so it "
            f"is refused: {' '.join(error.msg.split())}"
        ) from None
    except (RecursionError, ValueError, TypeError) as error:
        raise QueryError(
            f"{source}: cannot read this query: {' '.join(str(error).split())}"
        ) from None


def _node_names(tree: Any) -> list[str]:
    """The names of every node of an rdflib parse tree, depth first."""
    from rdflib.plugins.sparql.parserutils import CompValue

    names: list[str] = []
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            names.append(node.name)
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, dict):
            stack.extend(reversed(list(node.values())))
        elif isinstance(node, list | tuple) or type(node).__name__ == "ParseResults":
            stack.extend(reversed(list(node)))
    return names
