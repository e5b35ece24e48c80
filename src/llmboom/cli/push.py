"""`llmboom push`: upload the dataset and the ontology to a SPARQL Graph Store endpoint."""

from __future__ import annotations

import click

from llmboom.cli.common import AppContext, pass_app

#: `llmboom.store.http.DEFAULT_TIMEOUT` (not imported here: it loads urllib and http.client).
DEFAULT_TIMEOUT = 300.0


@click.command(name="push")
@click.option(
    "--endpoint",
    required=True,
    metavar="URL",
    help="SPARQL 1.1 Graph Store Protocol endpoint, e.g. http://host:7878/store (Oxigraph) "
    "or http://host:8890/sparql-graph-crud-auth (Virtuoso).",
)
@click.option(
    "--graph", metavar="IRI", help="Graph to replace with the dataset (default graph if omitted)."
)
@click.option(
    "--sparql",
    "sparql_url",
    metavar="URL",
    help="SPARQL query endpoint for the count check (derived from --endpoint for Oxigraph, "
    "Virtuoso, Fuseki and GraphDB).",
)
@click.option("--user", help="User name for HTTP Basic or Digest authentication.")
@click.option(
    "--password", help="Password for --user (or env LLMBOOM_PASSWORD).", envvar="LLMBOOM_PASSWORD"
)
@click.option("--token", help="Bearer token (or env LLMBOOM_TOKEN).", envvar="LLMBOOM_TOKEN")
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=DEFAULT_TIMEOUT,
    show_default=True,
    help="Seconds each request to the server may take, whole (connection, upload, answer).",
)
@pass_app
def push_command(
    app: AppContext,
    endpoint: str,
    graph: str | None,
    sparql_url: str | None,
    user: str | None,
    password: str | None,
    token: str | None,
    timeout: float,
) -> None:
    """Replace a graph on a SPARQL server with the dataset, and the graph
    <https://w3id.org/llmboom/ontology> with the ontology (SPARQL 1.1 Graph Store Protocol,
    HTTP PUT of N-Triples), then count each graph with a SPARQL query. Exit status 2 when the
    server is unreachable, refuses the upload, answers too slowly (--timeout) or too much
    (over LLMBOOM_MAX_RESPONSE_BYTES), or counts differently. Credentials may be given in
    the URL (http://user:password@host/…); they are sent to that origin only, never along a
    redirect to another one, and never printed.

    \b
    Example:
        llmboom push --endpoint http://localhost:7878/store
        llmboom push --endpoint http://localhost:8890/sparql-graph-crud-auth \\
            --graph https://w3id.org/llmboom/dataset --user dba --password dba
    """
    from llmboom.push import push

    if token and user:
        raise click.UsageError("give either --user/--password or --token, not both")
    if user is not None and password is None:
        raise click.UsageError("--user needs --password (or env LLMBOOM_PASSWORD)")
    auth = token or ((user, password) if user and password is not None else None)
    report = push(
        app.dataset, endpoint, graph=graph, sparql_url=sparql_url, auth=auth, timeout=timeout
    )
    for name, sent, counted in report.graphs:
        click.echo(f"{name}: {sent} triples sent, {counted} counted on the server")
