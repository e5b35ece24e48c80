"""Submission checks (`POST /submissions`, open to anyone) in worker processes that can be
killed, like queries (`query_pool.WorkerPool`).

A check parses untrusted RDF and validates it: a hostile document can cost minutes of CPU
and gigabytes. Each worker loads the dataset once (`llmboom.dataset.Dataset`), caps its
address space (`SUBMISSION_MEMORY_LIMIT` more than it holds then), denies itself the network
(`llmboom.sparql.sandbox`) and answers one check at a time. A check that outlives
`submission_timeout` is stopped (its worker killed and replaced); beyond
`submission_workers + submission_queue` checks at once, the next gets 429 with Retry-After.
The workers start with the first check (a server that is never sent one starts none).
A check stopped at the time or memory limit is refused as too costly (413).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Final

from llmboom.errors import LlmboomError
from llmboom.web.query_pool import WorkerPool

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from llmboom.project import Project
    from llmboom.web.settings import ServerSettings

#: Extra address space a submission worker may use for one check, in bytes.
SUBMISSION_MEMORY_LIMIT: Final = 1024**3


class SubmissionTooCostlyError(LlmboomError):
    """A submission's check needed more time or memory than the server allows (413)."""


class SubmissionPool(WorkerPool):
    """The workers that check submissions, sized by the settings."""

    noun, nouns = "submission check", "submission checks"
    label = "submission"

    def __init__(self, project: Project, settings: ServerSettings) -> None:
        super().__init__(
            project,
            settings,
            size=settings.submission_workers,
            queue=settings.submission_queue,
            time_limit=settings.submission_timeout,
            entry=_worker_entry,
            preload=["llmboom.web.submission_pool", "llmboom.submission", "pyoxigraph"],
            name="submissions",
        )

    def timed_out(self) -> LlmboomError:
        return SubmissionTooCostlyError(
            f"checking the submission took longer than {self.time_limit:g} s and was stopped; "
            "send it in smaller parts"
        )

    def died(self) -> LlmboomError:
        return SubmissionTooCostlyError(
            "checking the submission ended its worker (past the memory limit) and was stopped; "
            "send it in smaller parts"
        )

    async def check(self, body: bytes, content_type: str, name: str) -> tuple[str, str]:
        """Check one submission body; its outcome (`submission.Outcome` value) and the report
        as JSON. `SubmissionTooCostlyError` past the time or memory limit, `ServerBusyError`
        when too many checks are running or waiting."""
        if self._idle is None:  # the first check starts the workers (not `serve --get`)
            await self.start()
        reply = await self.ask({"body": body, "content_type": content_type, "name": name})
        if reply["status"] == "memory":
            raise SubmissionTooCostlyError(
                "checking the submission needed more memory than allowed and was stopped; "
                "send it in smaller parts"
            )
        if reply["status"] == "error":
            raise LlmboomError(reply["message"])
        return reply["outcome"], reply["report"]


def _worker_entry(connection: Connection, project: Project, settings: ServerSettings) -> None:
    import signal

    # Ctrl-C reaches the whole process group: the server stops its workers itself.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    serve_forever(connection, project, settings)


def serve_forever(connection: Connection, project: Project, settings: ServerSettings) -> None:
    """A worker's life: load the dataset, cap memory, deny the network, say "ready", then
    answer check requests until the pipe closes."""
    from llmboom.dataset import Dataset
    from llmboom.sparql.sandbox import SandboxUnavailableError, deny_network
    from llmboom.sparql.worker import limit_memory

    try:
        dataset = Dataset(project)  # the project's own files, whatever store the server uses
        dataset.store()  # read now, before the memory cap and the first request
        limit_memory(SUBMISSION_MEMORY_LIMIT)
        try:
            deny_network()
        except SandboxUnavailableError:
            if not settings.allow_unsandboxed_queries:
                raise
    except LlmboomError as error:
        connection.send({"status": "failed", "message": str(error)})
        return
    connection.send({"status": "ready"})
    while True:
        try:
            request = connection.recv()
        except (EOFError, OSError):
            return
        connection.send(answer(project, dataset, request))


def answer(project: Project, dataset: Any, request: dict[str, Any]) -> dict[str, Any]:
    """Check one request `{"body", "content_type", "name"}`; the reply to send back."""
    from llmboom.submission import SubmissionInput, check_submission
    from llmboom.submission.render import render_json

    given = SubmissionInput.from_media_type(
        request["body"], request["content_type"], request["name"]
    )
    try:
        report = check_submission(project, [given], dataset=dataset)
        return {"status": "ok", "outcome": report.outcome.value, "report": render_json(report)}
    except MemoryError:
        return {"status": "memory"}
    except LlmboomError as error:
        return {"status": "error", "message": str(error)}
