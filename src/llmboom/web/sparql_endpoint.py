"""`/sparql`: the SPARQL 1.1 Protocol (query operation) over the worker pool.

GET with `query=`, POST as a form, POST `application/sparql-query`. Updates are refused
(read-only). `provenance=true` (or the query page's checkbox) adds each row's statement
records (`answer_provenance`): an `@provenance` key per row of SPARQL results JSON, a
"sources" column on the query page. A browser (Accept preferring text/html) gets the query
page instead of raw results.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import parse_qs

from llmboom.errors import QueryError
from llmboom.web.as_of import HEADER as AS_OF_HEADER
from llmboom.web.requests import (
    BadRequestError,
    NotAcceptableError,
    UnsupportedMediaTypeError,
    media_type,
    read_body,
)

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from llmboom.web.query_page import NamedForm, ResultView

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
_READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted"


async def sparql(request: Request) -> Response:
    """Run the query of a SPARQL Protocol request; the query page when there is none.
    `as-of=DATE` (in the URL or the form) runs it on the dataset as known to hold on DATE
    (`web.as_of`)."""
    query, provenance, dataset = await _query_of(request)
    as_of = _as_of_of(request)
    if query is None:
        if wants_html(request):
            return await query_page_response(request, provenance=provenance, as_of=as_of)
        raise BadRequestError("give a SPARQL query in the 'query' parameter")
    return await answer_query(request, query, provenance, dataset, as_of)


def _as_of_of(request: Request) -> str | None:
    """The `as-of` date of the request (URL or form), as YYYY-MM-DD; 400 when malformed."""
    from llmboom.web.as_of import parse

    values = getattr(request.state, "as_of_values", None)
    if values is None:
        values = parse_params(request.url.query, "the URL's query string").get("as-of", [])
    values = [v for v in values if v]
    if not values:
        return None
    if len(values) > 1:
        raise BadRequestError("give 'as-of' once")
    return parse(values[0]).isoformat()


async def _query_of(request: Request) -> tuple[str | None, bool, Dataset | None]:
    """The request's query, whether it asks for provenance, and its RDF dataset."""
    settings = request.app.state.settings
    url_params = parse_params(request.url.query, "the URL's query string")
    if "update" in url_params:
        raise QueryError(_READ_ONLY)
    if request.method in ("GET", "HEAD"):
        params = url_params
    else:
        kind = media_type(request)
        body = await read_body(request, settings.max_body_bytes)
        if kind == SPARQL_QUERY:
            return _decode(body), provenance_of(url_params), dataset_of(url_params)
        if kind == SPARQL_UPDATE:
            raise QueryError(_READ_ONLY)
        if kind != FORM:
            raise UnsupportedMediaTypeError(
                f"POST a query as {FORM} or {SPARQL_QUERY}, not {kind or 'no media type'!r}"
            )
        params = parse_params(_decode(body), "the form")
        if "update" in params:
            raise QueryError(_READ_ONLY)
        request.state.as_of_values = params.get("as-of", []) + url_params.get("as-of", [])
    values = params.get("query", [])
    if len(values) > 1:
        raise BadRequestError("give exactly one 'query' parameter")
    return (values[0] if values else None), provenance_of(params), dataset_of(params)


def parse_params(text: str, where: str) -> dict[str, list[str]]:
    """Percent-decoded parameters; `BadRequestError` when a value is not UTF-8 (it would
    otherwise run with U+FFFD in place of the bytes)."""
    try:
        return parse_qs(text, keep_blank_values=True, encoding="utf-8", errors="strict")
    except UnicodeDecodeError:
        raise BadRequestError(f"{where} holds a percent-encoded value that is not UTF-8") from None


_TRUE = ("true", "1", "on", "yes")
_FALSE = ("false", "0", "off", "no", "")


def provenance_of(params: dict[str, list[str]]) -> bool:
    """The `provenance` parameter: true, 1, on (a checkbox) or yes; false, 0, off, no."""
    values = params.get("provenance", [])
    if not values:
        return False
    if len(values) > 1 or values[0].lower() not in _TRUE + _FALSE:
        raise BadRequestError("'provenance' is true or false, given once")
    return values[0].lower() in _TRUE


#: The graphs a query's RDF dataset may be made of (`default-graph-uri`, `named-graph-uri`).
Dataset = tuple[tuple[str, ...], tuple[str, ...]]


