"""The catalogue of named SPARQL queries: `queries/<name>.rq` files with a header comment.

A named query's name is its file stem. Its leading comment lines carry a title and a
description::

    # title: Who reports to whom
    # description: Every reportsTo link, with labels.
    #   Further indented comment lines continue the description.
    PREFIX lbo: <https://w3id.org/llmboom/ontology#>
    SELECT ...

A file without a title is still listed; its name stands in for the title.

Parameters (in the style of Datasette's canned queries) are declared one per header line,
`# param: NAME | TYPE | DEFAULT | DESCRIPTION`, with TYPE `iri` (a slug such as
`zhu-wenjia` or an absolute IRI), `string` or `date` (`YYYY-MM-DD`), and DEFAULT empty when
the parameter is required::

    # param: person | iri | shouzi-chew | Whose reporting chain: a slug or an IRI.

A parameter named `person` is bound where the query says, on a line of its own
`VALUES ?person { lbr:shouzi-chew }` (the default; `UNDEF` when the parameter is required),
so the file alone is a plain SPARQL query answering with the defaults, on any endpoint.
`run_named_query` checks each value and turns it into an RDF term (`bind_parameters`: a slug
or an IRI becomes a named node, a date an `xsd:date`, a string a literal) and rewrites those
`VALUES` lines with the term as pyoxigraph writes it (N-Triples syntax, escaped): the value
itself is never spliced into the query, so `x> } ; DROP ALL ; #` is a string literal or
refused.

A named query follows a rebased project: IRIs in the canonical resource namespace (its
`PREFIX lbr:` declaration included) are rewritten into the project's base IRI.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from llmboom.errors import InputError, QueryParameterError, UnknownQueryError
from llmboom.namespaces import LBR, XSD
from llmboom.project import Project

if TYPE_CHECKING:
    import pyoxigraph

QUERY_SUFFIX = ".rq"
_HEADER_FIELDS = ("title", "description")
_FIELD_LINE = re.compile(r"#\s*(?P<key>[A-Za-z]+)\s*:\s?(?P<value>.*)$")
#: The types a parameter may have, and what a value of each looks like.
PARAMETER_TYPES = {
    "iri": "a slug such as zhu-wenjia, or an absolute IRI",
    "string": "any text",
    "date": "a date YYYY-MM-DD",
}
_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
#: Tokens of a query in which a resource IRI is not rewritten (strings, comments), and IRIs.
_TOKENS = re.compile(
    r'"""[\s\S]*?"""|\'\'\'[\s\S]*?\'\'\'|"(?:[^"\\\n]|\\.)*"|\'(?:[^\'\\\n]|\\.)*\''
    r"|#[^\n]*|<(?P<iri>[^<>\"{}|^`\\\s]*)>"
)


@dataclass(frozen=True)
class QueryParameter:
    """One parameter of a named query: it binds the variable of the same name."""

    name: str
    type: str  #: one of `PARAMETER_TYPES`
    default: str | None  #: None when the parameter is required
    description: str

    def as_dict(self) -> dict[str, str | None]:
        return {
            "name": self.name,
            "type": self.type,
            "default": self.default,
            "description": self.description,
        }


@dataclass(frozen=True)
class NamedQuery:
    """One query of the catalogue."""

    name: str  #: the file stem, used with `llmboom query --name`
    title: str
    description: str
    text: str  #: the whole file, header included, rebased: it answers with the defaults
    path: Path
    parameters: tuple[QueryParameter, ...] = ()

    def as_dict(self) -> dict:
        """The catalogue entry as plain data (for JSON listings)."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "path": str(self.path),
            "parameters": [p.as_dict() for p in self.parameters],
        }


def parse_header(text: str) -> dict[str, str]:
    """Read `# title:` and `# description:` from the comment lines that open a query.

    Comment lines that do not start a field continue the previous field; the header ends at
    the first line that is not a comment.
    """
    fields: dict[str, list[str]] = {}
    current: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            current = None
            continue
        if not line.startswith("#"):
            break
        match = _FIELD_LINE.match(line)
        if match and match["key"].lower() == "param":
            current = None
        elif match and match["key"].lower() in _HEADER_FIELDS:
            current = match["key"].lower()
            fields[current] = [match["value"].strip()]
        elif current is not None:
            continuation = line.lstrip("#").strip()
            if continuation:
                fields[current].append(continuation)
            else:
                current = None
    return {key: " ".join(part for part in parts if part) for key, parts in fields.items()}


