"""`llmboom query`: run a SPARQL query on the dataset, or list the named queries."""

from __future__ import annotations

import click

from llmboom.cli.common import AppContext, as_of_option, format_option, pass_app
from llmboom.sparql.output import OUTPUT_FORMATS
from llmboom.sparql.run import DEFAULT_TIMEOUT


@click.command(name="query")
@click.argument("sparql", required=False)
@click.option(
    "-f",
    "--file",
    "query_file",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=str),
    help="Read the query from FILE ('-' for standard input).",
)
@click.option("--name", "-n", "query_name", help="Run the named query NAME from queries/.")
@click.option(
    "--param",
    "-p",
    "params",
    multiple=True,
    metavar="NAME=VALUE",
    help="A parameter of the named query (repeatable); --list shows each query's parameters.",
)
@click.option(
    "--entailment",
    type=click.Choice(["rdfs", "none"]),
    default="rdfs",
    show_default=True,
    help="rdfs: the default graph also holds what the ontology's rdfs:subClassOf and "
    "rdfs:subPropertyOf entail (platforms are organizations; lbo:reportsTo is also "
    "org:reportsTo); none: only the asserted triples.",
)
@click.option(
    "--list", "list_queries", is_flag=True, help="List the named queries and their parameters."
)
@format_option(
    list(OUTPUT_FORMATS),
    "table",
    "Output format: table, csv, tsv, json (SPARQL results JSON) or xml for SELECT/ASK; "
    "turtle, nt, xml (RDF/XML) or jsonld for CONSTRUCT/DESCRIBE.",
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0, min_open=True),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    metavar="SECONDS",
    help="Stop the query after SECONDS (exit 2).",
)
@click.option(
    "--provenance",
    is_flag=True,
    help="Give every row of a SELECT answer the statement records behind the data it used "
    "(source, date, quote or summary, attribution, anonymous or not): numbered footnotes "
    "in the table, an '@provenance' key per row in json.",
)
@as_of_option()
@pass_app
def query_command(
    app: AppContext,
    sparql: str | None,
    query_file: str | None,
    query_name: str | None,
    params: tuple[str, ...],
    entailment: str,
    list_queries: bool,
    output_format: str,
    timeout: float,
    provenance: bool,
) -> None:
    """Run a read-only SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) on the dataset.

    Give exactly one of a query string, -f FILE, --name NAME or --list. The data is in the
    default graph, with the triples RDFS entails from the ontology's rdfs:subClassOf and
    rdfs:subPropertyOf (including its alignments to ORG, FOAF, schema.org and PROV-O), so
    `?x a lbo:Organization` includes platforms; --entailment none shows only the asserted
    triples. The ontology (ontology/*.ttl) is in the graph
    <https://w3id.org/llmboom/ontology>. The project's prefixes (lbo:, lbr:, rdf:, rdfs:,
    prov:, org:, schema:, ...) may be used without PREFIX declarations. A malformed query,
    an update, SERVICE, a missing or malformed --param, or a query that runs past --timeout
    exits with status 2. The query runs in a process that cannot use the network.

    \b
    Example:
        llmboom query --list
        llmboom query --name reporting-chain
        llmboom query --name reporting-chain --param person=zhu-wenjia
        llmboom query 'SELECT ?team ?unit WHERE { ?team lbo:ledBy ?unit }' --format csv
        llmboom query 'SELECT ?x WHERE { ?x a schema:Organization }' --entailment none
        llmboom query -f my-query.rq --format json
        llmboom query 'SELECT ?boss WHERE { lbr:zhu-wenjia lbo:reportsTo ?boss }' --provenance
        llmboom query --name organization-chart --param organization=bytedance --as-of 2016-06-01
    """
    from llmboom.sparql import output as query_output

    given = [x for x in (sparql, query_file, query_name) if x is not None] + (
        [True] if list_queries else []
    )
    if len(given) != 1:
        raise click.UsageError("give exactly one of a SPARQL query, -f FILE, --name NAME or --list")
    if list_queries:
        _echo(query_output.render_query_list(app.dataset.named_queries(), output_format))
        return
    if params and query_name is None:
        raise click.UsageError("--param applies to a named query: give --name NAME")
    if provenance and output_format not in ("table", "json"):
        raise click.UsageError("--provenance is given in the table or json formats only")

    _warn_if_unsandboxed()
    dataset = app.dataset
    app.say_snapshot()
    oxigraph = dataset.entailed() if entailment == "rdfs" else dataset.store().oxigraph
    assert oxigraph is not None  # the command opens embedded stores only (it has no --endpoint)
    prefixes = dataset.prefixes
    if query_name is not None:
        from llmboom.sparql.named_queries import (
            bound_query_text,
            parse_assignments,
            with_snapshot_date,
        )

        named = dataset.named_query(query_name)
        values = with_snapshot_date(named, parse_assignments(params), app.as_of)
        text = bound_query_text(named, values, app.project.base_iri)
        source = str(named.path)
    else:
        text, source = _query_text(sparql, query_file)
    if provenance:
        from llmboom.sparql import provenance_output
        from llmboom.sparql.answer_provenance import run_with_provenance

        result, rows = run_with_provenance(
            oxigraph, text, source=source, prefixes=prefixes, timeout=timeout
        )
        _echo(provenance_output.render(result, rows, output_format))
        return
    from llmboom.sparql.run import run_query

    result = run_query(oxigraph, text, source=source, prefixes=prefixes, timeout=timeout)
    _echo(query_output.render(result, output_format))


def _warn_if_unsandboxed() -> None:
    """Say once, on stderr, when the query's worker cannot be denied the network here."""
    from llmboom.sparql.sandbox import unavailable_reason

    reason = unavailable_reason()
    if reason is not None:
        click.echo(
            f"Warning: the query runs without a network sandbox ({reason}); SERVICE is still "
            "refused by the query check",
            err=True,
        )


def _query_text(sparql: str | None, query_file: str | None) -> tuple[str, str]:
    """The query's text and the name its errors are reported under."""
    if query_file is not None:
        if query_file == "-":
            with click.open_file("-", encoding="utf-8") as stdin:
                return stdin.read(), "<stdin>"
        from llmboom.sparql.named_queries import read_query_file

        return read_query_file(query_file), query_file
    assert sparql is not None
    return sparql, "query"


def _echo(text: str) -> None:
    click.echo(text, nl=not text.endswith("\n"))