def dataset_of(params: dict[str, list[str]]) -> Dataset | None:
    """The protocol's `default-graph-uri` and `named-graph-uri` (None when neither is
    given). The dataset's graphs are the data (named `DATA_GRAPH`, the dataset's IRI, which
    can only be a default graph: it is the store's default graph) and the ontology
    (`ONTOLOGY_GRAPH`); any other IRI is a `BadRequestError`."""
    from llmboom.sparql.run import DATA_GRAPH
    from llmboom.store import ONTOLOGY_GRAPH

    defaults = tuple(params.get("default-graph-uri", []))
    named = tuple(params.get("named-graph-uri", []))
    if not defaults and not named:
        return None
    for iri in defaults:
        if iri not in (DATA_GRAPH, ONTOLOGY_GRAPH):
            raise BadRequestError(
                f"default-graph-uri <{iri}> is not a graph of this dataset: give <{DATA_GRAPH}> "
                f"(the data) or <{ONTOLOGY_GRAPH}> (the ontology)"
            )
    for iri in named:
        if iri != ONTOLOGY_GRAPH:
            where = (
                "is the default graph and has no name in GRAPH"
                if iri == DATA_GRAPH
                else ("is not a graph of this dataset")
            )
            raise BadRequestError(
                f"named-graph-uri <{iri}> {where}: the one named graph is <{ONTOLOGY_GRAPH}> "
                "(the ontology)"
            )
    return tuple(dict.fromkeys(defaults)), tuple(dict.fromkeys(named))


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequestError("the request body is not UTF-8") from None


def wants_html(request: Request) -> bool:
    from llmboom.web.negotiation import HTML, negotiate
    from llmboom.web.query_worker import RESULTS_OFFERS

    return negotiate(request.headers.get("accept"), RESULTS_OFFERS) is HTML


async def answer_query(
    request: Request,
    query: str,
    provenance: bool,
    dataset: Dataset | None = None,
    as_of: str | None = None,
    *,
    accept: str | None = None,
    named: NamedForm | None = None,
) -> Response:
    """The answer to `query` in the results format the request accepts (or `accept`, when
    given); a browser gets the query page (with a named query's form when `named`)."""
    from starlette.responses import Response

    from llmboom.web.pages import content_type
    from llmboom.web.result_cache import answer_cached

    page_wanted = accept is None and wants_html(request)
    accept = accept or request.headers.get("accept")
    try:
        options: dict = {"provenance": provenance}
        if dataset is not None:
            options["dataset"] = dataset
        if as_of is not None:
            options["as_of"] = as_of
        reply = await answer_cached(request, query, accept, **options)
    except QueryError as error:
        if page_wanted:
            return await query_page_response(
                request, query, error=str(error), status=400, provenance=provenance, named=named
            )
        raise
    if reply["status"] == "error":
        if page_wanted:
            return await query_page_response(
                request,
                query,
                error=reply["message"],
                status=400,
                provenance=provenance,
                named=named,
            )
        raise QueryError(reply["message"])
    if reply["status"] == "not_acceptable":
        raise NotAcceptableError(
            f"no results format of a {reply['kind']} result fits the Accept header"
        )
    headers = {"Vary": "Accept"}
    if reply.get("as_of_note"):
        headers[AS_OF_HEADER] = reply["as_of_note"]
    if reply["truncated"]:
        headers["X-SPARQL-MaxRows"] = str(request.app.state.settings.max_rows)
    if reply["format"] == "html":
        from llmboom.web.query_page import result_view

        site = request.app.state.site
        view = result_view(reply["kind"], reply["body"], site.links, truncated=reply["truncated"])
        return await query_page_response(
            request, query, view, headers=headers, provenance=provenance, as_of=as_of, named=named
        )
    return Response(reply["body"], media_type=content_type(reply["media_type"]), headers=headers)


async def query_page_response(
    request: Request,
    query: str = "",
    result: ResultView | None = None,
    *,
    error: str | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
    provenance: bool = False,
    as_of: str | None = None,
    named: NamedForm | None = None,
) -> Response:
    """The query page (a named query's, with its form, when `named`)."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import HTMLResponse

    from llmboom.sparql.named_queries import named_queries
    from llmboom.web.query_page import render_query_page

    site = request.app.state.site
    examples = await run_in_threadpool(named_queries, site.project)
    html = render_query_page(
        examples,
        endpoint="/sparql",
        query=query,
        result=result,
        error=error,
        footer=site.footer,
        provenance=provenance,
        as_of=as_of or "",
        as_of_note=(headers or {}).get(AS_OF_HEADER, ""),
        named=named,
    )
    return HTMLResponse(html, status_code=status, headers={"Vary": "Accept", **(headers or {})})
