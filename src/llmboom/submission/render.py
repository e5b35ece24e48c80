"""Rendering a `SubmissionReport`: text for people, JSON for programs, Turtle (SHACL report)."""

from __future__ import annotations

import json
from dataclasses import asdict
from typing import Final

from llmboom.errors import FormatError
from llmboom.submission.report import Outcome, SubmissionReport

REPORT_FORMATS: Final = ("text", "json", "turtle")


def render(report: SubmissionReport, fmt: str) -> str:
    """The report in `fmt` (one of `REPORT_FORMATS`), ending with a newline."""
    if fmt == "text":
        return render_text(report)
    if fmt == "json":
        return render_json(report)
    if fmt == "turtle":
        return render_turtle(report)
    raise FormatError(f"unknown report format {fmt!r}; choose one of {', '.join(REPORT_FORMATS)}")


def render_text(report: SubmissionReport) -> str:
    """Policy problems one per line, the SHACL results by node, then one verdict line."""
    from llmboom.shacl.rendering import compact
    from llmboom.shacl.rendering import render_text as validation_text

    lines = []
    for problem in report.problems:
        node = f" {compact(problem.node.strip('<>'))}" if problem.node else ""
        lines.append(f"{problem.location}:{node} {problem.message}")
    if lines:
        lines.append("")
    text = "\n".join(lines) + ("\n" if lines else "")
    if report.validation is not None:
        text += validation_text(report.validation)
    return text + verdict(report) + "\n"


def verdict(report: SubmissionReport) -> str:
    """One line: the outcome, the counts, and what --apply did."""
    counts = f"{report.triples} triples"
    if report.validation is not None or report.known:
        counts += f", {report.new} new, {report.known} already in the dataset"
    if report.outcome is Outcome.ACCEPTED:
        if report.written:
            return f"Accepted and applied ({counts}): {report.written}"
        if report.already_applied or (report.triples and not report.new):
            return f"Accepted; nothing to apply, every triple is already in the dataset ({counts})."
        return f"Accepted ({counts}); run again with --apply to merge it."
    problems = len(report.problems) + (
        report.validation.count("Violation") if report.validation is not None else 0
    )
    detail = f" ({counts})" if report.triples else ""
    return f"Refused: {problems} problem{'s' if problems != 1 else ''}{detail}; nothing written."


def render_json(report: SubmissionReport) -> str:
    """Every field with full IRIs; `validation` is `llmboom validate --format json`'s object."""
    validation = None
    if report.validation is not None:
        from llmboom.shacl.rendering import render_json as validation_json

        validation = json.loads(validation_json(report.validation))
    document = {
        "outcome": report.outcome.value,
        "accepted": report.accepted,
        "sources": list(report.sources),
        "triples": report.triples,
        "new": report.new,
        "known": report.known,
        "digest": report.digest,
        "written": report.written,
        "already_applied": report.already_applied,
        "problems": [asdict(problem) for problem in report.problems],
        "validation": validation,
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def render_turtle(report: SubmissionReport) -> str:
    """A standard SHACL validation report; policy problems appear as results of the shape
    `lbs:SubmissionPolicy` (not a shape in shapes/: the policy is checked in code)."""
    from llmboom.shacl.report import LBS, ValidationResult, report_turtle

    results = list(report.validation.results) if report.validation is not None else []
    policy = LBS + "SubmissionPolicy"
    for problem in report.problems:
        node = problem.node or problem.value or policy
        results.append(
            ValidationResult(
                focus_node=node[1:-1] if node.startswith("<") else node,
                focus_label=None,
                path=problem.path,
                value=None,
                message=f"{problem.location}: {problem.message}",
                severity="Violation",
                constraint_component=policy,
                source_shape=policy,
            )
        )
    return report_turtle(results, {"lbs": LBS})