def parse_parameters(text: str, source: str = "query") -> tuple[QueryParameter, ...]:
    """The `# param:` lines of a query's header; `InputError` for a malformed one."""
    parameters: list[QueryParameter] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        if not line.startswith("#"):
            break
        match = _FIELD_LINE.match(line)
        if not match or match["key"].lower() != "param":
            continue
        parts = [part.strip() for part in match["value"].split("|", 3)]
        if len(parts) != 4 or not _NAME.fullmatch(parts[0]) or parts[1] not in PARAMETER_TYPES:
            raise InputError(
                source,
                "a parameter is declared as '# param: NAME | TYPE | DEFAULT | DESCRIPTION' "
                f"with TYPE one of {', '.join(PARAMETER_TYPES)}",
                number,
            )
        name, kind, default, description = parts
        if name in {p.name for p in parameters}:
            raise InputError(source, f"parameter {name!r} is declared twice", number)
        parameter = QueryParameter(name, kind, default or None, description)
        if parameter.default is not None:
            try:
                parameter_term(parameter, parameter.default, LBR)
            except QueryParameterError as error:
                raise InputError(source, f"the default of {error}", number) from None
        parameters.append(parameter)
    return tuple(parameters)


def read_named_query(path: Path, base_iri: str = LBR) -> NamedQuery:
    """Read one `.rq` file into a `NamedQuery`, its resource IRIs rebased on `base_iri`."""
    text = read_query_file(path)
    header = parse_header(text)
    parameters = parse_parameters(text, str(path))
    for parameter in parameters:
        if not _values_line(parameter.name).search(text):
            raise InputError(
                str(path),
                f"parameter {parameter.name!r} has no line 'VALUES ?{parameter.name} {{ … }}' "
                "where it is bound",
            )
    return NamedQuery(
        name=path.stem,
        title=header.get("title") or path.stem,
        description=header.get("description", ""),
        text=rebase_query(text, base_iri),
        path=path,
        parameters=parameters,
    )


def _values_line(name: str) -> re.Pattern:
    """A line `VALUES ?name { … }` on its own, where the parameter `name` is bound."""
    return re.compile(rf"^(?P<indent>[ \t]*)VALUES \?{name} \{{[^}}\n]*\}}[ \t]*$", re.M)


def bind_into(text: str, bindings: Mapping[str, pyoxigraph.NamedNode | pyoxigraph.Literal]) -> str:
    """`text` with every `VALUES ?name { … }` line of a bound parameter rewritten to hold its
    term, written by pyoxigraph (N-Triples syntax: IRIs checked, literals escaped)."""
    for name, term in bindings.items():
        text = _values_line(name).sub(_indented(f"VALUES ?{name} {{ {term} }}"), text)
    return text


def _indented(line: str) -> Callable[[re.Match[str]], str]:
    """A replacement for `re.sub`: `line` at the indentation the match found."""
    return lambda match: match["indent"] + line


def rebase_query(text: str, base_iri: str) -> str:
    """The query with every IRI in the canonical resource namespace (`PREFIX lbr:` too)
    moved into `base_iri`; strings and comments are left alone."""
    if base_iri == LBR:
        return text

    def move(match: re.Match) -> str:
        iri = match["iri"]
        if iri is None or not iri.startswith(LBR):
            return match.group()
        return f"<{base_iri}{iri[len(LBR) :]}>"

    return _TOKENS.sub(move, text)


def parameter_term(
    parameter: QueryParameter, value: str, base_iri: str
) -> pyoxigraph.NamedNode | pyoxigraph.Literal:
    """The RDF term a value of `parameter` stands for; `QueryParameterError` if malformed."""
    import pyoxigraph

    if parameter.type == "string":
        return pyoxigraph.Literal(value)
    if parameter.type == "date":
        import datetime

        try:
            if _DATE.fullmatch(value):
                datetime.date.fromisoformat(value)
                return pyoxigraph.Literal(value, datatype=pyoxigraph.NamedNode(XSD + "date"))
        except ValueError:
            pass
        raise QueryParameterError(_malformed(parameter, value))
    if _SLUG.fullmatch(value):
        return pyoxigraph.NamedNode(base_iri + value)
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*:", value):
        try:
            return pyoxigraph.NamedNode(value)
        except ValueError:
            pass
    raise QueryParameterError(_malformed(parameter, value))


def _malformed(parameter: QueryParameter, value: str) -> str:
    shown = value if len(value) <= 60 else value[:57] + "..."
    return f"parameter {parameter.name!r}: {shown!r} is not {PARAMETER_TYPES[parameter.type]}"


