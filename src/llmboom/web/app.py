"""The ASGI application: `create_app(project, settings)`, its routes, and the one place
where library errors become HTTP responses.

Nothing happens at import time. The dataset is loaded and the SPARQL workers are started
when the server starts (the lifespan), off the event loop; they stop with the server.
"""

from __future__ import annotations

import asyncio
import contextlib
import errno
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import TYPE_CHECKING

from llmboom.errors import (
    DiskFullError,
    FormatError,
    InputError,
    LlmboomError,
    LockTimeoutError,
    QueryError,
    QueryTimeoutError,
    UnknownQueryError,
)
from llmboom.web.query_pool import QueryPool, ServerBusyError, WorkerError
from llmboom.web.requests import (
    BadRequestError,
    BodyTooLargeError,
    MethodNotAllowedError,
    NotAcceptableError,
    NotFoundError,
    UnsupportedMediaTypeError,
    only,
)
from llmboom.web.settings import ServerSettings
from llmboom.web.site_documents import DocumentsError
from llmboom.web.submission_pool import SubmissionPool, SubmissionTooCostlyError
from llmboom.web.submissions import APPLY_LOCK_WAIT, ForbiddenError, UnauthorizedError

if TYPE_CHECKING:
    from starlette.applications import Starlette
    from starlette.requests import Request
    from starlette.responses import Response
    from starlette.types import Message

    from llmboom.files.data_version import DataVersion
    from llmboom.project import Project
    from llmboom.web.site import LiveSite

