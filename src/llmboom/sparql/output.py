"""Rendering query results: an aligned table for people, the standard formats for programs.

Bindings and booleans: `table`, `csv`, `tsv`, `json` (SPARQL 1.1 Query Results JSON) and
`xml` (SPARQL Query Results XML), the last four written by pyoxigraph. Triples (CONSTRUCT,
DESCRIBE): `table` and `turtle` (Turtle with the project's prefixes), `nt`, `xml` (RDF/XML)
and `jsonld`, looked up in the project's one table of RDF formats.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from llmboom.cli.terminal import safe_line, safe_lines
from llmboom.errors import FormatError
from llmboom.namespaces import PREFIXES, XSD, shorten
from llmboom.sparql.run import QueryResult

if TYPE_CHECKING:
    from llmboom.sparql.named_queries import NamedQuery
    from llmboom.sparql.run import Term

#: Output format names → media type, for results with bindings or a boolean.
RESULTS_FORMATS: dict[str, str] = {
    "table": "text/plain",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "json": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
}
#: Output format names → RDF format name (llmboom.rdf.formats), for triples.
GRAPH_FORMATS: dict[str, str] = {
    "table": "turtle",
    "turtle": "turtle",
    "nt": "nt",
    "xml": "xml",
    "jsonld": "jsonld",
}
#: Every name `--format` accepts, in the order shown in help texts.
OUTPUT_FORMATS: tuple[str, ...] = ("table", "csv", "tsv", "json", "xml", "turtle", "nt", "jsonld")

_NUMERIC = {XSD + name for name in ("integer", "decimal", "double", "float", "nonNegativeInteger")}


def render(result: QueryResult, fmt: str = "table") -> str:
    """Serialise `result` in the format `fmt`; raise `FormatError` if it does not apply."""
    fmt = fmt.lower()
    if result.kind == "graph":
        if fmt not in GRAPH_FORMATS:
            raise FormatError(_not_for(fmt, "CONSTRUCT/DESCRIBE results", GRAPH_FORMATS))
        return render_triples(result, GRAPH_FORMATS[fmt])
    if fmt not in RESULTS_FORMATS:
        raise FormatError(_not_for(fmt, "SELECT/ASK results", RESULTS_FORMATS))
    if fmt == "table":
        return render_table(result)
    if fmt == "json":
        return result.results_json.decode("utf-8") + "\n"
    return _render_with_oxigraph(result, fmt)


def media_type(result: QueryResult, fmt: str) -> str:
    """The media type of `render(result, fmt)`."""
    fmt = fmt.lower()
    if result.kind == "graph":
        from llmboom.rdf.formats import by_name

        if fmt == "table" or fmt in GRAPH_FORMATS:
            return by_name(GRAPH_FORMATS[fmt]).media_type
        raise FormatError(_not_for(fmt, "CONSTRUCT/DESCRIBE results", GRAPH_FORMATS))
    if fmt not in RESULTS_FORMATS:
        raise FormatError(_not_for(fmt, "SELECT/ASK results", RESULTS_FORMATS))
    return RESULTS_FORMATS[fmt]


def _not_for(fmt: str, what: str, choices: dict[str, str]) -> str:
    return f"format {fmt!r} does not apply to {what}; choose one of {', '.join(choices)}"


def _render_with_oxigraph(result: QueryResult, fmt: str) -> str:
    import pyoxigraph

    results_format = {
        "csv": pyoxigraph.QueryResultsFormat.CSV,
        "tsv": pyoxigraph.QueryResultsFormat.TSV,
        "xml": pyoxigraph.QueryResultsFormat.XML,
    }[fmt]
    parsed = pyoxigraph.parse_query_results(result.results_json, pyoxigraph.QueryResultsFormat.JSON)
    written = parsed.serialize(format=results_format)
    assert written is not None  # given no output file, serialize returns the bytes
    text = written.decode("utf-8")
    return text if text.endswith("\n") else text + "\n"


def render_triples(result: QueryResult, rdf_format: str) -> str:
    """The triples of a CONSTRUCT/DESCRIBE result in an RDF format (prefixes where supported)."""
    import pyoxigraph

    from llmboom.rdf.formats import by_name

    triples = sorted(result.triples, key=str)
    text = "".join(str(triple) for triple in triples)
    used = {prefix: iri for prefix, iri in PREFIXES.items() if iri in text}
    data = pyoxigraph.serialize(triples, format=by_name(rdf_format).oxigraph_format, prefixes=used)
    return (data or b"").decode("utf-8")


def cell_text(term: Term | None) -> str:
    """How one value reads in a table: IRIs shortened, literals by their lexical form."""
    if term is None:
        return ""
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return shorten(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return f"_:{term.value}"
    if isinstance(term, pyoxigraph.Literal):
        return " ".join(term.value.split()) if "\n" in term.value else term.value
    return str(term)


def render_table(result: QueryResult) -> str:
    """An aligned plain-text table: a header, a rule, one line per row."""
    if result.kind == "boolean":
        return ("true" if result.boolean else "false") + "\n"
    if result.kind == "graph":
        return render_triples(result, "turtle")
    header = list(result.variables)
    body = [[safe_line(cell_text(term)) for term in row] for row in result.rows]
    numeric = [
        all(_is_numeric(row[i]) for row in result.rows if row[i] is not None) and bool(body)
        for i in range(len(header))
    ]
    widths = [max([len(h), *(len(r[i]) for r in body)]) for i, h in enumerate(header)]

    def line(cells: list[str]) -> str:
        padded = [
            cell.rjust(width) if right else cell.ljust(width)
            for cell, width, right in zip(cells, widths, numeric, strict=True)
        ]
        return "  ".join(padded).rstrip()

    lines = [line(header), "  ".join("-" * width for width in widths)]
    lines.extend(line(row) for row in body)
    return "\n".join(lines) + "\n"


def _is_numeric(term: Term | None) -> bool:
    import pyoxigraph

    return isinstance(term, pyoxigraph.Literal) and term.datatype.value in _NUMERIC


def render_query_list(queries: list[NamedQuery], fmt: str = "table") -> str:
    """The catalogue of named queries: name, title and parameters as a table, or everything
    as JSON."""
    fmt = fmt.lower()
    if fmt == "json":
        import json

        entries = [query.as_dict() for query in queries]
        return json.dumps(entries, indent=2, ensure_ascii=False) + "\n"
    if fmt != "table":
        raise FormatError(f"format {fmt!r} does not apply to --list; choose table or json")
    if not queries:
        return "(no named queries)\n"
    width = max(len(query.name) for query in queries)
    lines = []
    for query in queries:
        lines.append(f"{query.name.ljust(width)}  {query.title}")
        for parameter in query.parameters:
            default = f" = {parameter.default}" if parameter.default is not None else " (required)"
            lines.append(
                f"{'':{width}}    --param {parameter.name}=<{parameter.type}>{default}: "
                f"{parameter.description}"
            )
    return safe_lines(lines)
