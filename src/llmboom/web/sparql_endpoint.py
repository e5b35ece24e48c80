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

    from llmboom.web.query_page import ResultView

FORM = "application/x-www-form-urlencoded"
SPARQL_QUERY = "application/sparql-query"
SPARQL_UPDATE = "application/sparql-update"
_READ_ONLY = "this endpoint is read-only: SPARQL Update is not accepted"


async def sparql(request: Request) -> Response:
    """Run the query of a SPARQL Protocol request; the query page when there is none."""
    query, provenance = await _query_of(request)
    if query is None:
        if _wants_html(request):
            return await _page(request, provenance=provenance)
        raise BadRequestError("give a SPARQL query in the 'query' parameter")
    return await _answer(request, query, provenance)


async def _query_of(request: Request) -> tuple[str | None, bool]:
    """The request's query, and whether it asks for provenance."""
    settings = request.app.state.settings
    if request.method == "GET":
        params = parse_qs(request.url.query, keep_blank_values=True)
    else:
        kind = media_type(request)
        body = await read_body(request, settings.max_body_bytes)
        if kind == SPARQL_QUERY:
            url_params = parse_qs(request.url.query, keep_blank_values=True)
            _no_graph_parameters(url_params)
            return _decode(body), _provenance_of(url_params)
        if kind == SPARQL_UPDATE:
            raise QueryError(_READ_ONLY)
        if kind != FORM:
            raise UnsupportedMediaTypeError(
                f"POST a query as {FORM} or {SPARQL_QUERY}, not {kind or 'no media type'!r}"
            )
        params = parse_qs(_decode(body), keep_blank_values=True)
    if "update" in params:
        raise QueryError(_READ_ONLY)
    _no_graph_parameters(params)
    values = params.get("query", [])
    if len(values) > 1:
        raise BadRequestError("give exactly one 'query' parameter")
    return (values[0] if values else None), _provenance_of(params)


_TRUE = ("true", "1", "on", "yes")
_FALSE = ("false", "0", "off", "no", "")


def _provenance_of(params: dict[str, list[str]]) -> bool:
    """The `provenance` parameter: true, 1, on (a checkbox) or yes; false, 0, off, no."""
    values = params.get("provenance", [])
    if not values:
        return False
    if len(values) > 1 or values[0].lower() not in _TRUE + _FALSE:
        raise BadRequestError("'provenance' is true or false, given once")
    return values[0].lower() in _TRUE


def _no_graph_parameters(params: dict[str, list[str]]) -> None:
    for name in ("default-graph-uri", "named-graph-uri"):
        if name in params:
            raise BadRequestError(
                f"{name} is not supported: the data is the default graph and the ontology "
                "the graph <https://w3id.org/llmboom/ontology>; use GRAPH in the query"
            )


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise BadRequestError("the request body is not UTF-8") from None


def _wants_html(request: Request) -> bool:
    from llmboom.web.negotiation import HTML, negotiate
    from llmboom.web.query_worker import RESULTS_OFFERS

    return negotiate(request.headers.get("accept"), RESULTS_OFFERS) is HTML


async def _answer(request: Request, query: str, provenance: bool) -> Response:
    from starlette.responses import Response

    from llmboom.web.pages import content_type
    from llmboom.web.result_cache import answer_cached

    accept = request.headers.get("accept")
    try:
        reply = await answer_cached(request, query, accept, provenance=provenance)
    except QueryError as error:
        if _wants_html(request):
            return await _page(request, query, error=str(error), status=400, provenance=provenance)
        raise
    if reply["status"] == "error":
        if _wants_html(request):
            return await _page(
                request, query, error=reply["message"], status=400, provenance=provenance
            )
        raise QueryError(reply["message"])
    if reply["status"] == "not_acceptable":
        raise NotAcceptableError(
            f"no results format of a {reply['kind']} result fits the Accept header"
        )
    headers = {"Vary": "Accept"}
    if reply["truncated"]:
        headers["X-SPARQL-MaxRows"] = str(request.app.state.settings.max_rows)
    if reply["format"] == "html":
        from llmboom.web.query_page import result_view

        site = request.app.state.site
        view = result_view(reply["kind"], reply["body"], site.links, truncated=reply["truncated"])
        return await _page(request, query, view, headers=headers, provenance=provenance)
    return Response(reply["body"], media_type=content_type(reply["media_type"]), headers=headers)


async def _page(
    request: Request,
    query: str = "",
    result: ResultView | None = None,
    *,
    error: str | None = None,
    status: int = 200,
    headers: dict[str, str] | None = None,
    provenance: bool = False,
) -> Response:
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import HTMLResponse

    from llmboom.queries import named_queries
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
    )
    return HTMLResponse(html, status_code=status, headers={"Vary": "Accept", **(headers or {})})
