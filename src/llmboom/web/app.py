"""The ASGI application: `create_app(project, settings)`, its routes, and the one place
where library errors become HTTP responses.

Nothing happens at import time. The dataset is loaded and the SPARQL workers are started
when the server starts (the lifespan), off the event loop; they stop with the server.
"""

from __future__ import annotations

import contextlib
import socket
from collections.abc import AsyncIterator, Callable
from typing import TYPE_CHECKING

from llmboom.errors import (
    FormatError,
    InputError,
    LlmboomError,
    QueryError,
    QueryTimeoutError,
    UnknownQueryError,
)
from llmboom.web.query_pool import QueryPool, ServerBusyError, WorkerError
from llmboom.web.requests import (
    BadRequestError,
    BodyTooLargeError,
    NotAcceptableError,
    NotFoundError,
    UnsupportedMediaTypeError,
)
from llmboom.web.settings import ServerSettings
from llmboom.web.site_documents import DocumentsError
from llmboom.web.submissions import ForbiddenError, UnauthorizedError

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response

    from llmboom.project import Project
    from llmboom.web.site import LiveSite

#: Library error → HTTP status; the most specific class listed first wins.
STATUS: tuple[tuple[type[LlmboomError], int], ...] = (
    (ServerBusyError, 429),
    (QueryTimeoutError, 503),
    (WorkerError, 503),
    (DocumentsError, 503),
    (BodyTooLargeError, 413),
    (UnsupportedMediaTypeError, 415),
    (NotAcceptableError, 406),
    (NotFoundError, 404),
    (UnknownQueryError, 404),
    (UnauthorizedError, 401),
    (ForbiddenError, 403),
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
    if isinstance(error, ServerBusyError | DocumentsError) and error.retry_after:
        headers["Retry-After"] = str(error.retry_after)
    if status in (406, 415):
        headers["Vary"] = "Accept"
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="llmboom"'

    return PlainTextResponse(f"Error: {error}\n", status_code=status, headers=headers)


def _load_site(project: Project, settings: ServerSettings) -> LiveSite:
    """The site, its whole-dataset documents being made in the background."""
    from llmboom.web.site import LiveSite

    site = LiveSite(project, settings.open_store(project), settings)
    site.start_documents()
    return site


def listen(host: str, port: int) -> socket.socket:
    """A listening TCP socket; `ServerStartError` (one line) when the address is taken."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        sock.bind((host, port))
        sock.listen(2048)
    except OSError as error:
        sock.close()
        raise ServerStartError(f"cannot listen on {host}:{port}: {error.strerror}") from None
    sock.set_inheritable(True)
    return sock


def run(app: Starlette, sock: socket.socket) -> None:
    """Serve `app` with uvicorn on `sock` until interrupted."""
    import uvicorn

    # a request still waiting at Ctrl-C does not hold the server up for long
    config = uvicorn.Config(app, log_level="warning", access_log=False, timeout_graceful_shutdown=5)
    uvicorn.Server(config).run(sockets=[sock])


def serve_project(
    project: Project, settings: ServerSettings, sock: socket.socket, ready: Callable[[], None]
) -> None:
    """Serve `project` on `sock` until interrupted: open the store (a temporary one for a
    large dataset, `ServerSettings.sized_for`; errors are raised before anything is served),
    start making the whole-dataset documents, call `ready`, and run."""
    from llmboom.web.site import LiveSite

    settings = settings.sized_for(project)
    try:
        site = LiveSite(project, settings.open_store(project), settings)
        site.start_documents()  # in the background, like the query workers' start
        application = create_app(project, settings, site=site)
        ready()
        run(application, sock)
    finally:
        settings.remove_temporary_store()


async def get_once(app: Starlette, target: str, accept: str = "*/*") -> tuple[int, bytes]:
    """Answer one `GET target` in this process, without a network (`llmboom serve --get`):
    the status and the body."""
    from urllib.parse import urlsplit

    parts = urlsplit(target)
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": parts.path or "/",
        "raw_path": (parts.path or "/").encode(),
        "query_string": parts.query.encode(),
        "root_path": "",
        "headers": [(b"host", b"127.0.0.1"), (b"accept", accept.encode("latin-1"))],
        "client": ("127.0.0.1", 0),
        "server": ("127.0.0.1", 80),
    }
    status = 500
    body: list[bytes] = []

    async def receive() -> dict:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            body.append(message.get("body", b""))

    async with app.router.lifespan_context(app):
        await app(scope, receive, send)
    return status, b"".join(body)


class ServerStartError(LlmboomError):
    """The server cannot start: the address is taken or not allowed."""


def create_app(
    project: Project,
    settings: ServerSettings | None = None,
    *,
    site: LiveSite | None = None,
    pool: QueryPool | None = None,
) -> Starlette:
    """The server's ASGI application for `project`; `site` and `pool` when they are already
    loaded and started (by the CLI), else they are when the server starts."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.routing import Route

    from llmboom.web import pages, sparql_endpoint, submissions
    from llmboom.web.openapi import openapi

    settings = settings or ServerSettings()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        from starlette.concurrency import run_in_threadpool

        app.state.settings = settings
        app.state.site = site or await run_in_threadpool(_load_site, project, settings)
        app.state.pool = pool or QueryPool(project, settings)
        await app.state.pool.start()

        async def reload() -> None:
            """The data changed on disk (an applied submission): load it anew."""
            old, app.state.site = (
                app.state.site,
                await run_in_threadpool(_load_site, project, settings),
            )
            app.state.pool.refresh()
            old.close()

        app.state.reload = reload
        try:
            yield
        finally:
            await app.state.pool.close()
            app.state.site.close()

    routes = [
        Route("/", pages.home, name="home"),
        Route("/index.html", pages.home),
        Route("/id/{name}", pages.resource, name="resource"),
        Route("/ontology", pages.ontology, name="ontology"),
        Route("/dataset", pages.dataset, name="dataset"),
        Route("/sparql", sparql_endpoint.sparql, methods=["GET", "POST"], name="sparql"),
        Route("/submissions", submissions.submit, methods=["POST"], name="submissions"),
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
