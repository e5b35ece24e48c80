"""HTTP for the remote store and `push`: one request function over urllib, with HTTP Basic
or Digest authentication (user and password; the server's challenge picks the scheme) or a
bearer token. Failures become `RemoteError` with one line: the URL and what went wrong.

The remote server is not trusted:
- every call has an overall deadline (`timeout` seconds, connection, headers and body
  together): a watchdog shuts the connection down when it passes, so a silent server or one
  that sends a byte a second is cut off on time, not only one that stops for `timeout`;
- every answer's body is bounded (`max_bytes`): a longer one is refused, not read on;
- credentials never leave the origin they were given for: a bearer token is sent to the
  URL's origin only (not along a redirect to another scheme, host or port), and Basic or
  Digest answers only challenges from that origin;
- credentials in the URL (`http://user:password@host/…`) are taken out of it and used as
  Basic/Digest credentials (giving them both there and as options is refused);
- no message shows a secret: URLs are printed without their user information, and the
  password or token is blanked out of anything the server sent back.
"""

from __future__ import annotations

import contextlib
import functools
import http.client
import os
import re
import socket
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from typing import Final

from llmboom.errors import RemoteError

#: Bytes an answer's body may hold, unless the caller says otherwise; the environment
#: variable `LLMBOOM_MAX_RESPONSE_BYTES` overrides it.
DEFAULT_MAX_RESPONSE_BYTES: Final = 256 * 1024 * 1024
_ENV_MAX_RESPONSE_BYTES: Final = "LLMBOOM_MAX_RESPONSE_BYTES"
#: Seconds a remote call may take, from connecting to the body's last byte.
DEFAULT_TIMEOUT: Final = 300.0
_CHUNK: Final = 64 * 1024
_AUTHORITY: Final = re.compile(r"^(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*://)(?P<authority>[^/?#]*)")

Auth = tuple[str, str] | str | None


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes


def max_response_bytes() -> int:
    """The answer size limit: `LLMBOOM_MAX_RESPONSE_BYTES`, or the default."""
    given = os.environ.get(_ENV_MAX_RESPONSE_BYTES, "").strip()
    if not given:
        return DEFAULT_MAX_RESPONSE_BYTES
    try:
        value = int(given)
    except ValueError:
        value = 0
    if value < 1:
        raise RemoteError(f"{_ENV_MAX_RESPONSE_BYTES}={given!r}: give a positive number of bytes")
    return value


def redact_url(url: str) -> str:
    """`url` without the user information of its authority (`http://***@host/…`)."""
    match = _AUTHORITY.match(url)
    if not match or "@" not in match["authority"]:
        return url
    host = match["authority"].rpartition("@")[2]
    return f"{match['scheme']}***@{host}{url[match.end() :]}"


def split_credentials(url: str, auth: Auth) -> tuple[str, Auth]:
    """`url` without user information, and the credentials to use: those given in the URL
    (`http://user:password@host/…`, percent-decoded) or `auth`; both is refused."""
    match = _AUTHORITY.match(url)
    if not match or "@" not in match["authority"]:
        return url, auth
    userinfo, _, host = match["authority"].rpartition("@")
    shown = redact_url(url)
    if auth is not None:
        raise RemoteError(
            f"{shown}: credentials both in the URL and as options; give them in one place"
        )
    user, colon, password = userinfo.partition(":")
    if not colon:
        raise RemoteError(f"{shown}: the URL names a user but no password; add ':password'")
    bare = f"{match['scheme']}{host}{url[match.end() :]}"
    return bare, (urllib.parse.unquote(user), urllib.parse.unquote(password))


def check_url(url: str) -> str:
    """Raise `RemoteError` (one line, no secret) unless `url` is a valid http(s) URL;
    return it as given."""
    shown = redact_url(url)
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number
    except ValueError as error:
        raise RemoteError(f"{shown}: not a valid URL ({error})") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise RemoteError(f"{shown}: not an http(s) URL")
    if any(character.isspace() or ord(character) < 32 for character in url):
        raise RemoteError(f"{shown}: not a valid URL (it holds white space or a control character)")
    return url


