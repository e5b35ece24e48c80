"""What runs inside a SPARQL worker process: the store, loaded once, and one query at a time.

The server (`query_pool`) sends a request as a dict and gets a dict back; the worker never
talks HTTP. It runs the library's `sparql.run_query` (read-only, no SERVICE, at most
`max_rows` rows), chooses the results format from the Accept header once it knows the query
form, and renders it with `query_output`. The time limit is the server's: it kills this
whole process when a query outlives it (rather than `run_query(timeout=…)`, which forks once
per query: this process exists only to be killable, and a fork per query would cost more
than most queries). The address-space cap of `llmboom.sparql.worker` applies here too, and once
the store is open the process cannot use the network (`llmboom.sparql.sandbox`), unless it serves a
remote `--endpoint` (which it must reach; the query text is still checked) or the operator
allowed unsandboxed queries on a platform without seccomp.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from llmboom.errors import LlmboomError, QueryError
from llmboom.rdf.formats import by_name
from llmboom.sparql.output import RESULTS_FORMATS
from llmboom.web.negotiation import HTML, Offer, negotiate

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    import pyoxigraph

    from llmboom.project import Project
    from llmboom.sparql.answer_provenance import RowProvenance
    from llmboom.sparql.run import QueryResult
    from llmboom.store import DatasetStore
    from llmboom.web.query_messages import QueryReply, QueryRequest
    from llmboom.web.settings import ServerSettings

#: Runs a query's text with a row cap; with provenance (True), also each row's
#: (`answer_provenance`), else None in its place.
RunQuery = Callable[..., "tuple[QueryResult, tuple[RowProvenance, ...] | None]"]

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


def answer(run: RunQuery, request: QueryRequest) -> QueryReply:
    """Run one request and say what to send back. With provenance, only SPARQL results
    JSON (with an `@provenance` key per row) and the query page carry it."""
    from llmboom.sparql import output as query_output

    try:
        result, provenance = run(
            request["query"],
            request["max_rows"],
            bool(request.get("provenance")),
            dataset=request.get("dataset"),
        )
    except LlmboomError as error:
        return {"status": "error", "message": str(error)}
    except MemoryError:
        message = "query: the query needed more memory than allowed (narrow it, or add a LIMIT)"
        return {"status": "error", "message": message}
    offers = offers_for(result.kind)
    offer = negotiate(request.get("accept"), offers)
    if offer is None:
        return {"status": "not_acceptable", "kind": result.kind}
    # the query page (HTML) shows JSON results as a table, graphs as Turtle
    graph_or_table = "turtle" if result.kind == "graph" else "json"
    name = graph_or_table if offer is HTML else offer.name
    if provenance is not None:
        if name != "json":
            message = (
                "provenance is given in SPARQL results JSON (application/sparql-results+json) "
                "and on the query page only"
            )
            return {"status": "error", "message": message}
        from llmboom.sparql.provenance_output import results_json

        body = results_json(result, provenance).encode("utf-8")
    else:
        body = query_output.render(result, name).encode("utf-8")
    return {
        "status": "ok",
        "kind": result.kind,
        "format": offer.name,
        "media_type": offer.media_type,
        "body": body,
        "count": len(result),
        "truncated": result.truncated,
    }


def query_function(store: DatasetStore, project: Project, *, in_place: bool) -> RunQuery:
    """How this worker runs a query: on an embedded store with what RDFS entails added, as
    `llmboom query` does by default (`llmboom.rdf.entailment`); on a remote endpoint as it is."""
    if store.oxigraph is None:

        def remote(
            text: str, max_rows: int, provenance: bool, dataset=None
        ) -> tuple[QueryResult, None]:
            if dataset is not None:
                raise QueryError(
                    "default-graph-uri and named-graph-uri need the embedded store: this "
                    "server answers from a remote endpoint"
                )
            if provenance:
                raise QueryError(
                    "provenance needs the embedded store: this server answers from a remote "
                    "endpoint"
                )
            return store.query(text, source="query", max_rows=max_rows), None

        return remote
    from llmboom.store.embedded import EmbeddedStore

    if isinstance(store, EmbeddedStore) and (in_place or store.directory is not None):
        return _on(store.entailed(), project)  # on disk: the persisted entailed copy
    from llmboom.dataset import Dataset

    # a copy of the store's data, entailed (the store itself stays as it is)
    return _on(Dataset.holding(project, store.dataset_quads()).entailed(), project)


def _persisted_query_function(project: Project, settings: ServerSettings) -> RunQuery:
    """Queries on the entailed copy of a persisted store (`query_pool.prepare` made it), the
    only database a worker opens then."""
    from pathlib import Path

    from llmboom.store.embedded import open_entailed

    assert settings.store_dir is not None
    return _on(open_entailed(project, Path(settings.store_dir)), project)


def _on(oxigraph: pyoxigraph.Store, project: Project) -> RunQuery:
    """Run queries on `oxigraph` with the project's prefixes (`lbr:` follows a rebased
    project)."""
    from llmboom.namespaces import prefixes_for
    from llmboom.sparql.run import run_query

    prefixes = prefixes_for(project.base_iri)

    def run(text: str, max_rows: int, provenance: bool, dataset=None) -> tuple[QueryResult, Any]:
        graphs = (
            {} if dataset is None else {"default_graphs": dataset[0], "named_graphs": dataset[1]}
        )
        if provenance:
            if dataset is not None:
                raise QueryError(
                    "provenance is given for the whole dataset only, not with "
                    "default-graph-uri or named-graph-uri"
                )
            from llmboom.sparql.answer_provenance import run_with_provenance

            return run_with_provenance(oxigraph, text, prefixes=prefixes, max_rows=max_rows)
        result = run_query(
            oxigraph, text, source="query", prefixes=prefixes, max_rows=max_rows, **graphs
        )
        return result, None

    return run


def serve_forever(connection: Connection, project: Project, settings: ServerSettings) -> None:
    """The worker's life: open the store, say "ready", answer requests until the pipe
    closes."""
    from llmboom.files.data_version import data_version
    from llmboom.sparql.worker import DEFAULT_MEMORY_LIMIT, limit_memory

    try:
        # named before loading: data changed meanwhile is newer than the name, never older
        version = None if settings.endpoint is not None else data_version(project).tag
        if settings.store_dir is not None and settings.endpoint is None:
            run = _persisted_query_function(project, settings)
        else:
            store = settings.dataset(project).store()
            run = query_function(store, project, in_place=settings.store_dir is None)
        limit_memory(DEFAULT_MEMORY_LIMIT)
        if settings.endpoint is None:
            _deny_network(settings)
    except LlmboomError as error:
        connection.send({"status": "failed", "message": str(error)})
        return
    connection.send({"status": "ready", "version": version})
    snapshots: dict = {}
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        if request.get("as_of"):
            connection.send(_answer_as_of(project, settings, snapshots, request))
        else:
            connection.send(answer(run, request))


def _answer_as_of(
    project: Project, settings: ServerSettings, snapshots: dict, request: QueryRequest
) -> QueryReply:
    """`answer` on the dataset as of the request's date: the snapshot is made from the
    data (not its entailed copy, whose entailed triples have no records), then entailed;
    this worker keeps the last few it made."""
    from llmboom.history.snapshot import parse_as_of

    as_of = request["as_of"]
    assert as_of is not None  # serve_forever sends the dated requests only
    day = parse_as_of(as_of)
    if day not in snapshots:
        try:
            snapshots[day] = _snapshot_runner(project, settings, day)
        except LlmboomError as error:
            return {"status": "error", "message": str(error)}
        while len(snapshots) > 2:
            snapshots.pop(next(iter(snapshots)))
    run, note = snapshots[day]
    reply = answer(run, request)
    reply["as_of_note"] = note
    return reply


def _snapshot_runner(project: Project, settings: ServerSettings, day) -> tuple[RunQuery, str]:
    from llmboom.dataset import Dataset

    quads = settings.dataset(project).store().dataset_quads()
    dated = Dataset.holding(project, quads).at(day)
    assert dated.snapshot is not None  # a dataset as of a date has one
    return _on(dated.entailed(), project), dated.snapshot.note()


def _deny_network(settings: ServerSettings) -> None:
    """No network from here on; where the platform cannot, go on only if the operator
    allowed it (`--allow-unsandboxed-queries`)."""
    from llmboom.sparql.sandbox import SandboxUnavailableError, deny_network

    try:
        deny_network()
    except SandboxUnavailableError:
        if not settings.allow_unsandboxed_queries:
            raise
