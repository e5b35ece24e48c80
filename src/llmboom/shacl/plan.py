"""Reading a SHACL shapes graph into a plan the SPARQL engine (`shacl_engine`) can run.

The plan covers what llmboom's shapes use: targets (class, node, subjects-of, objects-of,
SPARQL), IRI and inverse paths, and the components minCount, maxCount, class, datatype,
nodeKind, pattern, languageIn, min/max Inclusive/Exclusive, or, closed, qualifiedValueShape
with qualifiedMin/MaxCount, and SPARQL-based constraints. Anything else raises
`Unsupported`, and the caller falls back to pyshacl, so an unknown feature never changes a
verdict silently.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from llmboom.namespaces import OWL, RDF, RDF_TYPE, RDFS, SH

if TYPE_CHECKING:
    import pyoxigraph

    Term = pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Literal


class Unsupported(Exception):
    """The shapes use a feature the SPARQL engine does not implement."""


#: Shape predicates that are not constraints, or whose constraint the plan reads elsewhere.
_SHAPE_KEYS = {
    "path", "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target",
    "message", "severity", "property", "ignoredProperties", "flags", "name", "description",
    "order", "group", "deactivated", "qualifiedValueShape", "qualifiedMinCount",
    "qualifiedMaxCount", "closed", "sparql", "defaultValue", "uniqueLang",
}  # fmt: skip
#: Constraints checked on each value node alone (a SPARQL boolean expression).
VALUE_COMPONENTS = {
    "class", "datatype", "nodeKind", "pattern", "languageIn", "minInclusive", "maxInclusive",
    "minExclusive", "maxExclusive", "or",
}  # fmt: skip
_COUNT_COMPONENTS = {"minCount", "maxCount"}


@dataclass
class Path:
    """An IRI path, or the inverse of one."""

    predicate: str
    inverse: bool = False

    def sparql(self) -> str:
        return f"^<{self.predicate}>" if self.inverse else f"<{self.predicate}>"

    def result_text(self) -> str:
        """How `ValidationResult.path` writes it."""
        return f"^<{self.predicate}>" if self.inverse else self.predicate


@dataclass
class SparqlConstraint:
    node: Term
    select: str
    prefixes: dict[str, str]
    messages: list[pyoxigraph.Literal]


@dataclass
class Shape:
    node: Term
    path: Path | None = None
    #: SPARQL graph patterns binding ?this, one per target.
    targets: list[str] = field(default_factory=list)
    target_prefixes: dict[str, str] = field(default_factory=dict)
    severity: str = "Violation"
    messages: list[pyoxigraph.Literal] = field(default_factory=list)
    #: (component name, parameter) for each core constraint, in a stable order.
    constraints: list[tuple[str, object]] = field(default_factory=list)
    properties: list[Shape] = field(default_factory=list)
    closed: bool = False
    ignored: list[str] = field(default_factory=list)
    qualified: tuple[Shape, int | None, int | None] | None = None
    sparql: list[SparqlConstraint] = field(default_factory=list)
    unique_lang: bool = False  #: sh:uniqueLang true


class ShapesGraph:
    """Subject → predicate → objects, over the shapes' quads."""

    def __init__(self, quads: Iterable[pyoxigraph.Quad]):
        self.index: dict = defaultdict(lambda: defaultdict(list))
        for quad in quads:
            self.index[quad.subject][quad.predicate.value].append(quad.object)

    def objects(self, node, predicate: str) -> list:
        return self.index.get(node, {}).get(predicate, [])

    def one(self, node, predicate: str):
        values = self.objects(node, predicate)
        if len(values) > 1:
            raise Unsupported(f"{node}: more than one {predicate}")
        return values[0] if values else None

    def items(self, head) -> list:
        """The members of an RDF list."""
        members = []
        while head is not None and getattr(head, "value", None) != RDF + "nil":
            members.append(self.one(head, RDF + "first"))
            head = self.one(head, RDF + "rest")
        return members

    def subjects_with_type(self, classes: set[str]) -> list:
        return [
            node
            for node, properties in self.index.items()
            if any(t.value in classes for t in properties.get(RDF_TYPE, []))
        ]


def read_plan(quads: Iterable[pyoxigraph.Quad]) -> list[Shape]:
    """The shapes that have targets (with their property shapes), ready to evaluate."""
    graph = ShapesGraph(quads)
    shapes_nodes = set(graph.subjects_with_type({SH + "NodeShape", SH + "PropertyShape"}))
    for node, properties in graph.index.items():
        if any(p.startswith(SH + "target") for p in properties):
            shapes_nodes.add(node)
        types = {t.value for t in properties.get(RDF_TYPE, [])}
        if types & {RDFS + "Class", OWL + "Class"} and node in shapes_nodes:
            raise Unsupported(f"{node}: implicit class target")
    plan = []
    for node in sorted(shapes_nodes, key=str):
        shape = _read_shape(graph, node)
        if shape.targets:
            plan.append(shape)
    return plan


