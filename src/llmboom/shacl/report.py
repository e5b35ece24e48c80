"""The standard SHACL validation report graph (SHACL §3.6), written from typed results.

`sh:conforms` is true only when there are no results at all (SHACL §3.6.1), whatever their
severity; llmboom's own verdict (`ValidationReport.conforms`, the exit code) counts only
Violations, and says so in the text and JSON renderings. Uses pyoxigraph only.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Final, Literal

from llmboom.namespaces import PREFIXES, RDF_TYPE, SH, XSD

if TYPE_CHECKING:
    import pyoxigraph

SHAPES_IRI: Final = "https://w3id.org/llmboom/shapes"
#: Namespace of the shapes and SPARQL constraints (`lbs:`).
LBS: Final = SHAPES_IRI + "#"

Severity = Literal["Violation", "Warning", "Info"]
SEVERITIES: Final[tuple[Severity, ...]] = ("Violation", "Warning", "Info")


@dataclass(frozen=True)
class ValidationResult:
    """One SHACL validation result.

    IRIs are full IRIs; `value` is an N-Triples term (`<iri>`, `"text"@en`, `"1"^^<…>`) so
    that IRIs and literals stay apart; `path` is an IRI, or SPARQL path syntax (`^<iri>`)
    for a complex path.
    """

    focus_node: str
    focus_label: str | None
    path: str | None
    value: str | None
    message: str
    severity: Severity
    constraint_component: str
    source_shape: str
    source_constraint: str | None = None


@dataclass(frozen=True)
class ValidationReport:
    """The outcome of a validation: conforms iff no result has severity Violation."""

    conforms: bool
    results: tuple[ValidationResult, ...]

    def count(self, severity: Severity) -> int:
        """How many results have this severity."""
        return sum(1 for result in self.results if result.severity == severity)

    def to_turtle(self) -> str:
        """The standard SHACL validation report (`sh:ValidationReport`) as Turtle.

        Its `sh:conforms` is true only when there are no results at all (SHACL §3.6.1),
        while `conforms` here (and the exit code) ignores Warnings and Infos.
        """
        return report_turtle(self.results, {"lbs": LBS})


def report_turtle(results: Iterable[ValidationResult], extra_prefixes: dict[str, str]) -> str:
    """The `sh:ValidationReport` holding `results`, as Turtle."""
    import pyoxigraph

    results = list(results)
    sh = SH
    triples: list[pyoxigraph.Triple] = []
    report = pyoxigraph.BlankNode("report")

    def add(subject, predicate: str, obj) -> None:
        triples.append(pyoxigraph.Triple(subject, pyoxigraph.NamedNode(predicate), obj))

    add(report, RDF_TYPE, pyoxigraph.NamedNode(sh + "ValidationReport"))
    add(report, sh + "conforms", _boolean(not results))
    for index, result in enumerate(results):
        node = pyoxigraph.BlankNode(f"r{index}")
        add(report, sh + "result", node)
        add(node, RDF_TYPE, pyoxigraph.NamedNode(sh + "ValidationResult"))
        add(node, sh + "focusNode", _node(result.focus_node))
        if result.path is not None:
            if result.path.startswith("^<") and result.path.endswith(">"):
                inverse = pyoxigraph.BlankNode(f"p{index}")
                add(node, sh + "resultPath", inverse)
                add(inverse, sh + "inversePath", pyoxigraph.NamedNode(result.path[2:-1]))
            else:
                add(node, sh + "resultPath", _node(result.path))
        if result.value is not None:
            add(node, sh + "value", parse_term(result.value))
        add(node, sh + "resultMessage", pyoxigraph.Literal(result.message, language="en"))
        add(node, sh + "resultSeverity", pyoxigraph.NamedNode(sh + result.severity))
        add(node, sh + "sourceConstraintComponent", _node(result.constraint_component))
        add(node, sh + "sourceShape", _node(result.source_shape))
        if result.source_constraint:
            add(node, sh + "sourceConstraint", _node(result.source_constraint))
    prefixes = {**PREFIXES, **extra_prefixes}
    turtle = pyoxigraph.RdfFormat.TURTLE
    written = pyoxigraph.serialize(triples, format=turtle, prefixes=prefixes)
    assert written is not None  # given no output file, serialize returns the bytes
    return written.decode()


def _boolean(value: bool) -> pyoxigraph.Literal:
    import pyoxigraph

    return pyoxigraph.Literal(
        "true" if value else "false", datatype=pyoxigraph.NamedNode(XSD + "boolean")
    )


def _node(text: str) -> pyoxigraph.NamedNode | pyoxigraph.BlankNode:
    import pyoxigraph

    if text.startswith("_:"):
        return pyoxigraph.BlankNode(text[2:])
    return pyoxigraph.NamedNode(text)


def parse_term(text: str):
    """An N-Triples term (`<iri>`, `_:b`, `"lexical"@en`, `"1"^^<…>`) as a pyoxigraph term."""
    import pyoxigraph

    if text.startswith("_:"):
        return pyoxigraph.BlankNode(text[2:])
    line = f"<urn:x:s> <urn:x:p> {text} .\n"
    (quad,) = pyoxigraph.parse(line.encode(), pyoxigraph.RdfFormat.N_TRIPLES)
    return quad.object
