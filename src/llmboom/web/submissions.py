"""`POST /submissions`: the submission check of `llmboom submit`, over HTTP.

The body is one RDF document; its Content-Type names the format. The answer is the report
as JSON (`llmboom submit --format json`'s document) with the status of its outcome: 200
accepted, 422 refused, 400 unreadable (the problem names the line), 413 too large (or too
costly to check: the check runs in a worker process with a time and memory limit,
`submission_pool`; 429 with Retry-After when too many are running), 415 unsupported media
type. `?apply=true` also merges an accepted submission into `data/`; that
needs `Authorization: Bearer <token>` with the operator's token (401 without, 403 wrong or
when no token is set), and the server then reloads the dataset. While another apply holds
the lock on `data/` for more than `APPLY_LOCK_WAIT` seconds the answer is 503 with
Retry-After; a full disk is 507, another write failure 500; `written` and every message name
files relative to the project, never the server's folders.
"""

from __future__ import annotations

import hmac
from typing import TYPE_CHECKING

from llmboom.errors import LlmboomError
from llmboom.web.requests import read_body

if TYPE_CHECKING:
    from starlette.requests import Request
    from starlette.responses import Response

#: Seconds an apply waits for another one to release `data/` before answering 503.
APPLY_LOCK_WAIT = 5.0

#: Outcome (value of `llmboom.submission.Outcome`) → HTTP status.
STATUS_OF_OUTCOME = {
    "accepted": 200,
    "refused": 422,
    "unreadable": 400,
    "too-large": 413,
    "unsupported-format": 415,
}


class UnauthorizedError(LlmboomError):
    """No bearer token was given (401)."""


class ForbiddenError(LlmboomError):
    """The bearer token is wrong, or applying is disabled (403)."""


def check_token(request: Request, expected: str | None) -> None:
    """Allow applying only with the operator's bearer token."""
    header = request.headers.get("authorization", "")
    scheme, _, given = header.partition(" ")
    if scheme.lower() != "bearer" or not given.strip():
        raise UnauthorizedError("applying a submission needs Authorization: Bearer <token>")
    if expected is None:
        raise ForbiddenError("applying submissions is disabled on this server (no token set)")
    if not hmac.compare_digest(given.strip().encode(), expected.encode()):
        raise ForbiddenError("the bearer token is not the one this server accepts")


async def submit(request: Request) -> Response:
    """Check (and with `?apply=true`, apply) the submission in the request body."""
    from starlette.concurrency import run_in_threadpool
    from starlette.responses import Response

    from llmboom.submission import SubmissionInput, apply_submission
    from llmboom.submission.render import render_json

    settings = request.app.state.settings
    site = request.app.state.site
    apply = request.query_params.get("apply", "").lower() in ("1", "true", "yes")
    if apply:
        check_token(request, settings.submit_token)
    body = await read_body(request, settings.max_body_bytes)
    name = request.query_params.get("name") or "request body"
    content_type = request.headers.get("content-type", "")
    if apply:  # the operator's (token checked): in this process, under the data/ lock
        given = SubmissionInput.from_media_type(body, content_type, name)
        submitter = request.query_params.get("submitter") or "an HTTP client of llmboom serve"
        report = await run_in_threadpool(
            apply_submission,
            site.project,
            [given],
            submitter=submitter,
            lock_timeout=APPLY_LOCK_WAIT,
        )
        if report.written:
            await request.app.state.reload()
        status = STATUS_OF_OUTCOME.get(report.outcome.value, 400)
        return Response(render_json(report), status_code=status, media_type="application/json")
    outcome, rendered = await request.app.state.submission_pool.check(body, content_type, name)
    status = STATUS_OF_OUTCOME.get(outcome, 400)
    return Response(rendered, status_code=status, media_type="application/json")
