"""HTTP validators for every answer of the server: `ETag`, `Last-Modified`, `Cache-Control`,
and `304 Not Modified` for `If-None-Match` and `If-Modified-Since`.

Every answer to a GET is a function of the data version (`llmboom.files.data_version`) and of the
request (path, query string, and the headers content negotiation reads). So the strong
`ETag` of an answer is a digest of those, known before the answer is made: a client that
already holds it gets 304 without any work. The version is the one the answer was made
from (a handler names it with `answered_from`; else the site's version when the request
came in), so an answer made from older data never carries the new version's tag, and an
apply, which changes the version, changes every tag.

Only successful (200) answers to GET and HEAD get validators; `Cache-Control` is the
operator's (`serve --cache-control`, default `no-cache`: a cache keeps answers but asks
each time, which costs a 304). Paths in `UNCACHED` (`/metrics`, `/submissions`) are left
alone.
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from email.utils import formatdate, parsedate_to_datetime
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from starlette.requests import Request

    from llmboom.files.data_version import DataVersion

#: The request headers an answer may depend on (content negotiation).
NEGOTIATED = (b"accept", b"accept-language")
#: Paths whose answers are not validated or cached.
UNCACHED = ("/metrics", "/submissions")
#: Headers of a 200 answer that its 304 repeats (RFC 9110, 15.4.5), per ETag remembered.
_REPEATED = (b"vary", b"content-location", b"link")
_REMEMBERED = 10_000
_VERSION_KEY = "llmboom.files.data_version"

Scope = dict[str, Any]
Message = dict[str, Any]


def answered_from(request: Request, version: DataVersion | None) -> None:
    """Say which data version the answer to `request` is made from (None: not cacheable)."""
    request.scope.setdefault("extensions", {})[_VERSION_KEY] = (version,)


def entity_tag(version: DataVersion, scope: Scope, salt: str = "") -> str:
    """The strong ETag of the answer to `scope` made from `version`."""
    digest = hashlib.sha256()
    for part in (
        version.tag.encode(),
        salt.encode(),
        scope.get("raw_path") or scope["path"].encode(),
        scope.get("query_string", b""),
    ):
        digest.update(part)
        digest.update(b"\0")
    headers = dict(scope["headers"])
    for name in NEGOTIATED:
        digest.update(headers.get(name, b"").strip())
        digest.update(b"\0")
    return '"' + digest.hexdigest()[:32] + '"'


def http_date(seconds: float) -> str:
    return formatdate(seconds, usegmt=True)


def _matches(if_none_match: str, tag: str) -> bool:
    """Whether `If-None-Match` names `tag` (weak comparison, RFC 9110 13.1.2)."""
    if if_none_match.strip() == "*":
        return True
    return any(t.strip().removeprefix("W/") == tag for t in if_none_match.split(","))


def _not_modified_since(if_modified_since: str, modified: float) -> bool:
    try:
        since = parsedate_to_datetime(if_modified_since).timestamp()
    except (TypeError, ValueError, IndexError, OverflowError):
        return False  # an invalid date is ignored
    return modified <= since


class HttpCache:
    """ASGI middleware adding validators to successful GET/HEAD answers and answering 304.

    `version_of()` gives the current data version (None: nothing is validated, e.g. when
    the data lives in an external endpoint that may change at any time); `salt` names the
    server settings that shape answers (such as the row cap); `on_not_modified` counts 304s.
    """

    def __init__(
        self,
        app: Callable,
        version_of: Callable[[Any], DataVersion | None],
        *,
        cache_control: str = "no-cache",
        salt: str = "",
        on_not_modified: Callable[[], None] | None = None,
    ) -> None:
        self.app = app
        self.version_of = version_of
        self.cache_control = cache_control
        self.salt = salt
        self.on_not_modified = on_not_modified or (lambda: None)
        self._repeated: OrderedDict[str, list[tuple[bytes, bytes]]] = OrderedDict()

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or scope["path"].startswith(UNCACHED)
        ):
            await self.app(scope, receive, send)
            return
        current = self.version_of(scope)
        if current is not None and await self._not_modified(scope, current, send):
            return

        async def validated(message: Message) -> None:
            if message["type"] == "http.response.start" and message["status"] == 200:
                chosen = scope.get("extensions", {}).get(_VERSION_KEY, (current,))[0]
                message["headers"] = self._validators(scope, chosen, message["headers"])
            await send(message)

        await self.app(scope, receive, validated)

    async def _not_modified(self, scope: Scope, version: DataVersion, send: Callable) -> bool:
        """Answer 304 when the request's conditions say the client has this answer."""
        headers = dict(scope["headers"])
        if_none_match = headers.get(b"if-none-match")
        if if_none_match is None and b"if-modified-since" not in headers:
            return False
        tag = entity_tag(version, scope, self.salt)
        if if_none_match is not None:
            fresh = _matches(if_none_match.decode("latin-1"), tag)
        elif b"if-modified-since" in headers:
            fresh = _not_modified_since(
                headers[b"if-modified-since"].decode("latin-1"), version.modified
            )
        else:
            return False
        if not fresh:
            return False
        repeated = self._repeated.get(tag, [(b"vary", b"Accept")])
        start = {
            "type": "http.response.start",
            "status": 304,
            "headers": [*self._own(tag, version), *repeated],
        }
        self.on_not_modified()
        await send(start)
        await send({"type": "http.response.body", "body": b""})
        return True

    def _own(self, tag: str, version: DataVersion) -> list[tuple[bytes, bytes]]:
        return [
            (b"etag", tag.encode()),
            (b"last-modified", http_date(version.modified).encode()),
            (b"cache-control", self.cache_control.encode()),
        ]

    def _validators(
        self, scope: Scope, version: DataVersion | None, headers: list[tuple[bytes, bytes]]
    ) -> list[tuple[bytes, bytes]]:
        """The answer's headers with ours in place of any the handler set (a file's own
        ETag and Last-Modified describe the file, not the data version)."""
        mine = {b"etag", b"last-modified", b"cache-control"}
        kept = [(name, value) for name, value in headers if name.lower() not in mine]
        if version is None:
            return [*kept, (b"cache-control", b"no-store")]
        tag = entity_tag(version, scope, self.salt)
        self._remember(tag, [(n, v) for n, v in kept if n.lower() in _REPEATED])
        return [*kept, *self._own(tag, version)]

    def _remember(self, tag: str, repeated: list[tuple[bytes, bytes]]) -> None:
        self._repeated[tag] = repeated
        self._repeated.move_to_end(tag)
        while len(self._repeated) > _REMEMBERED:
            self._repeated.popitem(last=False)
