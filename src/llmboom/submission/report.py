"""What a submission check found: the outcome, every problem, and the SHACL results."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:
    from llmboom.shacl.report import ValidationReport


class Outcome(StrEnum):
    """The verdict on a submission; the CLI maps it to an exit status, the server to HTTP."""

    ACCEPTED = "accepted"  #: parses, passes the policy, and the merged data conforms
    REFUSED = "refused"  #: readable, but breaks the policy or a shape (every reason listed)
    UNREADABLE = "unreadable"  #: a syntax error, or hostile input (file:line given)
    TOO_LARGE = "too-large"  #: over the size limit, refused before reading
    UNSUPPORTED_FORMAT = "unsupported-format"  #: not one of the RDF formats of formats.py

    @property
    def exit_code(self) -> int:
        """0 accepted, 1 refused, 2 could not be read."""
        return {Outcome.ACCEPTED: 0, Outcome.REFUSED: 1}.get(self, 2)


ProblemKind = Literal["syntax", "size", "format", "policy"]


@dataclass(frozen=True)
class Problem:
    """One reason found before SHACL: a syntax error, the size limit, the format, the policy.

    `source` is the file (or request) name; `node` and `value` are N-Triples terms or IRIs.
    """

    kind: ProblemKind
    message: str
    source: str
    line: int | None = None
    node: str | None = None
    path: str | None = None
    value: str | None = None

    @property
    def location(self) -> str:
        """`FILE:LINE`, or `FILE` when the line is unknown."""
        return f"{self.source}:{self.line}" if self.line is not None else self.source


@dataclass(frozen=True)
class SubmissionReport:
    """The result of `check_submission`.

    `triples` counts the submission's distinct triples, `known` those already in the dataset
    (reported, not errors); `digest` is the SHA-256 of its canonical N-Triples. `validation`
    holds the SHACL results on the merged data (None when checking stopped earlier).
    """

    outcome: Outcome
    sources: tuple[str, ...]
    problems: tuple[Problem, ...] = ()
    validation: ValidationReport | None = field(default=None, repr=False)
    triples: int = 0
    known: int = 0
    digest: str | None = None
    #: Set by `apply_submission`: the folder the submission was written to, relative to the
    #: project (`data/submissions/…`), or None if nothing was.
    written: str | None = None
    #: Set by `apply_submission`: True when every triple was already in the dataset.
    already_applied: bool = False

    @property
    def new(self) -> int:
        """How many triples the dataset does not have yet."""
        return self.triples - self.known

    @property
    def accepted(self) -> bool:
        return self.outcome is Outcome.ACCEPTED

    @property
    def exit_code(self) -> int:
        return self.outcome.exit_code
