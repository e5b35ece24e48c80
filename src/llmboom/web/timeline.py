"""`GET /timeline`: the timeline page, filtered by `?organization=` and `?person=` (a slug
or an IRI each) and paged by `?page=`. The `timeline` named query runs in the query
workers, through the result cache, like any SPARQL request."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from llmboom.web.requests import BadRequestError

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

_JSON = "application/sparql-results+json"


async def timeline(request: Request) -> Response:
    """The timeline page."""
    from starlette.responses import HTMLResponse

    from llmboom.errors import QueryError, QueryParameterError
    from llmboom.history.timeline import events_from_json, timeline_query_text
    from llmboom.publication.timeline_page import render_timeline_page, timeline_page
    from llmboom.web.result_cache import answer_cached

    site = request.app.state.site
    params = request.query_params
    organization = params.get("organization", "").strip()
    person = params.get("person", "").strip()
    try:
        page = int(params.get("page", "1"))
        text = timeline_query_text(site.project, organization or None, person or None)
    except (ValueError, QueryParameterError) as error:
        raise BadRequestError(f"timeline: {error}") from None
    reply = await answer_cached(request, text, _JSON)
    if reply["status"] != "ok":
        raise QueryError(reply.get("message", "the timeline query failed"))
    filters = {k: v for k, v in (("organization", organization), ("person", person)) if v}

    def href(number: int) -> str:
        return "/timeline?" + urlencode({**filters, "page": number})

    view = timeline_page(
        events_from_json(reply["body"]),
        site.links,
        page=page,
        href=href,
        organization=organization,
        person=person,
        filter_form=True,
        query_href="/sparql?" + urlencode({"query": text}),
    )
    html = render_timeline_page(view, footer=site.footer, search_root="/", home="/")
    return HTMLResponse(html, headers={"Vary": "Accept"})