def _read_shape(graph: ShapesGraph, node, nested: bool = False) -> Shape:
    shape = Shape(node=node)
    properties = graph.index.get(node, {})
    deactivated = graph.one(node, SH + "deactivated")
    if deactivated is not None:
        raise Unsupported(f"{node}: sh:deactivated")
    for predicate in properties:
        if predicate.startswith(SH):
            name = predicate[len(SH) :]
            if name not in _SHAPE_KEYS | VALUE_COMPONENTS | _COUNT_COMPONENTS:
                raise Unsupported(f"{node}: sh:{name}")
    path = graph.one(node, SH + "path")
    if path is not None:
        shape.path = _read_path(graph, path)
    _read_targets(graph, node, shape)
    severity = graph.one(node, SH + "severity")
    if severity is not None:
        shape.severity = severity.value[len(SH) :]
    shape.messages = list(graph.objects(node, SH + "message"))
    for name in sorted(VALUE_COMPONENTS | _COUNT_COMPONENTS):
        for value in graph.objects(node, SH + name):
            if name == "or":
                members = [_read_member(graph, m) for m in graph.items(value)]
                shape.constraints.append((name, members))
            elif name == "languageIn":
                shape.constraints.append((name, [t.value for t in graph.items(value)]))
            elif name == "pattern":
                flags = graph.one(node, SH + "flags")
                shape.constraints.append((name, (value.value, flags.value if flags else "")))
            elif name in _COUNT_COMPONENTS:
                shape.constraints.append((name, int(value.value)))
            else:
                shape.constraints.append((name, value))
    closed = graph.one(node, SH + "closed")
    shape.closed = closed is not None and closed.value == "true"
    unique_lang = graph.one(node, SH + "uniqueLang")
    if unique_lang is not None and path is None:
        raise Unsupported(f"{node}: sh:uniqueLang on a node shape")
    shape.unique_lang = unique_lang is not None and unique_lang.value == "true"
    ignored = graph.one(node, SH + "ignoredProperties")
    shape.ignored = [t.value for t in graph.items(ignored)] if ignored is not None else []
    for member in graph.objects(node, SH + "property"):
        if nested or path is not None:
            raise Unsupported(f"{node}: nested sh:property")
        shape.properties.append(_read_shape(graph, member, nested=True))
    qualified = graph.one(node, SH + "qualifiedValueShape")
    if qualified is not None:
        low = graph.one(node, SH + "qualifiedMinCount")
        high = graph.one(node, SH + "qualifiedMaxCount")
        inner = _read_member(graph, qualified)
        if inner.path is not None:
            raise Unsupported(f"{node}: qualified value shape with a path")
        if graph.objects(node, SH + "qualifiedValueShapesDisjoint"):
            raise Unsupported(f"{node}: sh:qualifiedValueShapesDisjoint")
        shape.qualified = (
            inner,
            int(low.value) if low is not None else None,
            int(high.value) if high is not None else None,
        )
    for constraint in graph.objects(node, SH + "sparql"):
        select = graph.one(constraint, SH + "select")
        if select is None or graph.objects(constraint, SH + "deactivated"):
            raise Unsupported(f"{constraint}: only sh:select constraints")
        shape.sparql.append(
            SparqlConstraint(
                node=constraint,
                select=select.value,
                prefixes=_prefixes(graph, constraint),
                messages=list(graph.objects(constraint, SH + "message")),
            )
        )
    if nested and shape.targets:
        raise Unsupported(f"{node}: targets on a nested shape")
    return shape


def _read_member(graph: ShapesGraph, node) -> Shape:
    """A shape inside sh:or or sh:qualifiedValueShape: value constraints only, or a path
    with sh:minCount 1 ("has at least one value")."""
    member = _read_shape(graph, node, nested=True)
    if member.properties or member.qualified or member.sparql or member.closed:
        raise Unsupported(f"{node}: a member shape beyond value constraints")
    if member.path is not None and member.constraints != [("minCount", 1)]:
        raise Unsupported(f"{node}: a member shape with a path other than sh:minCount 1")
    return member


def _read_path(graph: ShapesGraph, path) -> Path:
    import pyoxigraph

    if isinstance(path, pyoxigraph.NamedNode):
        return Path(path.value)
    inverse = graph.one(path, SH + "inversePath")
    if isinstance(inverse, pyoxigraph.NamedNode) and len(graph.index.get(path, {})) == 1:
        return Path(inverse.value, inverse=True)
    raise Unsupported(f"complex path {path}")


def _read_targets(graph: ShapesGraph, node, shape: Shape) -> None:
    for cls in graph.objects(node, SH + "targetClass"):
        shape.targets.append(f"?this <{RDF}type>/<{RDFS}subClassOf>* <{cls.value}> .")
    for target in graph.objects(node, SH + "targetNode"):
        shape.targets.append(f"VALUES ?this {{ {_sparql_term(target)} }}")
    for predicate in graph.objects(node, SH + "targetSubjectsOf"):
        shape.targets.append(f"?this <{predicate.value}> ?target_o .")
    for predicate in graph.objects(node, SH + "targetObjectsOf"):
        shape.targets.append(f"?target_s <{predicate.value}> ?this .")
    for target in graph.objects(node, SH + "target"):
        select = graph.one(target, SH + "select")
        if select is None:
            raise Unsupported(f"{node}: a sh:target that is not a sh:SPARQLTarget")
        shape.targets.append("{ " + _substitute_this(select.value) + " }")
        for prefix, namespace in _prefixes(graph, target).items():
            if shape.target_prefixes.get(prefix, namespace) != namespace:
                raise Unsupported(f"{node}: prefix {prefix} declared twice")
            shape.target_prefixes[prefix] = namespace


def _prefixes(graph: ShapesGraph, node) -> dict[str, str]:
    found: dict[str, str] = {}
    for ontology in graph.objects(node, SH + "prefixes"):
        for declaration in graph.objects(ontology, SH + "declare"):
            prefix = graph.one(declaration, SH + "prefix")
            namespace = graph.one(declaration, SH + "namespace")
            found[prefix.value] = namespace.value
    return found


def _substitute_this(text: str) -> str:
    import re

    if re.search(r"\$(currentShape|shapesGraph)\b", text):
        raise Unsupported("$currentShape / $shapesGraph in a SPARQL query")
    return re.sub(r"\$this\b", "?this", text)


def _sparql_term(term) -> str:
    """A pyoxigraph term written as SPARQL (its N-Triples form is valid SPARQL)."""
    return str(term)
