"""Rendering a `ValidationReport` for people (text), programs (JSON) and RDF tools (Turtle)."""

from __future__ import annotations

import json
from dataclasses import asdict
from itertools import groupby
from typing import Final

from llmboom.cli.terminal import safe_lines
from llmboom.errors import FormatError
from llmboom.namespaces import PREFIXES
from llmboom.shacl.report import LBS, SEVERITIES, ValidationReport, ValidationResult

REPORT_FORMATS: Final = ("text", "json", "turtle")

_PREFIXES: Final = {**PREFIXES, "lbs": LBS}


def render_report(report: ValidationReport, fmt: str) -> str:
    """The report in `fmt` (one of `REPORT_FORMATS`), ending with a newline."""
    if fmt == "text":
        return render_text(report)
    if fmt == "json":
        return render_json(report)
    if fmt == "turtle":
        return report.to_turtle()
    raise FormatError(f"unknown report format {fmt!r}; choose one of {', '.join(REPORT_FORMATS)}")


def render_text(report: ValidationReport) -> str:
    """Results grouped by focus node (with its label), then a summary line."""
    lines: list[str] = []
    for focus, group in groupby(report.results, key=lambda r: r.focus_node):
        results = list(group)
        label = results[0].focus_label
        lines.append(compact(focus) + (f'  "{label}"' if label else ""))
        for result in results:
            lines.extend(_result_lines(result))
        lines.append("")
    lines.append(summary(report))
    return safe_lines(lines)


def _result_lines(result: ValidationResult) -> list[str]:
    where = "  ".join(
        part for part in (compact_path(result.path), compact_term(result.value)) if part is not None
    )
    head = f"  {result.severity:<9} {where}".rstrip()
    origin = compact(result.source_constraint or result.source_shape)
    component = compact(result.constraint_component)
    return [head, f"            {result.message}", f"            ({component}, {origin})"]


def summary(report: ValidationReport) -> str:
    """One line: counts by severity, how many nodes, and the verdict."""
    counts = ", ".join(_plural(report.count(s), s.lower()) for s in SEVERITIES)
    nodes = len({r.focus_node for r in report.results})
    verdict = "conforms" if report.conforms else "does not conform"
    on = f" on {_plural(nodes, 'node')}" if nodes else ""
    return f"{counts}{on}: the data {verdict}."


def _plural(n: int, word: str) -> str:
    if word == "info":
        return f"{n} info" if n == 1 else f"{n} infos"
    return f"{n} {word}" + ("" if n == 1 else "s")


def render_json(report: ValidationReport) -> str:
    """`{"conforms", "violations", "warnings", "infos", "results": [...]}` with full IRIs."""
    document = {
        "conforms": report.conforms,
        "violations": report.count("Violation"),
        "warnings": report.count("Warning"),
        "infos": report.count("Info"),
        "results": [asdict(result) for result in report.results],
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def compact(iri: str) -> str:
    """`prefix:local` for an IRI in a known namespace (lbs: included), else `<iri>`."""
    if iri.startswith("_:"):
        return iri
    for prefix, namespace in _PREFIXES.items():
        if iri.startswith(namespace) and iri != namespace:
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"


def compact_path(path: str | None) -> str | None:
    """A result path for people: `lbo:holder`, `^lbo:announcedModel`."""
    if path is None:
        return None
    if path.startswith("^<") and path.endswith(">"):
        return "^" + compact(path[2:-1])
    return compact(path)


def compact_term(term: str | None) -> str | None:
    """An N-Triples term for people: IRIs and datatypes compacted, literals kept quoted."""
    if term is None:
        return None
    if term.startswith("<") and term.endswith(">"):
        return compact(term[1:-1])
    if term.endswith(">") and "^^<" in term:
        lexical, datatype = term.rsplit("^^<", 1)
        return f"{lexical}^^{compact(datatype[:-1])}"
    return term
