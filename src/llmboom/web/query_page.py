"""The query page: a form, the named queries as examples, and the results as a table.

Rendered by the publication's templates (`query.html`, autoescaped; cells are the same
`Term`s as every page's, so only http(s) IRIs become links). No script, nothing fetched
from elsewhere. The form sends `GET /sparql?query=…`; the server answers a browser with this
page and any other client with the standard results formats.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING
from urllib.parse import quote

from llmboom.publication.html_layout import Footer, Links, Term, iri_term, literal_term

if TYPE_CHECKING:
    from llmboom.sparql.named_queries import NamedQuery


@dataclass(frozen=True)
class Example:
    name: str
    title: str
    href: str  #: runs the query
    form_href: str = ""  #: its page, with a field per parameter


@dataclass(frozen=True)
class ParameterField:
    """One parameter of a named query as a form field."""

    name: str
    kind: str  #: iri, string or date (a date picker)
    value: str  #: what the field holds: the value given, else the default
    description: str
    required: bool


@dataclass(frozen=True)
class NamedForm:
    """A named query's page: its fields, and links to its answer as files."""

    name: str
    title: str
    description: str
    action: str  #: where the form sends its fields
    fields: tuple[ParameterField, ...]
    downloads: tuple[tuple[str, str], ...]  #: (href, name) of the answer as CSV, JSON, …


@dataclass(frozen=True)
class RowSources:
    """A row's "sources" cell: links to the statement records behind it."""

    records: tuple[Term, ...] = ()
    only_anonymous: bool = False
    notes: tuple[str, ...] = ()


@dataclass(frozen=True)
class ResultView:
    """A query's result as the page shows it."""

    kind: str  #: bindings, boolean or graph
    variables: tuple[str, ...] = ()
    rows: tuple[tuple[Term | None, ...], ...] = ()
    boolean: bool = False
    text: str = ""  #: a graph, as Turtle
    truncated: bool = False
    sources: tuple[RowSources, ...] | None = None  #: with provenance: one per row


@dataclass(frozen=True)
class QueryPage:
    endpoint: str
    query: str
    examples: tuple[Example, ...]
    result: ResultView | None = None
    error: str | None = None
    provenance: bool = False  #: the "sources of each row" box is ticked
    as_of: str = ""  #: the date picker's value (YYYY-MM-DD), "" for the whole dataset
    as_of_note: str = ""  #: what a snapshot answer rests on
    named: NamedForm | None = None  #: a named query's page: its fields above the query


def named_form(
    query: NamedQuery, values: dict[str, str], *, action: str, download_query: str | None
) -> NamedForm:
    """The form of a named query holding `values` (else the defaults), with links to its
    answer as CSV, TSV, SPARQL JSON and XML (`download_query`: the URL's query string; None
    when there is no answer to download yet)."""
    fields = tuple(
        ParameterField(
            name=parameter.name,
            kind=parameter.type,
            value=values.get(parameter.name, parameter.default or ""),
            description=parameter.description,
            required=parameter.default is None,
        )
        for parameter in query.parameters
    )
    suffix = f"?{download_query}" if download_query else ""
    downloads = (
        ()
        if download_query is None
        else tuple(
            (f"{action}{extension}{suffix}", label)
            for extension, label in (
                (".csv", "CSV"),
                (".tsv", "TSV"),
                (".json", "JSON"),
                (".srx", "XML"),
            )
        )
    )
    return NamedForm(query.name, query.title, query.description, action, fields, downloads)


def render_query_page(
    examples: Sequence[NamedQuery],
    *,
    endpoint: str,
    query: str = "",
    result: ResultView | None = None,
    error: str | None = None,
    footer: Footer | None = None,
    provenance: bool = False,
    as_of: str = "",
    as_of_note: str = "",
    named: NamedForm | None = None,
    queries_path: str = "/queries/",
) -> str:
    """The whole page: the form holding `query` (and the `as_of` date picker; a named
    query's fields first when `named`), then `result` or `error` (with what a snapshot
    answer rests on), then examples, each linking its own page under `queries_path`."""
    from llmboom.publication.templating import render_template

    page = QueryPage(
        endpoint=endpoint,
        query=query,
        examples=tuple(
            Example(
                q.name,
                q.title,
                f"{endpoint}?query={quote(q.text, safe='')}",
                f"{queries_path}{q.name}",
            )
            for q in examples
        ),
        result=result,
        error=error,
        provenance=provenance,
        as_of=as_of,
        as_of_note=as_of_note,
        named=named,
    )
    title = named.title if named is not None else "Query the dataset"
    return render_template("query.html", title=title, page=page, footer=footer)


def result_view(kind: str, body: bytes, links: Links, *, truncated: bool = False) -> ResultView:
    """A worker's answer (SPARQL JSON results, or Turtle for a graph) as the page shows it."""
    if kind == "graph":
        return ResultView(kind, text=body.decode("utf-8"), truncated=truncated)
    data = json.loads(body)
    if "boolean" in data:
        return ResultView("boolean", boolean=bool(data["boolean"]))
    variables = tuple(data["head"]["vars"])
    bindings = data["results"]["bindings"]
    rows = tuple(
        tuple(_term(binding.get(name), links) for name in variables) for binding in bindings
    )
    sources = None
    if bindings and all("@provenance" in binding for binding in bindings):
        sources = tuple(_sources(binding["@provenance"], links) for binding in bindings)
    return ResultView(
        "bindings", variables=variables, rows=rows, truncated=truncated, sources=sources
    )


def _sources(provenance: dict, links: Links) -> RowSources:
    """A row's provenance (`answer_provenance.RowProvenance.as_dict`) as links to records;
    each link's title is the record's quote or summary and attribution."""
    records: dict[str, Term] = {}
    notes = list(provenance.get("notes", []))
    for support in provenance.get("supports", []):
        for record in support.get("records", []):
            said = record.get("quote") or record.get("summary") or ""
            who = record.get("attributionLabel") or record.get("attribution") or ""
            if record.get("anonymous"):
                who += " (anonymous)"
            link = iri_term(record["statement"], links)
            title = f"{said} — {who}" if who else said
            records.setdefault(record["statement"], Term(link.text, link.href, title or None))
        if not support.get("records") and support.get("note"):
            notes.append(f"{' '.join(support['triple'])}: {support['note']}")
    return RowSources(tuple(records.values()), bool(provenance.get("onlyAnonymous")), tuple(notes))


def _term(binding: dict | None, links: Links) -> Term | None:
    if binding is None:
        return None
    value = binding.get("value", "")
    if binding.get("type") == "uri":
        return iri_term(value, links)
    if binding.get("type") == "bnode":
        return Term(text=f"_:{value}")
    return literal_term(value, binding.get("xml:lang"), binding.get("datatype"))
