"""Reading request bodies within the size limit, and the errors HTTP requests can cause."""

from __future__ import annotations

from typing import TYPE_CHECKING

from llmboom.errors import LlmboomError

if TYPE_CHECKING:
    from starlette.requests import Request


class BodyTooLargeError(LlmboomError):
    """The request body is larger than the server accepts (413)."""


class UnsupportedMediaTypeError(LlmboomError):
    """The request body's media type is not one this resource reads (415)."""


class BadRequestError(LlmboomError):
    """The request is malformed: a missing or repeated parameter (400)."""


class NotAcceptableError(LlmboomError):
    """No representation fits the request's Accept header (406)."""


class NotFoundError(LlmboomError):
    """Nothing lives at this address (404)."""


class MethodNotAllowedError(LlmboomError):
    """This address does not answer the request's method (405, with `Allow`)."""

    def __init__(self, message: str, allow: str) -> None:
        super().__init__(message)
        self.allow = allow


def only(*methods: str):
    """An endpoint that answers every other method than `methods` with 405 and `Allow`."""

    async def not_allowed(request: Request):
        raise MethodNotAllowedError(
            f"{request.url.path} does not answer {request.method}; use {' or '.join(methods)}",
            allow=", ".join(methods),
        )

    return not_allowed


async def read_body(request: Request, limit: int) -> bytes:
    """The request body; `BodyTooLargeError` as soon as it passes `limit` bytes (the
    declared Content-Length is checked before anything is read)."""
    declared = request.headers.get("content-length")
    if declared is not None and declared.isdigit() and int(declared) > limit:
        raise BodyTooLargeError(f"the request body is {declared} bytes; the limit is {limit}")
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise BodyTooLargeError(f"the request body is over the limit of {limit} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def media_type(request: Request) -> str:
    """The request's Content-Type without parameters, lower case ("" when absent)."""
    return request.headers.get("content-type", "").split(";")[0].strip().lower()
