"""A real `llmboom serve` process on a free loopback port, for the server's tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
#: Seconds a query may run in the test server (short, so runaway queries are quick to test).
QUERY_TIMEOUT = 2.0
WORKERS = 2
QUEUE = 4
MAX_BODY = 100_000


@dataclass(frozen=True)
class Reply:
    status: int
    headers: dict[str, str]  #: lower-case names
    body: bytes

    @property
    def media_type(self) -> str:
        return self.headers.get("content-type", "").split(";")[0].strip()

    @property
    def text(self) -> str:
        return self.body.decode("utf-8")


@dataclass(frozen=True)
class Server:
    url: str  #: base URL without a trailing slash
    process: subprocess.Popen

    def request(
        self,
        path: str,
        *,
        method: str = "GET",
        headers: dict[str, str] | None = None,
        data: bytes | None = None,
        timeout: float = 30,
    ) -> Reply:
        """One HTTP request; error statuses are returned, not raised."""
        request = urllib.request.Request(
            self.url + path, data=data, method=method, headers=headers or {}
        )
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return Reply(response.status, _lower(response.headers), response.read())
        except urllib.error.HTTPError as error:
            return Reply(error.code, _lower(error.headers), error.read())


def _lower(headers) -> dict[str, str]:
    return {name.lower(): value for name, value in headers.items()}


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def running_server(
    *args: str, root: Path = REPO, env: dict[str, str] | None = None
) -> Iterator[Server]:
    """Start `llmboom serve` on the project `root` (a separate process); wait until it
    answers."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "llmboom",
        "--root",
        str(root),
        "serve",
        "--port",
        str(port),
        "--timeout",
        str(QUERY_TIMEOUT),
        "--workers",
        str(WORKERS),
        "--queue",
        str(QUEUE),
        "--max-body",
        str(MAX_BODY),
        *args,
    ]
    process = subprocess.Popen(
        command,
        env={**os.environ, **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    server = Server(f"http://127.0.0.1:{port}", process)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                raise RuntimeError(f"the server exited: {process.stderr.read().decode()}")
            try:
                if server.request("/openapi.json", timeout=2).status == 200:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("the server did not answer within 60 s")
            time.sleep(0.2)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
