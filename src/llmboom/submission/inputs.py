"""Reading a submission: files or request bodies, into quads, with nothing fetched.

Every input goes through `loading.parse_bytes` after the size limit (checked before reading
a file). Two submission-specific guards run before the parser: a JSON-LD `@context` may only
be inline or the project's own published context (read locally by `loading`, never fetched), and
JSON-LD and RDF/XML nested deeper than `MAX_NESTING` levels are refused (pyoxigraph's cost
grows with the square of the depth there). JSON-LD whose contexts would cost a processor too
much (scoped contexts applied at thousands of nodes) is refused as too large
(`jsonld_bounds`).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final

from llmboom.errors import FormatError, InputError, InputTooLargeError
from llmboom.rdf.formats import RdfFormat, by_media_type, by_path
from llmboom.rdf.input_guard import check_nesting, check_size, guard_bytes, read_input
from llmboom.rdf.loading import parse_bytes
from llmboom.submission.report import Problem

if TYPE_CHECKING:
    import pyoxigraph

    from llmboom.project import Project

#: Deepest nesting of JSON objects/arrays or XML elements accepted in a submission.
MAX_NESTING: Final = 64


@dataclass(frozen=True)
class SubmissionInput:
    """One file or request body of a submission.

    Build it with `from_path` (format from the suffix unless given), `from_bytes` (data held
    in memory with its format) or `from_media_type` (an HTTP body and its Content-Type).
    """

    name: str
    data: bytes | None = None
    path: Path | None = None
    fmt: RdfFormat | None = None
    format_problem: str | None = None

    @classmethod
    def from_path(cls, path: str | Path, fmt: RdfFormat | None = None) -> SubmissionInput:
        path = Path(path)
        if fmt is not None:
            return cls(str(path), path=path, fmt=fmt)
        try:
            return cls(str(path), path=path, fmt=by_path(path))
        except FormatError as error:
            return cls(str(path), path=path, format_problem=str(error).split(": ", 1)[-1])

    @classmethod
    def from_bytes(cls, data: bytes, fmt: RdfFormat, name: str) -> SubmissionInput:
        return cls(name, data=data, fmt=fmt)

    @classmethod
    def from_media_type(
        cls, data: bytes, media_type: str, name: str = "request body"
    ) -> SubmissionInput:
        try:
            return cls(name, data=data, fmt=by_media_type(media_type))
        except FormatError as error:
            return cls(name, data=data, format_problem=str(error))


@dataclass
class ReadResult:
    """The quads of all inputs, or the problems that stopped reading."""

    quads: list[pyoxigraph.Quad]
    problems: list[Problem]
    file_names: list[str]


def as_inputs(items: Iterable[SubmissionInput | str | Path]) -> list[SubmissionInput]:
    """Paths become `SubmissionInput.from_path`; inputs stay as they are."""
    return [
        item if isinstance(item, SubmissionInput) else SubmissionInput.from_path(item)
        for item in items
    ]


def read_inputs(project: Project, inputs: list[SubmissionInput], limit: int) -> ReadResult:
    """Parse every input (all of them, so that every unreadable one is reported)."""
    result = ReadResult([], [], [item.name for item in inputs])
    for item in inputs:
        try:
            result.quads.extend(_read_one(project, item, limit))
        except _Refused as refused:
            result.problems.append(refused.problem)
        except InputTooLargeError as error:
            result.problems.append(Problem("size", error.message, item.name, error.line))
        except InputError as error:
            result.problems.append(Problem("syntax", error.message, item.name, error.line))
    return result


class _Refused(Exception):
    def __init__(self, problem: Problem) -> None:
        self.problem = problem


def _read_one(project: Project, item: SubmissionInput, limit: int) -> list[pyoxigraph.Quad]:
    if item.fmt is None:
        raise _Refused(Problem("format", item.format_problem or "unknown format", item.name))
    if item.data is not None:
        check_size(len(item.data), limit, item.name)
        data = item.data
    else:
        assert item.path is not None
        data = read_input(item.path, limit)
    context = None
    if item.fmt.name == "jsonld" and _check_json(data, item.name):
        context = _project_context(project)
    elif item.fmt.name == "xml":
        guarded = guard_bytes(data, item.fmt, item.name, nesting=False)
        check_nesting(guarded, item.fmt, item.name, limit=MAX_NESTING)  # a submission's limit
    return parse_bytes(data, item.fmt, item.name, jsonld_context=context)


# JSON-LD ----------------------------------------------------------------------------------


def _check_json(data: bytes, name: str) -> bool:
    """Refuse JSON nested too deeply, and any `@context` that names a document other than
    the project's own; True when the project's context is named (then read locally)."""
    from llmboom.namespaces import CONTEXT_ALIASES

    try:
        document = json.loads(data.removeprefix(b"\xef\xbb\xbf"))
    except RecursionError:
        raise InputError(name, f"JSON nested deeper than {MAX_NESTING} levels") from None
    except ValueError as error:
        line = getattr(error, "lineno", None)
        message = getattr(error, "msg", str(error))
        raise InputError(name, f"not JSON: {message}", line) from None
    from llmboom.rdf.jsonld_bounds import check_context_cost

    names: list[str] = []
    for holder, depth in _json_objects(document):
        if depth > MAX_NESTING:
            raise InputError(name, f"JSON nested deeper than {MAX_NESTING} levels")
        if isinstance(holder, dict) and "@context" in holder:
            contexts = holder["@context"]
            items = contexts if isinstance(contexts, list) else [contexts]
            names.extend(item for item in items if isinstance(item, str))
    check_context_cost(document, name)
    remote = [context for context in names if context not in CONTEXT_ALIASES]
    if remote:
        shown = ", ".join(sorted({_printable(context) for context in remote}))
        raise _Refused(
            Problem(
                "policy",
                f"remote JSON-LD @context refused (not fetched): {shown}; inline the context, "
                "or use the project's own (https://w3id.org/llmboom/context.jsonld)",
                name,
                value=remote[0],
            )
        )
    return bool(names)


def _printable(text: str) -> str:
    """`text` with control and other unprintable characters written as `\\uXXXX`."""
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def _json_objects(document: Any) -> Iterable[tuple[Any, int]]:
    """Every object and array of a JSON document with its depth, without recursion."""
    stack = [(document, 1)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict):
            yield value, depth
            stack.extend((child, depth + 1) for child in value.values())
        elif isinstance(value, list):
            yield value, depth
            stack.extend((child, depth + 1) for child in value)


def _project_context(project: Project) -> dict[str, Any]:
    from llmboom.rdf.jsonld import build_context

    return build_context(project)
