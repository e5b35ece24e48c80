"""What the operator of a server chooses: address, limits, the submission token, CORS."""

from __future__ import annotations

import os
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from llmboom.dataset import Dataset
    from llmboom.project import Project

#: The environment variable holding the bearer token that allows applying submissions.
TOKEN_ENV = "LLMBOOM_SUBMIT_TOKEN"
#: Above this many bytes of data files, a server without `--store` keeps the dataset in a
#: temporary on-disk store that its processes share, instead of a copy in each one's memory.
MEMORY_STORE_MAX_BYTES = 32 * 1024 * 1024


@dataclass(frozen=True)
class ServerSettings:
    """The server's settings; every limit has a safe default."""

    host: str = "127.0.0.1"
    port: int = 8000
    #: Seconds a SPARQL query may run before its worker is killed.
    query_timeout: float = 10.0
    #: Rows (SELECT) or triples (CONSTRUCT/DESCRIBE) a query may return; more are cut off.
    max_rows: int = 10_000
    #: Bytes a request body may hold (queries, forms, submissions): larger ones get 413.
    max_body_bytes: int = 1_000_000
    #: Worker processes that run SPARQL queries; each holds its own copy of the store.
    query_workers: int = 2
    #: Queries allowed to wait for a worker; beyond workers + this, 429 with Retry-After.
    query_queue: int = 4
    #: Seconds a submission check may run before its worker is killed (413 then).
    submission_timeout: float = 30.0
    #: Worker processes that check submissions; each holds its own copy of the dataset.
    submission_workers: int = 1
    #: Submission checks allowed to wait for a worker; beyond, 429 with Retry-After.
    submission_queue: int = 4
    #: Bearer token that allows `POST /submissions?apply=true`; None disables applying.
    submit_token: str | None = None
    #: Origins allowed by CORS; empty means CORS is off (no Access-Control-* headers).
    cors_origins: tuple[str, ...] = field(default=())
    #: A persistent embedded store (`llmboom --store DIR`); None: in memory.
    store_dir: str | None = None
    #: An external SPARQL endpoint to serve from instead of an embedded store.
    endpoint: str | None = None
    #: Run queries and submission checks even where their workers cannot be denied the
    #: network (no seccomp).
    allow_unsandboxed_queries: bool = False
    #: The Cache-Control of every validated answer (pages, documents, downloads, SPARQL GET).
    cache_control: str = "no-cache"
    #: SPARQL answers the result cache keeps at most (0: no result cache).
    result_cache_entries: int = 2048
    #: Bytes of SPARQL answers the result cache keeps at most.
    result_cache_bytes: int = 64 * 1024 * 1024
    #: The server's public base URL (`https://example.org/llmboom/`), for the absolute links
    #: it writes (the home page's endpoint); None: paths on this server. Never the Host.
    public_url: str | None = None
    #: Seconds a connection may take to send a request's headers (after opening, or after
    #: the previous answer); then it is closed.
    header_timeout: float = 10.0
    #: Seconds an idle keep-alive connection is kept after an answer.
    keep_alive_timeout: float = 5.0
    #: Connections (and requests) at once; beyond, 503.
    max_connections: int = 1000
    #: Seconds between checks for data files changed under the server (0: never).
    watch_seconds: float = 2.0
    #: True when `store_dir` is a temporary store of this server (`sized_for`), removed
    #: when it stops.
    temporary_store: bool = False

    def dataset(self, project: Project) -> Dataset:
        """The project's dataset as these settings name it (`--store`, `--endpoint`)."""
        from llmboom.dataset import Dataset

        return Dataset(project, store_dir=self.store_dir, endpoint=self.endpoint)

    def sized_for(
        self, project: Project, memory_max_bytes: int = MEMORY_STORE_MAX_BYTES
    ) -> ServerSettings:
        """These settings, or, when the project's data files hold more than
        `memory_max_bytes` and no store is named, the same with a new temporary store
        directory (`temporary_store`): a large dataset is then parsed once, into a store
        on disk the server and its query workers share, not into each one's memory."""
        if self.store_dir is not None or self.endpoint is not None:
            return self
        size = sum(path.stat().st_size for path in project.data_files())
        if size <= memory_max_bytes:
            return self
        import tempfile

        where = tempfile.mkdtemp(prefix="llmboom-store-")
        return replace(self, store_dir=where, temporary_store=True)

    def remove_temporary_store(self) -> None:
        """Remove the temporary store of `sized_for`, if there is one."""
        if self.temporary_store and self.store_dir is not None:
            import shutil

            shutil.rmtree(self.store_dir, ignore_errors=True)

    @classmethod
    def from_environment(cls, **overrides) -> ServerSettings:
        """Settings with the submission token read from `$LLMBOOM_SUBMIT_TOKEN`."""
        token = os.environ.get(TOKEN_ENV) or None
        return cls(**{"submit_token": token, **overrides})
