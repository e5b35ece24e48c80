"""HTTP for the remote store and `push`: one request function over urllib, with HTTP Basic
or Digest authentication (user and password; the server's challenge picks the scheme) or a
bearer token. Failures become `RemoteError` with one line: the URL and what went wrong.
"""

from __future__ import annotations

import urllib.error
import urllib.request
from dataclasses import dataclass

from llmboom.errors import RemoteError


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes


def request(
    method: str,
    url: str,
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    auth: tuple[str, str] | str | None = None,
    timeout: float = 300,
) -> Response:
    """Send one request; raise `RemoteError` unless the answer is 2xx."""
    handlers: list[urllib.request.BaseHandler] = []
    headers = dict(headers or {})
    if isinstance(auth, tuple):
        passwords = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        passwords.add_password(None, url, auth[0], auth[1])
        handlers += [
            urllib.request.HTTPBasicAuthHandler(passwords),
            urllib.request.HTTPDigestAuthHandler(passwords),
        ]
    elif isinstance(auth, str):
        headers["Authorization"] = f"Bearer {auth}"
    opener = urllib.request.build_opener(*handlers)
    prepared = urllib.request.Request(url, data=body, headers=headers, method=method)
    try:
        with opener.open(prepared, timeout=timeout) as answer:
            return Response(answer.status, answer.headers.get("Content-Type", ""), answer.read())
    except urllib.error.HTTPError as error:
        detail = " ".join(error.read(300).decode("utf-8", "replace").split())
        reason = f"HTTP {error.code} {error.reason}" + (f": {detail}" if detail else "")
        raise RemoteError(f"{url}: {reason}") from None
    except urllib.error.URLError as error:
        raise RemoteError(f"{url}: unreachable ({error.reason})") from None
    except (OSError, ValueError) as error:
        raise RemoteError(f"{url}: {error}") from None