def request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    auth: Auth = None,
    timeout: float = DEFAULT_TIMEOUT,
    max_bytes: int | None = None,
) -> Response:
    """Send one request; raise `RemoteError` unless a 2xx answer arrives whole within
    `timeout` seconds and holds at most `max_bytes` bytes (default `max_response_bytes()`)."""
    url, auth = split_credentials(url, auth)
    check_url(url)
    limit = max_bytes if max_bytes is not None else max_response_bytes()
    secrets = _secrets(auth)
    call = _Call(url, time.monotonic() + timeout, timeout)
    prepared = urllib.request.Request(url, data=body, headers=dict(headers or {}), method=method)
    handlers: list[urllib.request.BaseHandler] = [
        _DeadlineHTTPHandler(call),
        _DeadlineHTTPSHandler(call),
        _SameOriginRedirects(url, auth if isinstance(auth, str) else None),
    ]
    if isinstance(auth, tuple):
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, _origin_url(url), auth[0], auth[1])
        digest = urllib.request.HTTPDigestAuthHandler(passwords)
        handlers += [urllib.request.HTTPBasicAuthHandler(passwords), digest]
    elif isinstance(auth, str):
        prepared.add_unredirected_header("Authorization", f"Bearer {auth}")
    opener = urllib.request.build_opener(*handlers)
    shown = redact_url(url)
    watchdog = threading.Timer(timeout, call.expire)
    watchdog.daemon = True
    watchdog.start()
    try:
        if isinstance(auth, tuple) and body:
            _answer_challenge_first(prepared, auth, digest, call, timeout)
        with opener.open(prepared, timeout=timeout) as answer:
            data = _read_bounded(answer, limit, shown, call)
            return Response(answer.status, answer.headers.get("Content-Type", ""), data)
    except RemoteError as error:
        raise RemoteError(_scrub(str(error), secrets)) from None
    except urllib.error.HTTPError as error:
        detail = ""
        if not call.expired:
            try:
                detail = " ".join(error.read(300).decode("utf-8", "replace").split())
            except (OSError, http.client.HTTPException):
                detail = ""
        reason = f"HTTP {error.code} {error.reason}" + (f": {detail}" if detail else "")
        raise RemoteError(_scrub(f"{shown}: {reason}", secrets)) from None
    except (OSError, ValueError, http.client.HTTPException) as error:
        timed_out = isinstance(error, TimeoutError) or isinstance(
            getattr(error, "reason", None), TimeoutError
        )
        if call.expired or timed_out:
            raise RemoteError(_too_slow(shown, call)) from None
        if isinstance(error, urllib.error.URLError):
            reason = f"unreachable ({error.reason})"
        else:
            reason = str(error) or type(error).__name__
        raise RemoteError(_scrub(f"{shown}: {reason}", secrets)) from None
    finally:
        watchdog.cancel()
        call.close()


def _answer_challenge_first(
    prepared: urllib.request.Request,
    auth: tuple[str, str],
    digest: urllib.request.HTTPDigestAuthHandler,
    call: _Call,
    timeout: float,
) -> None:
    """Give `prepared` (a request with a body, sent with a user and password) the answer to
    the server's challenge before its body goes out: a server that challenges (Virtuoso's
    Digest) answers 401 and closes the connection at once, while a large body is still
    being sent, so the challenge is fetched with a HEAD request of the same URL first (its
    redirects not followed: only the URL's own origin is answered). A server that does not
    challenge HEAD gets the request as it is."""
    import base64

    probe = urllib.request.Request(prepared.full_url, method="HEAD")
    opener = urllib.request.build_opener(
        _DeadlineHTTPHandler(call), _DeadlineHTTPSHandler(call), _NoRedirects()
    )
    try:
        opener.open(probe, timeout=timeout).close()
        return
    except urllib.error.HTTPError as error:
        challenge = error.headers.get("WWW-Authenticate", "") if error.code == 401 else ""
        error.close()
    scheme, _, parameters = challenge.strip().partition(" ")
    if scheme.lower() == "basic":
        token = base64.b64encode(f"{auth[0]}:{auth[1]}".encode()).decode("ascii")
        prepared.add_unredirected_header("Authorization", f"Basic {token}")
    elif scheme.lower() == "digest":
        fields = urllib.request.parse_keqv_list(urllib.request.parse_http_list(parameters))
        answer = digest.get_authorization(prepared, fields)
        if answer:
            prepared.add_unredirected_header("Authorization", f"Digest {answer}")


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is not followed: it comes back as the `HTTPError` of its 3xx answer."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def _read_bounded(answer, limit: int, shown: str, call: _Call) -> bytes:
    length = answer.headers.get("Content-Length", "")
    if length.isdigit() and int(length) > limit:
        raise RemoteError(f"{shown}: the answer holds {length} bytes, over the limit of {limit}")
    data = bytearray()
    while True:
        chunk = answer.read(min(_CHUNK, limit + 1 - len(data)))
        if call.expired:
            raise RemoteError(_too_slow(shown, call))
        if not chunk:
            return bytes(data)
        data += chunk
        if len(data) > limit:
            raise RemoteError(
                f"{shown}: the answer is longer than the limit of {limit} bytes "
                f"(set {_ENV_MAX_RESPONSE_BYTES} to raise it); cut off"
            )


