"""SPARQL queries run in worker processes that can be killed: a hard time limit, a cap on
concurrent queries, and an event loop that never waits on a query. (`WorkerPool` is the
mechanism, `QueryPool` its use for queries; `submission_pool` uses it for submission checks.)

Each worker (`query_worker.serve_forever`) holds its own copy of the store, loaded once. A
query takes an idle worker; when it outlives `query_timeout` the worker is killed (SIGKILL:
the query really stops) and a fresh one is started in the background. At most
`query_workers + query_queue` queries are admitted at once; the next one is refused at once
(`ServerBusyError`, HTTP 429). Workers start from a fork server that has already imported the
query modules, so a replacement is ready in a fraction of a second. They start in the
background: the server answers pages meanwhile, and a query waits for the first one ready
(or gets `WorkerError`, 503, when none can start). Workers of an embedded store cannot use
the network (`llmboom.sparql.sandbox`); `check_sandbox` refuses to start where that cannot be had.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, cast

from llmboom.errors import LlmboomError, QueryTimeoutError

if TYPE_CHECKING:
    from multiprocessing.connection import Connection
    from multiprocessing.process import BaseProcess

    from llmboom.project import Project
    from llmboom.web.query_messages import QueryReply, QueryRequest
    from llmboom.web.settings import ServerSettings

#: Seconds to wait for a new worker to load the store.
START_TIMEOUT = 120.0
#: The modules the fork server imports before it starts any worker, for every pool.
_PRELOAD: set[str] = set()


class ServerBusyError(LlmboomError):
    """Too many queries at once; try again shortly."""

    def __init__(self, message: str, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = retry_after


class WorkerError(LlmboomError):
    """A query worker could not start or died without answering."""


@dataclass(eq=False)
class _Worker:
    process: BaseProcess
    connection: Connection
    generation: int = 0  #: the version of the dataset it loaded (see `QueryPool.refresh`)
    data_version: str | None = None  #: the tag of the data it loaded (`llmboom.files.data_version`)


def prepare(project: Project, settings: ServerSettings) -> None:
    """Make what every worker opens, once, before they start: a persisted store's copy with
    the triples RDFS entails (`EmbeddedStore.entailed`); nothing for other stores."""
    if settings.store_dir is None or settings.endpoint is not None:
        return
    from llmboom.store.embedded import EmbeddedStore

    store = settings.dataset(project).store()
    if isinstance(store, EmbeddedStore):  # a persisted store (no endpoint: see above)
        store.entailed()


def _worker_entry(connection: Connection, project: Project, settings: ServerSettings) -> None:
    import signal

    from llmboom.web.query_worker import serve_forever

    # Ctrl-C reaches the whole process group: the server stops its workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    serve_forever(connection, project, settings)


def check_sandbox(settings: ServerSettings) -> None:
    """Raise `SandboxUnavailableError` (one line, naming the option) when the workers (those
    of queries on an embedded store, and those of submission checks, whatever the store)
    could not be denied the network and the operator did not allow that."""
    from llmboom.sparql.sandbox import (
        ALLOW_UNSANDBOXED_OPTION,
        SandboxUnavailableError,
        unavailable_reason,
    )

    if settings.allow_unsandboxed_queries:
        return
    reason = unavailable_reason()
    if reason is not None:
        raise SandboxUnavailableError(
            f"the query and submission workers cannot be kept off the network here "
            f"({reason}); give {ALLOW_UNSANDBOXED_OPTION} to serve anyway (SERVICE is still "
            "refused by the query check)"
        )


class WorkerPool:
    """A fixed number of worker processes behind an asyncio front: `ask` sends one request
    to an idle worker and awaits its reply, within `time_limit` seconds (else the worker is
    killed and replaced), at most `size + queue` requests admitted at once.

    `entry(connection, project, settings)` is a worker's life (module-level, so that the
    fork server can start it): it says `{"status": "ready"}` (or `"failed"`), then answers
    each request on `connection`. `noun` names the work in messages ("query")."""

    noun, nouns = "request", "requests"
    label = "worker"  #: what kind of worker, in messages ("a SPARQL worker …")

    def __init__(
        self,
        project: Project,
        settings: ServerSettings,
        *,
        size: int,
        queue: int,
        time_limit: float,
        entry: Callable[[Connection, Project, ServerSettings], None],
        preload: list[str],
        name: str,
    ) -> None:
        import multiprocessing

        self.project = project
        self.settings = settings
        self.size = size
        self.queue = queue
        self.time_limit = time_limit
        self._entry = entry
        self._name = name
        self._context = multiprocessing.get_context("forkserver")
        _PRELOAD.update(preload)  # one fork server for every pool: it preloads for all
        self._context.set_forkserver_preload(sorted(_PRELOAD))
        self._idle: asyncio.Queue[_Worker | None] | None = None
        self._admitted = 0
        self._workers: set[_Worker] = set()
        self._threads = ThreadPoolExecutor(max_workers=2 * size + 1, thread_name_prefix=name)
        self._replacing: set[asyncio.Task] = set()
        self._generation = 0
        self._failure = ""  #: why the last worker could not start
        self.restarts = 0  #: workers replaced after dying or being stopped at the time limit
        self.timeouts = 0  #: queries stopped at the time limit

    async def start(self) -> None:
        """Make the workers available to `run` as each has loaded the store, in the
        background (pages are served meanwhile; a query waits for a worker)."""
        self._idle = asyncio.Queue()
        if self.size:
            task = asyncio.get_running_loop().create_task(self._start_workers(self.size))
            self._replacing.add(task)
            task.add_done_callback(self._replacing.discard)

    async def _start_workers(self, count: int) -> None:
        """Make what the workers share (`prepare`: no time limit, it may take a while on a
        large dataset), then start `count` workers."""
        assert self._idle is not None
        loop = asyncio.get_running_loop()
        try:
            await loop.run_in_executor(self._threads, self.prepare)
        except LlmboomError as error:
            self._failure = str(error)
            for _ in range(count):
                self._idle.put_nowait(None)
            return
        for _ in range(count):
            self._replace(None)

    async def close(self) -> None:
        """Stop every worker."""
        for task in list(self._replacing):
            task.cancel()
        for worker in list(self._workers):
            self._kill(worker)
        self._threads.shutdown(wait=False, cancel_futures=True)

    def prepare(self) -> None:
        """Make what every worker opens, once, before they start (blocking; nothing here)."""

    def timed_out(self) -> LlmboomError:
        """The error for a request stopped at the time limit."""
        return LlmboomError(f"the {self.noun} was stopped after {self.time_limit:g} s")

    def died(self) -> LlmboomError:
        """The error for a request whose worker died (killed at its memory cap, mostly)."""
        return WorkerError(
            f"the {self.noun}'s worker died (out of memory?); try a smaller {self.noun}"
        )

    async def ask(self, request: Mapping[str, Any]) -> dict[str, Any]:
        """Send one request to a worker; its reply.

        Raises `ServerBusyError` when the pool is full, `timed_out()` when the request is
        stopped at the time limit, `WorkerError` when its worker died.
        """
        assert self._idle is not None, f"{type(self).__name__}.start() was not awaited"
        limit = self.size + self.queue
        if self._admitted >= limit:
            raise ServerBusyError(
                f"{self._admitted} {self.nouns} are running or waiting (the limit is {limit}); "
                "try again shortly",
                retry_after=max(1, round(self.time_limit)),
            )
        self._admitted += 1
        try:
            worker = await self._worker()
            loop = asyncio.get_running_loop()
            future = loop.run_in_executor(self._threads, self._ask, worker, request)
            try:
                reply = await asyncio.shield(future)
            except asyncio.CancelledError:  # the client left: the worker still comes back
                future.add_done_callback(lambda done: self._settle_quietly(worker, done.result()))
                raise
            return {**self._settle(worker, reply), "version": worker.data_version}
        finally:
            self._admitted -= 1

    async def _worker(self) -> _Worker:
        """An idle worker; `WorkerError` when workers cannot start (None in the queue marks
        a start that failed)."""
        assert self._idle is not None
        while True:
            worker = await self._idle.get()
            if worker is not None:
                return worker
            self._idle.put_nowait(None)  # for the queries waiting after this one
            if not self._workers and not self._replacing:  # none running, none starting
                raise WorkerError(f"the {self.label} workers cannot start: {self._failure}")
            # a worker may still come back from a query or finish starting; never spin
            await asyncio.sleep(0.05)

    def _settle(self, worker: _Worker, reply: dict[str, Any] | None) -> dict[str, Any]:
        """Put the worker back (or replace a dead one) and return the reply or raise."""
        if reply is None or reply.get("status") == "died":
            self.restarts += 1
            self._replace(worker)
        else:
            self._release(worker)
        if reply is None:  # killed at the time limit
            self.timeouts += 1
            raise self.timed_out()
        if reply.get("status") == "died":
            raise self.died()
        return reply

    def _settle_quietly(self, worker: _Worker, reply: dict[str, Any] | None) -> None:
        with contextlib.suppress(LlmboomError):
            self._settle(worker, reply)

    @property
    def admitted(self) -> int:
        """Queries running or waiting for a worker now."""
        return self._admitted

    @property
    def idle(self) -> int:
        """Workers waiting for a query now (and failed starts, which wait there too)."""
        return 0 if self._idle is None else self._idle.qsize()

    @property
    def running(self) -> int:
        """Worker processes alive (busy or idle)."""
        return len(self._workers)

    def refresh(self) -> None:
        """The dataset changed: replace every worker with one that loads it anew (idle
        workers now, busy ones when their query ends); nothing before `start`."""
        if self._idle is None:
            return
        self._generation += 1
        while not self._idle.empty():
            worker = self._idle.get_nowait()
            if worker is not None:
                self._kill(worker)
            self._replace(worker)

    def _release(self, worker: _Worker) -> None:
        assert self._idle is not None
        if worker.generation == self._generation:
            self._idle.put_nowait(worker)
        else:
            self._kill(worker)
            self._replace(worker)

    def _ask(self, worker: _Worker, request: Mapping[str, Any]) -> dict[str, Any] | None:
        """Send a request and wait for the answer, up to the time limit (in a thread)."""
        deadline = time.monotonic() + self.time_limit
        try:
            worker.connection.send(request)
            while time.monotonic() < deadline:
                if not worker.process.is_alive():
                    self._kill(worker)
                    return {"status": "died"}
                if worker.connection.poll(max(0.0, min(deadline - time.monotonic(), 0.5))):
                    return worker.connection.recv()
        except (EOFError, OSError):
            self._kill(worker)
            return {"status": "died"}
        self._kill(worker)
        return None

    def _replace(self, dead: _Worker | None) -> None:
        """Start a fresh worker in the background; it joins the idle queue when ready (None
        joins it if the worker cannot start)."""

        async def replace() -> None:
            loop = asyncio.get_running_loop()
            try:
                worker = await loop.run_in_executor(self._threads, self._spawn)
            except LlmboomError as error:
                self._failure = str(error)
                assert self._idle is not None
                self._idle.put_nowait(None)
                return
            self._release(worker)

        task = asyncio.get_running_loop().create_task(replace())
        self._replacing.add(task)
        task.add_done_callback(self._replacing.discard)

    def _spawn(self) -> _Worker:
        parent, child = self._context.Pipe()
        process = self._context.Process(
            target=self._entry,
            args=(child, self.project, self.settings),
            name=f"llmboom-{self._name}",
            daemon=True,
        )
        process.start()
        child.close()
        worker = _Worker(process, parent, self._generation)
        self._workers.add(worker)
        if not parent.poll(START_TIMEOUT):
            self._kill(worker)
            raise WorkerError(f"a {self.label} worker did not start in time")
        try:
            hello = parent.recv()
        except (EOFError, OSError):
            hello = {"status": "failed", "message": f"a {self.label} worker exited while starting"}
        if hello.get("status") != "ready":
            self._kill(worker)
            raise WorkerError(hello.get("message", f"a {self.label} worker failed to start"))
        worker.data_version = hello.get("version")
        return worker

    def _kill(self, worker: _Worker) -> None:
        self._workers.discard(worker)
        with contextlib.suppress(OSError, ValueError):
            worker.process.kill()
            worker.process.join(timeout=5)
            worker.connection.close()


class QueryPool(WorkerPool):
    """The SPARQL query workers (`query_worker.serve_forever`), sized by the settings."""

    noun, nouns = "query", "queries"
    label = "SPARQL"

    def __init__(self, project: Project, settings: ServerSettings) -> None:
        check_sandbox(settings)
        super().__init__(
            project,
            settings,
            size=settings.query_workers,
            queue=settings.query_queue,
            time_limit=settings.query_timeout,
            entry=_worker_entry,
            preload=[
                "llmboom.web.query_worker",
                "llmboom.store",
                "llmboom.sparql.run",
                "pyoxigraph",
            ],
            name="sparql",
        )

    def prepare(self) -> None:
        prepare(self.project, self.settings)

    def timed_out(self) -> LlmboomError:
        return QueryTimeoutError(
            f"the query was stopped after {self.time_limit:g} s (the time limit); simplify it "
            "or add a LIMIT"
        )

    async def run(
        self,
        query: str,
        accept: str | None,
        *,
        provenance: bool = False,
        dataset: tuple[tuple[str, ...], tuple[str, ...]] | None = None,
        as_of: str | None = None,
    ) -> QueryReply:
        """Run one query (with each row's provenance when asked, on the RDF dataset
        `(default graphs, named graphs)` when given); the worker's answer (see
        `query_worker.answer`).

        Raises `ServerBusyError` when the pool is full, `QueryTimeoutError` when the query is
        stopped at the time limit. `as_of` (YYYY-MM-DD): on the dataset as known to hold
        then (the worker makes the snapshot).
        """
        request: QueryRequest = {
            "query": query,
            "accept": accept,
            "max_rows": self.settings.max_rows,
            "provenance": provenance,
            "dataset": dataset,
            "as_of": as_of,
        }
        reply = await self.ask(request)
        return cast("QueryReply", reply)  # what `query_worker.answer` sent, and the version
