"""The ASGI application: `create_app(project, settings)`, its routes, and the one place
where library errors become HTTP responses.

Nothing happens at import time. The dataset is loaded and the SPARQL workers are started
when the server starts (the lifespan), off the event loop; they stop with the server.
"""

from __future__ import annotations

import contextlib
from collections.abc import AsyncIterator
from typing import TYPE_CHECKING

from llmboom.errors import FormatError, InputError, LlmboomError, QueryError, UnknownQueryError
from llmboom.web.query_pool import QueryTimeoutError, ServerBusyError, WorkerError
from llmboom.web.requests import (
    BadRequestError,
    BodyTooLargeError,
    NotAcceptableError,
    NotFoundError,
    UnsupportedMediaTypeError,
)
from llmboom.web.settings import ServerSettings

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

    from llmboom.project import Project

#: Library error → HTTP status; the most specific class listed first wins.
STATUS: tuple[tuple[type[LlmboomError], int], ...] = (
    (ServerBusyError, 429),
    (QueryTimeoutError, 503),
    (WorkerError, 503),
    (BodyTooLargeError, 413),
    (UnsupportedMediaTypeError, 415),
    (NotAcceptableError, 406),
    (NotFoundError, 404),
    (UnknownQueryError, 404),
    (BadRequestError, 400),
    (QueryError, 400),
    (InputError, 400),
    (FormatError, 400),
)


def status_of(error: LlmboomError) -> int:
    """The HTTP status of a library error (500 for one the table does not know)."""
    for cls, status in STATUS:
        if isinstance(error, cls):
            return status
    return 500


async def error_response(request: Request, error: Exception) -> Response:
    """Every library error, as one line of text and its status."""
    from starlette.responses import PlainTextResponse

    assert isinstance(error, LlmboomError)
    status = status_of(error)
    headers = {}
    if isinstance(error, ServerBusyError):
        headers["Retry-After"] = str(error.retry_after)
    if status in (406, 415):
        headers["Vary"] = "Accept"
    return PlainTextResponse(f"Error: {error}\n", status_code=status, headers=headers)


def create_app(project: Project, settings: ServerSettings | None = None) -> Starlette:
    """The server's ASGI application for `project`."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.routing import Route

    from llmboom.web import pages, sparql_endpoint
    from llmboom.web.openapi import openapi

    settings = settings or ServerSettings()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        from starlette.concurrency import run_in_threadpool

        from llmboom.web.query_pool import QueryPool
        from llmboom.web.site import LiveSite

        app.state.settings = settings
        app.state.site = await run_in_threadpool(LiveSite, project)
        app.state.pool = QueryPool(project, settings)
        await app.state.pool.start()
        try:
            yield
        finally:
            await app.state.pool.close()

    routes = [
        Route("/", pages.home, name="home"),
        Route("/index.html", pages.home),
        Route("/id/{name}", pages.resource, name="resource"),
        Route("/ontology", pages.ontology, name="ontology"),
        Route("/dataset", pages.dataset, name="dataset"),
        Route("/sparql", sparql_endpoint.sparql, methods=["GET", "POST"], name="sparql"),
        Route("/openapi.json", openapi, name="openapi"),
        Route("/{file}", pages.download, name="download"),
    ]
    middleware = []
    if settings.cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        middleware.append(
            Middleware(
                CORSMiddleware,
                allow_origins=list(settings.cors_origins),
                allow_methods=["GET", "POST"],
                allow_headers=["Accept", "Authorization", "Content-Type"],
            )
        )
    return Starlette(
        routes=routes,
        middleware=middleware,
        lifespan=lifespan,
        exception_handlers={LlmboomError: error_response},
    )
