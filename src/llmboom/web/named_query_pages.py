"""`/queries/<name>`: a named query with a form field per parameter, and its answer as files.

`GET /queries/organization-chart?organization=bytedance&date=2016-06-01` binds the values as
`llmboom query --name … --param …` does (each checked and turned into an RDF term, never
spliced into the text), runs the bound text through the same worker pool, result cache and
as-of snapshots as `/sparql`, and shows the query page with the fields filled in. A required
parameter left empty shows the form without running anything. `as-of=DATE` also fills the
query's date parameters that are not given. `/queries/<name>.csv` (`.tsv`, `.json`, `.srx`)
answers with that results format whatever the Accept header says: the page's download links.
"""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from llmboom.errors import QueryParameterError
from llmboom.web.requests import BadRequestError, NotFoundError

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

QUERIES_PATH = "/queries/"
#: The download suffixes and the results media type each asks for.
DOWNLOADS = {
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "json": "application/sparql-results+json",
    "srj": "application/sparql-results+json",
    "srx": "application/sparql-results+xml",
}


async def named_query(request: Request) -> Response:
    """GET /queries/<name>[.csv|.tsv|.json|.srx]."""
    from starlette.concurrency import run_in_threadpool

    from llmboom.sparql.named_queries import (
        bound_query_text,
        get_named_query,
        with_snapshot_date,
    )
    from llmboom.web.as_of import parse
    from llmboom.web.query_page import named_form
    from llmboom.web.sparql_endpoint import (
        answer_query,
        parse_params,
        provenance_of,
        query_page_response,
        wants_html,
    )

    name, dot, suffix = request.path_params["name"].partition(".")
    accept = None
    if dot:
        if suffix not in DOWNLOADS:
            raise NotFoundError(
                f"no {'.' + suffix!r} answer; try " + ", ".join("." + s for s in DOWNLOADS)
            )
        accept = DOWNLOADS[suffix]
    site = request.app.state.site
    query = await run_in_threadpool(get_named_query, site.project, name)
    params = parse_params(request.url.query, "the URL's query string")
    for key, given_values in params.items():
        if len([v for v in given_values if v]) > 1:
            raise BadRequestError(f"give {key!r} once")
    given = {p.name: v for p in query.parameters if (v := _first(params.get(p.name)))}
    as_of_text = _first(params.get("as-of"))
    as_of = parse(as_of_text).isoformat() if as_of_text else None
    provenance = provenance_of(params)
    kept = dict(given)  # what the download links ask for too
    if as_of:
        kept["as-of"] = as_of
    if provenance:
        kept["provenance"] = "true"
    missing = [p.name for p in query.parameters if p.default is None and p.name not in given]
    form = named_form(
        query,
        given,
        action=f"{QUERIES_PATH}{name}",
        download_query=None if missing else urlencode(kept),
    )
    if missing:
        if accept is None and wants_html(request):  # the form, to fill in: nothing runs yet
            return await query_page_response(
                request, query.text, named=form, as_of=as_of, provenance=provenance
            )
        needed = ", ".join(f"{m}=VALUE" for m in missing)
        raise BadRequestError(f"{name}: give {needed} (a value the query needs)")
    values = with_snapshot_date(query, given, parse(as_of) if as_of else None)
    try:
        text = bound_query_text(query, values, site.base_iri)
    except QueryParameterError as error:
        if accept is None and wants_html(request):
            return await query_page_response(
                request, query.text, error=str(error), status=400, named=form, as_of=as_of
            )
        raise
    return await answer_query(request, text, provenance, as_of=as_of, accept=accept, named=form)


def _first(values: list[str] | None) -> str:
    return next((v for v in values or [] if v), "")
