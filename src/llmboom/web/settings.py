"""What the operator of a server chooses: address, limits, the submission token, CORS."""

from __future__ import annotations

import os
from dataclasses import dataclass, field

#: The environment variable holding the bearer token that allows applying submissions.
TOKEN_ENV = "LLMBOOM_SUBMIT_TOKEN"


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
    #: Bearer token that allows `POST /submissions?apply=true`; None disables applying.
    submit_token: str | None = None
    #: Origins allowed by CORS; empty means CORS is off (no Access-Control-* headers).
    cors_origins: tuple[str, ...] = field(default=())

    @classmethod
    def from_environment(cls, **overrides) -> ServerSettings:
        """Settings with the submission token read from `$LLMBOOM_SUBMIT_TOKEN`."""
        token = os.environ.get(TOKEN_ENV) or None
        return cls(**{"submit_token": token, **overrides})
