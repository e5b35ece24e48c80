"""Connections the server does not keep for ever: uvicorn's HTTP protocol with a deadline
for each request's headers, beside uvicorn's own keep-alive timeout and connection cap.

uvicorn times out a connection only once it has answered a request on it (keep-alive); a
connection that sends nothing, or its headers a byte at a time, was held open for good
(19,900 such were held at once). `guarded_protocol` closes a connection whose request
headers are not complete within `header_timeout` seconds of its opening or of the previous
answer.
"""

from __future__ import annotations

from typing import Any


def guarded_protocol(header_timeout: float) -> type:
    """uvicorn's httptools protocol (h11 where httptools is missing), with a header deadline."""
    try:
        from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol as Base
    except ImportError:  # pragma: no cover - httptools is a dependency of uvicorn[standard]
        # the same interface: uvicorn's h11 protocol stands in for the httptools one
        from uvicorn.protocols.http.h11_impl import H11Protocol as Base  # type: ignore[assignment]

    class HeaderDeadlineProtocol(Base):
        _header_timer: Any = None

        def connection_made(self, transport) -> None:
            super().connection_made(transport)
            self._arm()

        def on_response_complete(self) -> None:
            super().on_response_complete()
            self._arm()  # the next request's headers are due as well

        def connection_lost(self, exc) -> None:
            self._disarm()
            super().connection_lost(exc)

        def _arm(self) -> None:
            self._disarm()
            self._header_timer = self.loop.call_later(header_timeout, self._deadline)

        def _disarm(self) -> None:
            if self._header_timer is not None:
                self._header_timer.cancel()
                self._header_timer = None

        def _deadline(self) -> None:
            self._header_timer = None
            waiting = self.cycle is None or self.cycle.response_complete
            if waiting and not self.transport.is_closing():
                self.transport.close()

    return HeaderDeadlineProtocol
