"""Handlers for the publication: home page, resources, ontology, dataset description,
downloads. Each picks a representation and asks `LiveSite` for it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from llmboom.web.negotiation import HTML, RESOURCE_OFFERS, Offer, by_suffix, negotiate
from llmboom.web.requests import NotAcceptableError, NotFoundError

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from llmboom.web.site import LiveSite


def _site(request: Request) -> LiveSite:
    """The site serving this request; its data version names the answer's (HTTP cache)."""
    from llmboom.web.http_cache import answered_from

    site = request.app.state.site
    answered_from(request, site.version)
    return site


async def _dated_site(request: Request) -> tuple[LiveSite, str | None]:
    """The site of the request's `?as-of=` date (else the whole dataset's), and the note
    saying what a snapshot answer rests on (None for the whole dataset)."""
    from starlette.concurrency import run_in_threadpool

    from llmboom.web.as_of import requested_date, snapshot_site

    site = _site(request)
    day = requested_date(request)
    if day is None:
        return site, None
    dated, snapshot = await run_in_threadpool(snapshot_site, site, day)
    return dated, snapshot.note()


def _dated_html(request: Request, body: bytes, note: str | None) -> bytes:
    """An HTML page with the date picker (and the snapshot's note) at its top."""
    from llmboom.web.as_of import requested_date, with_date_picker

    return with_date_picker(body, requested_date(request), note, request.url.path)


def _as_of_headers(note: str | None) -> dict[str, str]:
    from llmboom.web.as_of import HEADER

    return {HEADER: note} if note else {}


def content_type(media_type: str) -> str:
    """A Content-Type: text and RDF formats say they are UTF-8."""
    if media_type.startswith("text/") or media_type.endswith(("+xml", "+json", "n-triples")):
        return f"{media_type}; charset=utf-8"
    return media_type


def choose(request: Request, offers: tuple[Offer, ...] = RESOURCE_OFFERS) -> Offer:
    """The representation the Accept header asks for; `NotAcceptableError` if none fits."""
    offer = negotiate(request.headers.get("accept"), offers)
    if offer is None:
        available = ", ".join(o.media_type for o in offers)
        raise NotAcceptableError(
            f"no representation fits the Accept header; available: {available}"
        )
    return offer


def _respond(body: bytes, offer: Offer, headers: dict[str, str]) -> Response:
    from starlette.responses import Response

    return Response(body, media_type=content_type(offer.media_type), headers=headers)


async def home(request: Request) -> Response:
    """GET /: what the dataset is, its licence, how to query it, the downloads."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import Response

    # never the request's Host: the configured public address, or a path on this server
    public_url = request.app.state.settings.public_url
    endpoint = f"{public_url.rstrip('/')}/sparql" if public_url else "/sparql"
    site, note = await _dated_site(request)
    body = _dated_html(request, await run_in_threadpool(site.home, endpoint), note)
    return Response(body, media_type=content_type("text/html"), headers=_as_of_headers(note))


async def resource(request: Request) -> Response:
    """GET /id/<slug> by content negotiation, or /id/<slug>.<suffix> for one format."""
    from starlette.concurrency import run_in_threadpool

    site, note = await _dated_site(request)
    name = request.path_params["name"]
    slug, dot, suffix = name.partition(".")
    if not site.has_resource(slug):
        raise NotFoundError(f"no resource {slug!r} in this dataset")
    headers = {"Link": _link_header(site.alternates(slug))}
    if suffix == "svg":
        return await _chart(site, slug, headers, note)
    frame, tree_dot, tree_suffix = suffix.partition(".")
    if tree_dot and tree_suffix == "jsonld":
        return await _tree(site, slug, frame, headers, note)
    if dot:
        offer = by_suffix("." + suffix)
        if offer is None:
            raise NotFoundError(f"no {'.' + suffix!r} representation; try " + _suffixes())
    else:
        headers["Vary"] = "Accept"
        offer = choose(request)
        headers["Content-Location"] = f"/id/{slug}{offer.suffix}"
    language = "en"
    if offer is HTML:
        from llmboom.publication.languages import choose_language

        headers["Vary"] = "Accept, Accept-Language" if not dot else "Accept-Language"
        language = choose_language(
            site.label_languages(slug),
            requested=request.query_params.get("lang"),
            accept_language=request.headers.get("accept-language"),
        )
        headers["Content-Language"] = language
    body = site.cached(slug, offer, language)
    if not body:
        body = await run_in_threadpool(site.resource, slug, offer, language)
    headers.update(_as_of_headers(note))
    if offer is HTML:
        body = _dated_html(request, body, note)
    return _respond(body, offer, headers)


async def _chart(site: LiveSite, slug: str, headers: dict[str, str], note: str | None) -> Response:
    """GET /id/<slug>.svg: the resource's chart, as `build` writes it; 404 when it has none."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import Response

    body = await run_in_threadpool(site.chart, slug)
    if body is None:
        raise NotFoundError(f"{slug!r} has no chart (organizations and reporting chains have)")
    headers.update(_as_of_headers(note))
    return Response(body, media_type="image/svg+xml", headers=headers)


