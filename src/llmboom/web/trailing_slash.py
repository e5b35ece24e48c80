"""`/id/bytedance/` → `/id/bytedance`: a relative redirect, never built from the request's
Host header (Starlette's own slash redirect wrote `Location: http://<Host>/…`, so a forged
Host sent clients elsewhere)."""

from __future__ import annotations

from typing import Any


class TrailingSlash:
    """ASGI middleware: answer a path ending in `/` (other than `/`) with 307 to the same
    path without it, as a path on this server (`Location: /id/bytedance?…`)."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        path = scope.get("path", "")
        if scope["type"] != "http" or path == "/" or not path.endswith("/"):
            await self.app(scope, receive, send)
            return
        from urllib.parse import quote

        # one leading slash: `//host/` would be another host to a browser
        location = "/" + quote(path.strip("/"), safe="/:@!$&'()*+,;=-._~")
        if scope.get("query_string"):
            location += "?" + scope["query_string"].decode("latin-1")
        await send(
            {
                "type": "http.response.start",
                "status": 307,
                "headers": [(b"location", location.encode("latin-1")), (b"content-length", b"0")],
            }
        )
        await send({"type": "http.response.body", "body": b""})
