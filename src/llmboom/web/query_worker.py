"""What runs inside a SPARQL worker process: the store, loaded once, and one query at a time.

The server (`query_pool`) sends a request as a dict and gets a dict back; the worker never
talks HTTP. It runs the library's `sparql.run_query` (read-only, no SERVICE), cuts the
result at the row cap, chooses the results format from the Accept header once it knows the
query form, and renders it with `query_output`. The server kills the whole process when a
query outlives its time limit: nothing here has to be interruptible.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from llmboom.errors import LlmboomError
from llmboom.formats import by_name
from llmboom.query_output import RESULTS_FORMATS
from llmboom.web.negotiation import HTML, Offer, negotiate

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    import pyoxigraph

    from llmboom.project import Project
    from llmboom.sparql import QueryResult

#: SELECT and ASK results: `name` is a `query_output` format; `html` is the query page.
RESULTS_OFFERS: tuple[Offer, ...] = (
    Offer("json", RESULTS_FORMATS["json"], ".srj", "SPARQL JSON", ("application/json",)),
    Offer("xml", RESULTS_FORMATS["xml"], ".srx", "SPARQL XML", ("application/xml", "text/xml")),
    Offer("csv", RESULTS_FORMATS["csv"], ".csv", "CSV"),
    Offer("tsv", RESULTS_FORMATS["tsv"], ".tsv", "TSV"),
    HTML,
)


def _graph_offer(name: str, title: str, *accepted: str) -> Offer:
    fmt = by_name(name)
    return Offer(fmt.name, fmt.media_type, fmt.suffix, title, accepted)


#: CONSTRUCT and DESCRIBE results.
GRAPH_OFFERS: tuple[Offer, ...] = (
    _graph_offer("turtle", "Turtle"),
    _graph_offer("nt", "N-Triples"),
    _graph_offer("jsonld", "JSON-LD", "application/json"),
    _graph_offer("xml", "RDF/XML"),
    HTML,
)


def offers_for(kind: str) -> tuple[Offer, ...]:
    """The representations of a result of this kind (`bindings`, `boolean`, `graph`)."""
    return GRAPH_OFFERS if kind == "graph" else RESULTS_OFFERS


def cap(result: QueryResult, max_rows: int) -> tuple[QueryResult, bool]:
    """The result cut to `max_rows` rows or triples, and whether anything was cut."""
    if len(result) <= max_rows or result.kind == "boolean":
        return result, False
    if result.kind == "graph":
        return replace(result, triples=result.triples[:max_rows]), True
    data = json.loads(result.results_json)
    data["results"]["bindings"] = data["results"]["bindings"][:max_rows]
    raw = json.dumps(data, ensure_ascii=False).encode("utf-8")
    return replace(result, rows=result.rows[:max_rows], results_json=raw), True


def answer(
    store: pyoxigraph.Store, request: dict[str, Any], prefixes: dict[str, str]
) -> dict[str, Any]:
    """Run one request `{"query", "accept", "max_rows"}` and say what to send back."""
    from llmboom import query_output
    from llmboom.sparql import run_query

    try:
        result = run_query(store, request["query"], source="query", prefixes=prefixes)
    except LlmboomError as error:
        return {"status": "error", "message": str(error)}
    result, truncated = cap(result, request["max_rows"])
    offers = offers_for(result.kind)
    offer = negotiate(request.get("accept"), offers)
    if offer is None:
        return {"status": "not_acceptable", "kind": result.kind}
    # the query page (HTML) shows JSON results as a table, graphs as Turtle
    graph_or_table = "turtle" if result.kind == "graph" else "json"
    name = graph_or_table if offer is HTML else offer.name
    body = query_output.render(result, name).encode("utf-8")
    return {
        "status": "ok",
        "kind": result.kind,
        "format": offer.name,
        "media_type": offer.media_type,
        "body": body,
        "count": len(result),
        "truncated": truncated,
    }


def serve_forever(connection: Connection, project: Project) -> None:
    """The worker's life: load the store, say "ready", answer requests until the pipe closes."""
    from llmboom.loading import dataset_store
    from llmboom.namespaces import PREFIXES

    try:
        store = dataset_store(project)
    except LlmboomError as error:
        connection.send({"status": "failed", "message": str(error)})
        return
    prefixes = {**PREFIXES, "lbr": project.base_iri}
    connection.send({"status": "ready"})
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(answer(store, request, prefixes))