async def _tree(
    site: LiveSite, slug: str, frame: str, headers: dict[str, str], note: str | None
) -> Response:
    """GET /id/<slug>.<frame>.jsonld: the resource's JSON-LD tree with a frame of
    `frames/`, as `build` writes it; 404 when the frame does not apply to it."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import Response

    body = await run_in_threadpool(site.tree, slug, frame)
    if body is None:
        applicable = ", ".join(f".{name}.jsonld" for name in site.tree_frames(slug))
        raise NotFoundError(
            f"no {frame!r} tree for {slug!r}; "
            + (f"its trees: {applicable}" if applicable else "no frame applies to it")
        )
    headers.update(_as_of_headers(note))
    return Response(body, media_type=content_type("application/ld+json"), headers=headers)


def _suffixes() -> str:
    return ", ".join([*(o.suffix for o in RESOURCE_OFFERS), ".svg"])


def _link_header(alternates: list[tuple[str, str, str]]) -> str:
    return ", ".join(f'<{href}>; rel="alternate"; type="{media}"' for href, media, _ in alternates)


async def ontology(request: Request) -> Response:
    """GET /ontology: its documentation page or, by negotiation, its RDF."""
    from starlette.concurrency import run_in_threadpool

    offer = choose(request)
    alternates = [(f"/ontology{o.suffix}", o.media_type, o.title) for o in RESOURCE_OFFERS]
    headers = {"Vary": "Accept", "Link": _link_header(alternates)}
    headers["Content-Location"] = f"/ontology{offer.suffix}"
    body = await run_in_threadpool(_site(request).ontology, offer)
    return _respond(body, offer, headers)


async def dataset(request: Request) -> Response:
    """GET /dataset: the VoID/DCAT description; a browser is sent to the home page."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import RedirectResponse

    offer = choose(request)
    if offer is HTML:
        return RedirectResponse("/", status_code=303, headers={"Vary": "Accept"})
    site, note = await _dated_site(request)
    body = await run_in_threadpool(site.description, offer)
    return _respond(body, offer, {"Vary": "Accept", **_as_of_headers(note)})


async def download(request: Request) -> Response:
    """GET /<file>: a file of the publication (dataset.ttl, ontology.rdf, void.ttl, …),
    streamed from the disk."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import FileResponse

    dated, note = await _dated_site(request)
    if note is not None:
        from starlette.responses import Response

        from llmboom.web.as_of import dataset_download

        made = await run_in_threadpool(dataset_download, dated, request.path_params["file"], note)
        if made is not None:
            body, media_type = made
            return Response(body, media_type=content_type(media_type), headers=_as_of_headers(note))
    site = _site(request)
    release = site.hold()  # a site replaced meanwhile keeps the file until it is sent
    try:
        found = await run_in_threadpool(site.download, request.path_params["file"])
    except BaseException:
        release()
        raise
    if found is None:
        release()
        raise NotFoundError(f"nothing at {request.url.path}")
    path, media_type = found

    class HeldFileResponse(FileResponse):
        async def __call__(self, scope, receive, send) -> None:
            try:
                await super().__call__(scope, receive, send)
            finally:
                release()

    return HeldFileResponse(path, media_type=content_type(media_type), headers=_as_of_headers(note))