#: Library error → HTTP status; the most specific class listed first wins.
STATUS: tuple[tuple[type[LlmboomError], int], ...] = (
    (ServerBusyError, 429),
    (LockTimeoutError, 503),
    (DiskFullError, 507),
    (QueryTimeoutError, 503),
    (WorkerError, 503),
    (DocumentsError, 503),
    (BodyTooLargeError, 413),
    (SubmissionTooCostlyError, 413),
    (UnsupportedMediaTypeError, 415),
    (NotAcceptableError, 406),
    (NotFoundError, 404),
    (MethodNotAllowedError, 405),
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
    if isinstance(error, LockTimeoutError):
        headers["Retry-After"] = str(round(APPLY_LOCK_WAIT))
    if status in (406, 415):
        headers["Vary"] = "Accept"
    if status == 401:
        headers["WWW-Authenticate"] = 'Bearer realm="llmboom"'
    if isinstance(error, MethodNotAllowedError):
        headers["Allow"] = error.allow

    return PlainTextResponse(f"Error: {error}\n", status_code=status, headers=headers)


def _load_site(
    project: Project, settings: ServerSettings, previous: LiveSite | None = None
) -> LiveSite:
    """The site, its whole-dataset documents being made in the background; its data
    version later than `previous`'s."""
    from llmboom.web.site import LiveSite

    version = _version(project, settings, previous)  # named before the data is read
    site = LiveSite(project, settings.dataset(project).store(), settings, version=version)
    site.start_documents()
    return site


def _version(
    project: Project, settings: ServerSettings, previous: LiveSite | None = None
) -> DataVersion | None:
    """The data version a site loaded now serves (None for an external endpoint, whose
    data may change at any time)."""
    from llmboom.files.data_version import data_version, later_than

    if settings.endpoint is not None:
        return None
    return later_than(data_version(project), previous.version if previous else None)


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
        hint = ""
        if error.errno == errno.EADDRINUSE:
            hint = " (another server? choose a free port: --port N, or make run PORT=N)"
        raise ServerStartError(f"cannot listen on {host}:{port}: {error.strerror}{hint}") from None
    sock.set_inheritable(True)
    return sock


def run(app: Starlette, sock: socket.socket, settings: ServerSettings | None = None) -> None:
    """Serve `app` with uvicorn on `sock` until interrupted."""
    import uvicorn

    from llmboom.web.connections import guarded_protocol

    settings = settings or ServerSettings()
    config = uvicorn.Config(
        app,
        log_level="warning",
        access_log=False,
        timeout_graceful_shutdown=5,  # a request still waiting at Ctrl-C does not hold it up
        http=guarded_protocol(settings.header_timeout),
        # uvicorn annotates whole seconds, and takes a float as well (asyncio call_later)
        timeout_keep_alive=settings.keep_alive_timeout,  # type: ignore[arg-type]
        limit_concurrency=settings.max_connections,  # beyond: 503
    )
    uvicorn.Server(config).run(sockets=[sock])


def serve_project(
    project: Project, settings: ServerSettings, sock: socket.socket, ready: Callable[[], None]
) -> None:
    """Serve `project` on `sock` until interrupted: open the store (a temporary one for a
    large dataset, `ServerSettings.sized_for`; errors are raised before anything is served),
    start making the whole-dataset documents, call `ready`, and run."""

    settings = settings.sized_for(project)
    try:
        # in the background, like the query workers' start
        site = _load_site(project, settings)
        application = create_app(project, settings, site=site)
        ready()
        run(application, sock, settings)
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

    requested = False
    answered = asyncio.Event()

    async def receive() -> Message:
        # the request once; then, as a client would, nothing until the answer is complete
        # (a receive that returned at once would spin a response waiting for a disconnect)
        nonlocal requested
        if not requested:
            requested = True
            return {"type": "http.request", "body": b"", "more_body": False}
        await answered.wait()
        return {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
        elif message["type"] == "http.response.body":
            body.append(message.get("body", b""))
            if not message.get("more_body", False):
                answered.set()

    async with app.router.lifespan_context(app):
        await app(scope, receive, send)
    return status, b"".join(body)


def _current_version(scope: dict) -> DataVersion | None:
    """The data version of the site being served (None before it is loaded)."""
    site = getattr(scope["app"].state, "site", None)
    return None if site is None else site.version


async def _watch(app: Starlette, reload: Callable[[], Awaitable[None]], settings) -> None:
    """Reload when the project's files change under the server (`llmboom submit --apply`
    from another process, an edit): every `ServerSettings.watch_seconds`."""
    from starlette.concurrency import run_in_threadpool

    from llmboom.files.data_version import data_version

    if settings.endpoint is not None or not settings.watch_seconds:
        return
    unloadable = None  # files that failed to load: not tried again until they change
    while True:
        await asyncio.sleep(settings.watch_seconds)
        site = app.state.site
        with contextlib.suppress(OSError):
            now = await run_in_threadpool(data_version, site.project)
            if site.version is None or now.tag in (site.version.tag, unloadable):
                continue
            try:
                await reload()  # the old site keeps serving its data if this fails
            except LlmboomError:
                unloadable = now.tag


class ServerStartError(LlmboomError):
    """The server cannot start: the address is taken or not allowed."""


def create_app(
    project: Project,
    settings: ServerSettings | None = None,
    *,
    site: LiveSite | None = None,
) -> Starlette:
    """The server's ASGI application for `project`; `site` when it is already loaded (by the
    CLI), else it is when the server starts."""
    from starlette.applications import Starlette
    from starlette.middleware import Middleware
    from starlette.routing import Route

    from llmboom.web import named_query_pages, pages, sparql_endpoint, submissions, timeline
    from llmboom.web.http_cache import HttpCache
    from llmboom.web.metrics import CountRequests, RequestCounts, metrics
    from llmboom.web.openapi import openapi
    from llmboom.web.result_cache import ResultCache
    from llmboom.web.trailing_slash import TrailingSlash

    settings = settings or ServerSettings()
    request_counts = RequestCounts()

    @contextlib.asynccontextmanager
    async def lifespan(app: Starlette) -> AsyncIterator[None]:
        from starlette.concurrency import run_in_threadpool

        app.state.settings = settings
        app.state.request_counts = request_counts
        app.state.results = ResultCache(settings.result_cache_entries, settings.result_cache_bytes)
        app.state.site = site or await run_in_threadpool(_load_site, project, settings)
        app.state.pool = QueryPool(project, settings)
        await app.state.pool.start()
        app.state.submission_pool = SubmissionPool(project, settings)  # started when used
        reloading = asyncio.Lock()

        async def reload() -> None:
            """The data changed on disk (an applied submission): load it anew."""
            async with reloading:
                old = app.state.site
                app.state.site = await run_in_threadpool(_load_site, project, settings, old)
                app.state.pool.refresh()  # with the site, in one step of the event loop
                app.state.submission_pool.refresh()
                await run_in_threadpool(old.close)  # it may wait for its documents' child

        app.state.reload = reload
        watching = asyncio.get_running_loop().create_task(_watch(app, reload, settings))
        try:
            yield
        finally:
            watching.cancel()
            await app.state.pool.close()
            await app.state.submission_pool.close()
            app.state.site.close()

    routes = [
        Route("/", pages.home, name="home"),
        Route("/index.html", pages.home),
        Route("/id/{name}", pages.resource, name="resource"),
        Route("/ontology", pages.ontology, name="ontology"),
        Route("/dataset", pages.dataset, name="dataset"),
        Route("/sparql", sparql_endpoint.sparql, methods=["GET", "POST"], name="sparql"),
        Route("/submissions", submissions.submit, methods=["POST"], name="submissions"),
        Route("/submissions", only("POST"), methods=["GET", "HEAD", "PUT", "DELETE", "PATCH"]),
        Route("/openapi.json", openapi, name="openapi"),
        Route("/metrics", metrics, name="metrics"),
        Route("/timeline", timeline.timeline, name="timeline"),
        Route("/queries/{name}", named_query_pages.named_query, name="named-query"),
        Route("/{file}", pages.download, name="download"),
    ]
    middleware = [
        Middleware(TrailingSlash),
        Middleware(CountRequests, counts=request_counts),
        Middleware(
            HttpCache,
            version_of=_current_version,
            cache_control=settings.cache_control,
            salt=f"max_rows={settings.max_rows}",
            on_not_modified=request_counts.count_not_modified,
        ),
    ]
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
