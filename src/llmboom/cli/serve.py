"""`llmboom serve`: the HTTP server (dereferenceable IRIs, SPARQL endpoint, downloads)."""

from __future__ import annotations

import click

from llmboom.cli.common import AppContext, pass_app
from llmboom.web.settings import TOKEN_ENV, ServerSettings

_DEFAULTS = ServerSettings()


@click.command(name="serve")
@click.option("--host", default=_DEFAULTS.host, show_default=True, help="Address to listen on.")
@click.option("--port", type=click.IntRange(0, 65535), default=_DEFAULTS.port, show_default=True)
@click.option(
    "--timeout",
    "query_timeout",
    type=click.FloatRange(min=0.1),
    default=_DEFAULTS.query_timeout,
    show_default=True,
    help="Seconds a SPARQL query may run before it is stopped.",
)
@click.option(
    "--max-rows",
    type=click.IntRange(min=1),
    default=_DEFAULTS.max_rows,
    show_default=True,
    help="Rows or triples a query may return; the rest are cut off.",
)
@click.option(
    "--workers",
    "query_workers",
    type=click.IntRange(min=1),
    default=_DEFAULTS.query_workers,
    show_default=True,
    help="Processes that run SPARQL queries.",
)
@click.option(
    "--queue",
    "query_queue",
    type=click.IntRange(min=0),
    default=_DEFAULTS.query_queue,
    show_default=True,
    help="Queries that may wait for a worker; more get 429 Too Many Requests.",
)
@click.option(
    "--max-body",
    "max_body_bytes",
    type=click.IntRange(min=1),
    default=_DEFAULTS.max_body_bytes,
    show_default=True,
    help="Bytes a request body may hold; larger ones get 413.",
)
@click.option(
    "--cache-control",
    default=_DEFAULTS.cache_control,
    show_default=True,
    help="Cache-Control of pages, documents, downloads and SPARQL GET answers (each also "
    "carries an ETag and Last-Modified, and 304 answers a matching If-None-Match or "
    "If-Modified-Since), e.g. 'public, max-age=60'.",
)
@click.option(
    "--result-cache-mb",
    type=click.IntRange(min=0),
    default=_DEFAULTS.result_cache_bytes // (1024 * 1024),
    show_default=True,
    help="Megabytes of SPARQL answers kept for repeated queries (0: no result cache).",
)
@click.option(
    "--submission-timeout",
    type=click.FloatRange(min=0.1),
    default=_DEFAULTS.submission_timeout,
    show_default=True,
    help="Seconds checking a POST /submissions body may take before it is stopped (413).",
)
@click.option(
    "--submission-workers",
    type=click.IntRange(min=1),
    default=_DEFAULTS.submission_workers,
    show_default=True,
    help="Processes that check submissions.",
)
@click.option(
    "--submission-queue",
    type=click.IntRange(min=0),
    default=_DEFAULTS.submission_queue,
    show_default=True,
    help="Submission checks that may wait for a worker; more get 429 Too Many Requests.",
)
@click.option(
    "--endpoint",
    metavar="URL",
    help="Serve the dataset held by this SPARQL 1.1 endpoint instead of an embedded store "
    "(its default graph is the dataset; the ontology in <https://w3id.org/llmboom/ontology>).",
)
@click.option(
    "--public-url",
    metavar="URL",
    callback=lambda ctx, param, value: _check_public_url(value),
    help="The server's public base URL (e.g. https://example.org/llmboom/), for the absolute "
    "links it writes; without it, links are paths on this server. The request's Host header "
    "is never used.",
)
@click.option(
    "--header-timeout",
    type=click.FloatRange(min=0.1),
    default=_DEFAULTS.header_timeout,
    show_default=True,
    help="Seconds a connection may take to send a request's headers; then it is closed.",
)
@click.option(
    "--max-connections",
    type=click.IntRange(min=1),
    default=_DEFAULTS.max_connections,
    show_default=True,
    help="Connections and requests at once; more get 503.",
)
@click.option(
    "--cors-origin",
    "cors_origins",
    multiple=True,
    help="Allow cross-origin requests from this origin (repeatable). Default: CORS off.",
)
@click.option(
    "--allow-unsandboxed-queries",
    is_flag=True,
    help="Serve even where the query and submission workers cannot be denied the network (no "
    "seccomp on this platform); SERVICE is still refused by the query check.",
)
@click.option(
    "--get",
    "get_path",
    metavar="PATH",
    help="Answer one GET request for PATH in this process, print the body and exit "
    "(exit 2 for an HTTP error status). Nothing listens on the network.",
)
@click.option(
    "--accept",
    default="*/*",
    show_default=True,
    help="The Accept header of the --get request.",
)
@pass_app
def serve_command(
    app: AppContext, host: str, port: int, get_path: str | None, accept: str, **limits
) -> None:
    """Serve the dataset over HTTP until interrupted (Ctrl-C).

    Every resource IRI answers at /id/<slug> with a page or, by content negotiation, RDF
    (Turtle, JSON-LD, N-Triples, RDF/XML; or a suffix such as /id/bytedance.ttl). /sparql is
    a read-only SPARQL 1.1 endpoint (and a query page in a browser) with a time limit per
    query, a result cap and a cap on concurrent queries. /ontology, /dataset (VoID/DCAT),
    the downloads and /openapi.json are there too. The dataset is read once, from an
    embedded store (in memory, or `llmboom --store DIR`) or from --endpoint URL. The server
    listens on the loopback address unless --host says otherwise. The processes that run
    queries cannot use the network (a seccomp filter); where the platform cannot do that,
    serve refuses to start unless given --allow-unsandboxed-queries. Applying submissions
    over HTTP needs the bearer token in the environment variable LLMBOOM_SUBMIT_TOKEN.

    \b
    Example:
        llmboom serve
        llmboom serve --port 8080 --timeout 5
        llmboom serve --get /id/bytedance --accept text/turtle
        llmboom --store .llmboom-store serve --workers 4
        curl -H 'Accept: text/turtle' http://127.0.0.1:8000/id/bytedance
    """
    from llmboom.web.app import listen, serve_project
    from llmboom.web.query_pool import check_sandbox

    limits["cors_origins"] = tuple(limits["cors_origins"])
    megabytes = limits.pop("result_cache_mb")
    limits["result_cache_bytes"] = megabytes * 1024 * 1024
    if megabytes == 0:
        limits["result_cache_entries"] = 0
    settings = ServerSettings.from_environment(
        host=host, port=port, store_dir=app.store_dir, **limits
    )
    check_sandbox(settings)
    if get_path is not None:
        _get(app, settings, get_path, accept)
        return
    sock = listen(host, port)
    address = f"http://{host}:{sock.getsockname()[1]}/"
    serve_project(
        app.project,
        settings,
        sock,
        lambda: click.echo(f"Serving {app.project.root} at {address} (Ctrl-C stops)", err=True),
    )


def _check_public_url(value: str | None) -> str | None:
    if value is None:
        return None
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(value)
    except ValueError:
        parts = None
    if parts is None or parts.scheme not in ("http", "https") or not parts.netloc:
        raise click.BadParameter("give an http(s) URL, e.g. https://example.org/llmboom/")
    return value


def _get(app: AppContext, settings: ServerSettings, path: str, accept: str) -> None:
    import asyncio
    import sys

    from llmboom.errors import LlmboomError
    from llmboom.web.app import create_app, get_once

    if not path.startswith("/"):
        raise click.BadParameter("give a path that starts with /", param_hint="--get")
    status, body = asyncio.run(get_once(create_app(app.project, settings), path, accept))
    if status >= 400:
        message = body.decode("utf-8", "replace").strip().removeprefix("Error: ")
        raise LlmboomError(
            f"GET {path}: HTTP {status}: {message.splitlines()[0] if message else ''}"
        )
    sys.stdout.buffer.write(body)


__all__ = ["TOKEN_ENV", "serve_command"]