def _too_slow(shown: str, call: _Call) -> str:
    return f"{shown}: no complete answer within {call.seconds:g} s (--timeout); cut off"


def _secrets(auth: Auth) -> list[str]:
    if isinstance(auth, tuple):
        found = [auth[1]]
    elif isinstance(auth, str):
        found = [auth]
    else:
        found = []
    return [secret for secret in found if len(secret) >= 3]


def _scrub(message: str, secrets: list[str]) -> str:
    for secret in secrets:
        message = message.replace(secret, "***")
    return message


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urllib.parse.urlsplit(url)
    default = {"http": 80, "https": 443}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), parts.port or default


def _origin_url(url: str) -> str:
    scheme, host, port = _origin(url)
    host = f"[{host}]" if ":" in host else host
    return f"{scheme}://{host}:{port}/"


@dataclass
class _Call:
    """One call's deadline, and the sockets to shut when it passes."""

    url: str
    deadline: float
    seconds: float
    expired: bool = False
    sockets: list[socket.socket] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def remaining(self) -> float:
        left = self.deadline - time.monotonic()
        if left <= 0 or self.expired:
            raise TimeoutError("the deadline passed")
        return left

    def watch(self, sock: socket.socket) -> None:
        with self.lock:
            self.sockets.append(sock)
            if self.expired:
                self._shut(sock)

    def expire(self) -> None:
        with self.lock:
            self.expired = True
            for sock in self.sockets:
                self._shut(sock)

    def close(self) -> None:
        with self.lock:
            self.sockets.clear()

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        with contextlib.suppress(OSError):  # already closed
            sock.shutdown(socket.SHUT_RDWR)


class _WatchedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, *args, call: _Call, **kwargs) -> None:
        kwargs["timeout"] = min(kwargs.get("timeout") or call.seconds, call.remaining())
        super().__init__(*args, **kwargs)
        self._call = call

    def connect(self) -> None:
        super().connect()
        self._call.watch(self.sock)


class _WatchedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, *args, call: _Call, **kwargs) -> None:
        kwargs["timeout"] = min(kwargs.get("timeout") or call.seconds, call.remaining())
        super().__init__(*args, **kwargs)
        self._call = call

    def connect(self) -> None:
        super().connect()
        self._call.watch(self.sock)


class _DeadlineHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, call: _Call) -> None:
        super().__init__()
        self._call = call

    def http_open(self, req):
        return self.do_open(functools.partial(_WatchedHTTPConnection, call=self._call), req)


class _DeadlineHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, call: _Call) -> None:
        super().__init__()
        self._call = call

    def https_open(self, req):
        return self.do_open(
            functools.partial(_WatchedHTTPSConnection, call=self._call),
            req,
            context=self._context,
        )


class _SameOriginRedirects(urllib.request.HTTPRedirectHandler):
    """Follow redirects as urllib does, sending the bearer token again only to the origin
    it was given for (it is an unredirected header, so urllib drops it on every hop)."""

    max_redirections = 5

    def __init__(self, url: str, token: str | None) -> None:
        super().__init__()
        self._origin = _origin(url)
        self._token = token

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            new.headers.pop("Authorization", None)  # never carried by urllib; made sure
            if self._token is not None and _origin(new.full_url) == self._origin:
                new.add_unredirected_header("Authorization", f"Bearer {self._token}")
        return new