def bind_parameters(
    query: NamedQuery, values: Mapping[str, str], base_iri: str = LBR
) -> dict[str, pyoxigraph.NamedNode | pyoxigraph.Literal]:
    """Variable name → RDF term for every parameter of `query`: from `values`, else its
    default. `QueryParameterError` for an unknown, missing or malformed parameter."""
    declared = {p.name: p for p in query.parameters}
    unknown = sorted(set(values) - set(declared))
    if unknown:
        expected = ", ".join(declared) if declared else "none"
        raise QueryParameterError(
            f"{query.name}: no parameter {unknown[0]!r} (its parameters: {expected})"
        )
    bindings = {}
    for name, parameter in declared.items():
        value = values.get(name, parameter.default)
        if value is None:
            raise QueryParameterError(
                f"{query.name}: missing parameter {name!r} ({PARAMETER_TYPES[parameter.type]}); "
                f"give --param {name}=VALUE"
            )
        bindings[name] = parameter_term(parameter, value, base_iri)
    return bindings


def parse_assignments(assignments: list[str] | tuple[str, ...]) -> dict[str, str]:
    """`["person=zhu-wenjia"]` → `{"person": "zhu-wenjia"}`; `QueryParameterError` when an
    assignment has no `=` or names a parameter twice."""
    values: dict[str, str] = {}
    for assignment in assignments:
        name, equals, value = assignment.partition("=")
        name = name.strip()
        if not equals or not name:
            raise QueryParameterError(
                f"--param {assignment!r}: expected NAME=VALUE, e.g. --param person=zhu-wenjia"
            )
        if name in values:
            raise QueryParameterError(f"--param {name!r} is given twice")
        values[name] = value
    return values


def read_query_file(path: str | Path) -> str:
    """The text of a query file; raise `InputError` when it cannot be read."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise InputError(str(path), reason) from None


def named_queries(project: Project) -> list[NamedQuery]:
    """Every named query of the project, sorted by name."""
    directory = project.queries_dir
    if not directory.is_dir():
        return []
    return [
        read_named_query(path, project.base_iri)
        for path in sorted(directory.glob("*" + QUERY_SUFFIX))
    ]


def get_named_query(project: Project, name: str) -> NamedQuery:
    """The named query `name`; raise `UnknownQueryError` listing the available names."""
    name = name.removesuffix(QUERY_SUFFIX)
    # looked up in the folder's listing, never as a path built from the name (a name too long
    # for the file system, or holding a separator, is simply not there)
    directory = project.queries_dir
    paths = {p.stem: p for p in directory.glob("*" + QUERY_SUFFIX)} if directory.is_dir() else {}
    if name in paths and paths[name].is_file():
        return read_named_query(paths[name], project.base_iri)
    raise UnknownQueryError(_unknown_message(name, sorted(paths)))


def _unknown_message(name: str, names: list[str]) -> str:
    import difflib

    message = f"no named query {name!r}"
    close = difflib.get_close_matches(name, names, n=1)
    if close:
        message += f" (did you mean {close[0]!r}?)"
    if names:
        return message + "; named queries: " + ", ".join(names)
    return message + "; this project has no queries/ folder or it is empty"


def run_named_query(
    store: pyoxigraph.Store,
    query: NamedQuery,
    values: Mapping[str, str] | None = None,
    *,
    base_iri: str = LBR,
    prefixes: Mapping[str, str] | None = None,
    timeout: float | None = None,
    max_rows: int | None = None,
):
    """Run a named query with its parameters bound (`values`, else their defaults); returns
    a `sparql.QueryResult`. `timeout` and `max_rows` as in `sparql.run_query`. The CLI and
    the server's query page both call this."""
    from llmboom.namespaces import prefixes_for
    from llmboom.sparql.run import run_query

    text = bound_query_text(query, values or {}, base_iri)
    prefixes = prefixes if prefixes is not None else prefixes_for(base_iri)
    return run_query(
        store,
        text,
        source=str(query.path),
        prefixes=prefixes,
        timeout=timeout,
        max_rows=max_rows,
    )


def with_snapshot_date(query: NamedQuery, values: Mapping[str, str], as_of: date | None) -> dict:
    """`values` with the snapshot date `as_of` given to the query's date parameters that
    `values` leaves out (an as-of answer's chart is the chart of that date)."""
    chosen = dict(values)
    if as_of is not None:
        for parameter in query.parameters:
            if parameter.type == "date" and parameter.name not in chosen:
                chosen[parameter.name] = as_of.isoformat()
    return chosen


def bound_query_text(query: NamedQuery, values: Mapping[str, str], base_iri: str = LBR) -> str:
    """The text of a named query with its parameters bound (`values`, else their defaults):
    the text `run_named_query` runs."""
    return bind_into(query.text, bind_parameters(query, values, base_iri))
