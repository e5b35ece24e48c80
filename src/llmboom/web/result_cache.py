"""A bounded cache of SPARQL answers in front of the query workers.

An answer is a function of the data version, the query, the request's options (entailment,
as-of date, and whatever else a request may set) and the results format the Accept header
chooses. The cache keys on exactly those (`ResultKey`) and keeps the answers the workers
send back (`query_worker.answer`'s dict), least recently used first out, within a number of
entries and of bytes. An answer is stored under the version of the worker that made it, and
looked up under the version current when the request comes in: once an apply changes the
version, nothing made from older data is ever served (the old entries are dropped).

Identical queries that arrive while the first is still running wait for its answer instead
of taking a worker each (one flight per key). A query stopped at the time limit is an answer
too, for a while: for `failure_seconds` (30 s) the same request gets the same error at once
instead of taking a worker for the whole limit again (16 clients asking a query too slow for
the limit each burnt a worker for 10 s); then, or under a new data version, it runs again.
"""

from __future__ import annotations

import asyncio
import time
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias

if TYPE_CHECKING:
    from starlette.requests import Request

    from llmboom.web.query_messages import QueryReply

#: Entries kept at most.
MAX_ENTRIES = 2048
#: Bytes of answer bodies kept at most.
MAX_BYTES = 64 * 1024 * 1024
#: An answer larger than this share of `max_bytes` is not kept.
LARGEST_SHARE = 4
#: Seconds a query stopped at the time limit is answered with the same error.
FAILURE_SECONDS = 30.0

#: A query worker's reply, as the pool returns it.
Reply: TypeAlias = "QueryReply"


def normalised(query: str) -> str:
    """The query text the cache keys on: the text the guard checks and the engine runs
    (`sparql_guard.normalise`: line breaks made LF)."""
    from llmboom.sparql.guard import normalise

    return normalise(query)


@dataclass(frozen=True)
class ResultKey:
    """What an answer depends on."""

    version: str  #: the data version's tag
    query: str  #: the normalised query text
    accept: str  #: the Accept header (it chooses the results format)
    options: tuple[tuple[str, str], ...] = ()  #: entailment, as-of date, … (sorted)

    @classmethod
    def of(
        cls, version: str, query: str, accept: str | None, options: Mapping[str, Any] | None
    ) -> ResultKey:
        pairs = tuple(sorted((str(k), str(v)) for k, v in (options or {}).items()))
        return cls(version, normalised(query), (accept or "").strip(), pairs)


@dataclass
class CacheFigures:
    """Counters for `/metrics`."""

    hits: int = 0
    misses: int = 0
    joined: int = 0  #: requests that waited for an identical query already running
    evictions: int = 0
    stores: int = 0
    too_large: int = 0
    failures_served: int = 0  #: time-limit errors answered again without a worker
    extra: dict[str, int] = field(default_factory=dict)


