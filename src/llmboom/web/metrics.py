"""`GET /metrics`: the server's counters in the Prometheus text exposition format (0.0.4).

Requests (by status class), 304s, the result cache (hits, misses, identical queries that
waited for a running one, entries, bytes and their bounds, evictions), the query pool
(queries admitted now, workers alive and idle, restarts, timeouts) and the page cache.

The format is a few lines of text per metric (`# HELP`, `# TYPE`, `name value`); counters and
gauges are all this server has, so it is written here rather than with prometheus_client,
whose registry, collectors and global default state would be more code to keep than the
format itself.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

    from llmboom.web.query_pool import QueryPool
    from llmboom.web.result_cache import ResultCache
    from llmboom.web.site import LiveSite

MEDIA_TYPE = "text/plain; version=0.0.4; charset=utf-8"


@dataclass
class RequestCounts:
    """Requests answered, by status class ("2xx", …), and 304s among them."""

    by_class: dict[str, int] = field(default_factory=dict)
    not_modified: int = 0

    def count(self, status: int) -> None:
        name = f"{status // 100}xx"
        self.by_class[name] = self.by_class.get(name, 0) + 1

    def count_not_modified(self) -> None:
        self.not_modified += 1


class CountRequests:
    """ASGI middleware counting every HTTP answer's status into `counts`."""

    def __init__(self, app, counts: RequestCounts) -> None:
        self.app = app
        self.counts = counts

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def counted(message) -> None:
            if message["type"] == "http.response.start":
                self.counts.count(message["status"])
            await send(message)

        await self.app(scope, receive, counted)


def _metric(name: str, kind: str, help_text: str, samples: list[tuple[str, float]]) -> str:
    lines = [f"# HELP {name} {help_text}", f"# TYPE {name} {kind}"]
    lines += [f"{name}{labels} {value!r}" for labels, value in samples]
    return "\n".join(lines)


def exposition(
    requests: RequestCounts,
    cache: ResultCache | None,
    pool: QueryPool | None,
    site: LiveSite | None,
) -> str:
    """Every metric, as the text `/metrics` answers."""
    out = [
        _metric(
            "llmboom_http_requests_total",
            "counter",
            "HTTP requests answered, by status class.",
            [(f'{{status="{k}"}}', v) for k, v in sorted(requests.by_class.items())],
        ),
        _metric(
            "llmboom_http_not_modified_total",
            "counter",
            "Requests answered 304 Not Modified (If-None-Match or If-Modified-Since).",
            [("", requests.not_modified)],
        ),
    ]
    if cache is not None:
        f = cache.figures
        out += [
            _metric("llmboom_result_cache_hits_total", "counter",
                    "SPARQL answers served from the result cache.", [("", f.hits)]),
            _metric("llmboom_result_cache_misses_total", "counter",
                    "SPARQL queries sent to a worker.", [("", f.misses)]),
            _metric("llmboom_result_cache_joined_total", "counter",
                    "SPARQL queries that waited for an identical one running.", [("", f.joined)]),
            _metric("llmboom_result_cache_failures_served_total", "counter",
                    "Queries answered with the time-limit error of an identical one stopped "
                    "within the last seconds, without a worker.", [("", f.failures_served)]),
            _metric("llmboom_result_cache_evictions_total", "counter",
                    "Answers dropped for room or because the data version changed.",
                    [("", f.evictions)]),
            _metric("llmboom_result_cache_entries", "gauge",
                    "Answers in the result cache.", [("", len(cache))]),
            _metric("llmboom_result_cache_max_entries", "gauge",
                    "Answers the result cache keeps at most.", [("", cache.max_entries)]),
            _metric("llmboom_result_cache_bytes", "gauge",
                    "Bytes of answers in the result cache.", [("", cache.bytes)]),
            _metric("llmboom_result_cache_max_bytes", "gauge",
                    "Bytes of answers the result cache keeps at most.", [("", cache.max_bytes)]),
        ]  # fmt: skip
    if pool is not None:
        out += [
            _metric("llmboom_query_queue", "gauge",
                    "SPARQL queries running or waiting for a worker.", [("", pool.admitted)]),
            _metric("llmboom_query_workers", "gauge",
                    "Query worker processes alive.", [("", pool.running)]),
            _metric("llmboom_query_workers_idle", "gauge",
                    "Query workers waiting for a query.", [("", pool.idle)]),
            _metric("llmboom_query_worker_restarts_total", "counter",
                    "Query workers replaced after dying or being stopped at the time limit.",
                    [("", pool.restarts)]),
            _metric("llmboom_query_timeouts_total", "counter",
                    "SPARQL queries stopped at the time limit.", [("", pool.timeouts)]),
        ]  # fmt: skip
    if site is not None:
        out.append(
            _metric(
                "llmboom_page_cache_bytes",
                "gauge",
                "Bytes of rendered resource pages and documents kept.",
                [("", site.cached_bytes)],
            )
        )
    return "\n".join(out) + "\n"


async def metrics(request: Request) -> Response:
    """GET /metrics: the counters, in Prometheus text format."""
    from starlette.responses import Response

    state = request.app.state
    text = exposition(
        state.request_counts,
        getattr(state, "results", None),
        getattr(state, "pool", None),
        getattr(state, "site", None),
    )
    return Response(text, media_type=MEDIA_TYPE, headers={"Cache-Control": "no-store"})
