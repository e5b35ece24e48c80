"""One error hierarchy for the library; the CLI and the server each translate it once."""

from __future__ import annotations


class LlmboomError(Exception):
    """Base class of every error a user can cause and fix."""

    exit_code = 2


class InputError(LlmboomError):
    """A file could not be read or parsed; names the file and, where known, the line."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        self.path = path
        self.line = line
        self.message = message
        location = f"{path}:{line}" if line is not None else path
        super().__init__(f"{location}: {message}")


class InputTooLargeError(InputError):
    """An input is over the size limit (refused before it is read)."""


class DiskFullError(LlmboomError):
    """The disk (or the user's quota) is full: nothing was written."""


class LockTimeoutError(LlmboomError):
    """Another process held a lock for longer than the wait allowed."""


class QueryError(LlmboomError):
    """A SPARQL query is malformed or cannot be run."""


class QueryTimeoutError(QueryError):
    """A SPARQL query ran past its time limit and was stopped."""


class QueryParameterError(QueryError):
    """A named query's parameter is unknown, missing or malformed."""


class UnknownQueryError(LlmboomError):
    """No named query has the requested name."""


class OutputError(LlmboomError):
    """An output file cannot be written, or is not something to overwrite."""


class LimitError(LlmboomError):
    """Work stopped because it reached a limit (time, size, depth)."""


class FormatError(LlmboomError):
    """An output or input format is not supported for this operation."""


class ProjectError(LlmboomError):
    """The project folder (ontology, data, shapes, queries) is missing or incomplete."""


class RemoteError(LlmboomError):
    """A remote SPARQL endpoint could not be reached, or refused a request."""
