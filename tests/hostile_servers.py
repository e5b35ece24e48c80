"""Real HTTP servers that misbehave, for the tests and the bench of clients of remote servers
(`push`, `serve --endpoint`): each listens on a free loopback port in a thread of its own
and answers every request the same way:

- `endless`: 200 and a body that never ends (64 KB at a time, as fast as it is read);
- `silent`: reads the request and never answers;
- `trickle`: answers one byte a second, for ever (a header line that never ends);
- `redirect`: `status` (302) to `location` (+ the request's path when it ends with `/`);
- `recorder`: records each request's Authorization header; answers 401 with a Basic
  challenge when there is none and `challenge` is set, else 200 with an empty body;
- `hop`: 302 from `/hop` to `/landed` on itself, then 200 (recording as `recorder`);
- `echo`: 400 whose body repeats the request's headers (a server that reflects secrets);
- `gatekeeper`: as Virtuoso's Graph Store endpoint: without an Authorization header, 401
  with a Basic challenge at once, before reading the body, then the connection is closed;
  with one, reads the body and answers 200.
"""

from __future__ import annotations

import socket
import socketserver
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field


@dataclass
class HostileServer:
    url: str  #: http://127.0.0.1:PORT
    authorizations: list[str | None] = field(default_factory=list)
    paths: list[str] = field(default_factory=list)


def _read_request(stream, read_body: bool = True) -> tuple[str, dict[str, str]]:
    request_line = stream.readline().decode("latin-1")
    headers = {}
    while True:
        line = stream.readline().decode("latin-1")
        if line in ("\r\n", "\n", ""):
            break
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    length = int(headers.get("content-length", "0") or 0) if read_body else 0
    while length > 0:
        chunk = stream.read(min(length, 1 << 16))
        if not chunk:
            break
        length -= len(chunk)
    parts = request_line.split()
    return (parts[1] if len(parts) > 1 else "/"), headers


@contextmanager
def hostile_server(
    behaviour: str, location: str = "", challenge: bool = False, status: int = 302
) -> Iterator[HostileServer]:
    """A server with `behaviour` (see the module) until the block ends."""
    stop = threading.Event()
    state = HostileServer(url="")

    class Handler(socketserver.StreamRequestHandler):
        def handle(self) -> None:
            try:
                self._answer()
            except OSError:
                return  # the client went away: what a cut-off looks like from here

        def _answer(self) -> None:
            path, headers = _read_request(self.rfile, read_body=behaviour != "gatekeeper")
            state.paths.append(path)
            state.authorizations.append(headers.get("authorization"))
            send = self.wfile.write
            if behaviour == "endless":
                send(b"HTTP/1.1 200 OK\r\nContent-Type: application/n-triples\r\n\r\n")
                chunk = b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n"
                chunk *= 65536 // len(chunk)
                while not stop.is_set():
                    send(chunk)
            elif behaviour == "silent":
                stop.wait()
            elif behaviour == "trickle":
                send(b"H")
                for byte in b"TTP/1.1 200 OK\r\nX-Slow: " + b"a" * 1_000_000:
                    if stop.wait(1.0):
                        return
                    send(bytes([byte]))
                    self.wfile.flush()
            elif behaviour == "redirect":
                target = location + path.lstrip("/") if location.endswith("/") else location
                send(
                    f"HTTP/1.1 {status} Moved\r\nLocation: {target}\r\n"
                    "Content-Length: 0\r\nConnection: close\r\n\r\n".encode()
                )
            elif behaviour == "hop" and path == "/hop":
                send(
                    f"HTTP/1.1 302 Found\r\nLocation: {state.url}/landed\r\n"
                    "Content-Length: 0\r\nConnection: close\r\n\r\n".encode()
                )
            elif behaviour in ("recorder", "hop"):
                if challenge and "authorization" not in headers:
                    send(
                        b'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm="x"\r\n'
                        b"Content-Length: 0\r\nConnection: close\r\n\r\n"
                    )
                else:
                    send(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            elif behaviour == "gatekeeper":
                if "authorization" not in headers:
                    send(
                        b'HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm="x"\r\n'
                        b"Content-Length: 0\r\nConnection: close\r\n\r\n"
                    )
                    self.wfile.flush()
                    self.connection.shutdown(socket.SHUT_RDWR)
                    return
                length = int(headers.get("content-length", "0") or 0)
                while length > 0:
                    chunk = self.rfile.read(min(length, 1 << 16))
                    if not chunk:
                        break
                    length -= len(chunk)
                send(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
            elif behaviour == "echo":
                body = "\n".join(f"{k}: {v}" for k, v in headers.items()).encode()
                send(
                    b"HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\n"
                    + f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n".encode()
                    + body
                )
            else:
                raise AssertionError(behaviour)

    class Server(socketserver.ThreadingTCPServer):
        daemon_threads = True
        allow_reuse_address = True

    server = Server(("127.0.0.1", 0), Handler)
    state.url = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.1})
    thread.daemon = True
    thread.start()
    try:
        yield state
    finally:
        stop.set()
        server.shutdown()
        server.server_close()
        thread.join(5)


def wait_for_port(url: str, seconds: float = 5.0) -> None:
    """Until something accepts connections at `url`'s port."""
    host, port = url.removeprefix("http://").split(":")
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            socket.create_connection((host, int(port)), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