class ResultCache:
    """Answers of the query workers by `ResultKey`, bounded by `max_entries` and
    `max_bytes` (bodies)."""

    def __init__(
        self,
        max_entries: int = MAX_ENTRIES,
        max_bytes: int = MAX_BYTES,
        failure_seconds: float = FAILURE_SECONDS,
    ) -> None:
        self.max_entries = max_entries
        self.max_bytes = max_bytes
        self.failure_seconds = failure_seconds
        #: time-limit errors by key: until when they stand, and the message
        self._failures: dict[ResultKey, tuple[float, str]] = {}
        self.bytes = 0
        self.figures = CacheFigures()
        self._entries: OrderedDict[ResultKey, Reply] = OrderedDict()
        self._version = ""
        self._flights: dict[ResultKey, asyncio.Future[Reply]] = {}

    def __len__(self) -> int:
        return len(self._entries)

    async def run(
        self,
        version: str | None,
        query: str,
        accept: str | None,
        options: Mapping[str, Any] | None,
        compute: Callable[[], Awaitable[Reply]],
    ) -> Reply:
        """The answer for this request: from the cache, from an identical query running,
        or from `compute()` (a query worker; its reply names the data `version` it was made
        from). `version` None (the data may change under the server) bypasses the cache."""
        if version is None or self.max_entries == 0:
            return await compute()
        key = ResultKey.of(version, query, accept, options)
        found = self.get(key)
        if found is not None:
            self.figures.hits += 1
            return found
        failure = self._failures.get(key)
        if failure is not None:
            until, message = failure
            if time.monotonic() < until:
                from llmboom.errors import QueryTimeoutError

                self.figures.failures_served += 1
                raise QueryTimeoutError(message)
            del self._failures[key]
        flight = self._flights.get(key)
        if flight is not None:
            self.figures.joined += 1
            return await asyncio.shield(flight)
        self.figures.misses += 1
        flight = asyncio.get_running_loop().create_future()
        self._flights[key] = flight
        try:
            reply = await compute()
        except BaseException as error:
            from llmboom.errors import QueryTimeoutError

            if isinstance(error, QueryTimeoutError) and self.failure_seconds > 0:
                self._failures[key] = (time.monotonic() + self.failure_seconds, str(error))
            self._settle(key, flight, error=error)
            raise
        self._settle(key, flight, reply=reply)
        version = reply.get("version")
        if reply.get("status") == "ok" and version is not None:
            self.put(ResultKey(version, key.query, key.accept, key.options), reply)
        return reply

    def _settle(
        self,
        key: ResultKey,
        flight: asyncio.Future[Reply],
        *,
        reply: Reply | None = None,
        error: BaseException | None = None,
    ) -> None:
        self._flights.pop(key, None)
        if flight.done():
            return
        if error is not None:
            flight.set_exception(error)
            flight.exception()  # retrieved: no warning when nobody joined
        else:
            assert reply is not None  # settled with a reply or an error
            flight.set_result(reply)

    def get(self, key: ResultKey) -> Reply | None:
        """The answer kept for `key`, or None. Asking under a new version drops the answers
        of the old one."""
        if key.version != self._version:
            self._drop_all(key.version)
            return None
        found = self._entries.get(key)
        if found is not None:
            self._entries.move_to_end(key)
        return found

    def put(self, key: ResultKey, reply: Reply) -> None:
        """Keep `reply` for `key` if it is of the current version and small enough."""
        if key.version != self._version:
            return  # made from data older (or newer) than what is asked for now
        size = len(reply.get("body", b""))
        if size * LARGEST_SHARE > self.max_bytes:
            self.figures.too_large += 1
            return
        if key in self._entries:
            return
        self._entries[key] = reply
        self.bytes += size
        self.figures.stores += 1
        while len(self._entries) > self.max_entries or self.bytes > self.max_bytes:
            _, dropped = self._entries.popitem(last=False)
            self.bytes -= len(dropped.get("body", b""))
            self.figures.evictions += 1

    def _drop_all(self, version: str) -> None:
        self.figures.evictions += len(self._entries)
        self._entries.clear()
        self._failures.clear()
        self.bytes = 0
        self._version = version


async def answer_cached(request: Request, query: str, accept: str | None, **options: Any) -> Reply:
    """The answer to `query` for this request, through the server's result cache and its
    query pool (`options` are passed to `QueryPool.run` and are part of the key); names the
    data version of the answer for the HTTP validators (`http_cache.answered_from`)."""
    from llmboom.web.http_cache import answered_from

    state = request.app.state
    site = state.site
    current = site.version

    def compute() -> Awaitable[Reply]:
        return state.pool.run(query, accept, **options)

    tag = None if current is None else current.tag
    reply = await state.results.run(tag, query, accept, options, compute)
    made_from = reply.get("version")
    answered_from(request, current if made_from is not None and made_from == tag else None)
    return reply
