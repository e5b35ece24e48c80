"""The shapes, driven by tests/shapes/{valid,invalid}.

Each invalid fixture, validated together with the dataset, triggers exactly the results its
`# expect:` lines declare (focus node, path, constraint component) and nothing else; together
the invalid fixtures trigger every constraint in shapes/.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from llmboom.namespaces import LBO, PREFIXES, RDF, SH
from llmboom.project import Project
from llmboom.shacl.report import LBS, ValidationReport
from llmboom.shacl.validation import validate_project

FIXTURES = Path(__file__).parent / "shapes"
INVALID = sorted((FIXTURES / "invalid").glob("*.ttl"))
VALID = sorted(p for p in (FIXTURES / "valid").iterdir() if p.suffix in {".ttl", ".trig"})

#: Floors on the collected fixtures, so that a stray filter cannot shrink the suite unnoticed.
MIN_INVALID = 100
MIN_VALID = 3

_EXPECT = re.compile(r"^# expect: focus=(\S+) path=(\S+) component=(\S+)\s*$")

#: Parameters of the constraint components the shapes may use (SHACL §4, §5, §6).
_COMPONENTS = {
    "minCount": "MinCount",
    "maxCount": "MaxCount",
    "class": "Class",
    "datatype": "Datatype",
    "nodeKind": "NodeKind",
    "pattern": "Pattern",
    "languageIn": "LanguageIn",
    "uniqueLang": "UniqueLang",
    "in": "In",
    "hasValue": "HasValue",
    "or": "Or",
    "and": "And",
    "not": "Not",
    "xone": "Xone",
    "node": "Node",
    "closed": "Closed",
    "qualifiedMinCount": "QualifiedMinCount",
    "qualifiedMaxCount": "QualifiedMaxCount",
    "minInclusive": "MinInclusive",
    "maxInclusive": "MaxInclusive",
    "minExclusive": "MinExclusive",
    "maxExclusive": "MaxExclusive",
    "minLength": "MinLength",
    "maxLength": "MaxLength",
    "lessThan": "LessThan",
    "lessThanOrEquals": "LessThanOrEquals",
    "equals": "Equals",
    "disjoint": "Disjoint",
}
#: Shape properties that are not constraint parameters.
_NOT_CONSTRAINTS = {
    "path", "targetClass", "targetNode", "targetSubjectsOf", "targetObjectsOf", "target",
    "message", "severity", "property", "ignoredProperties", "qualifiedValueShape",
    "flags", "name", "description", "deactivated", "prefixes", "declare", "sparql",
}  # fmt: skip

Key = tuple[str, str, str]  # (source shape, constraint component, SPARQL constraint or "")


def _expand(name: str) -> str:
    if name.startswith("_:") or name == "-":
        return name
    if name.startswith("<") and name.endswith(">"):
        return name[1:-1]
    prefix, local = name.split(":", 1)
    return {**PREFIXES, "lbs": LBS}[prefix] + local


def expectations(path: Path) -> Counter[tuple[str, str, str]]:
    """The (focus, path, component) triples a fixture declares, `-` for no path."""
    found = Counter()
    for line in path.read_text(encoding="utf-8").splitlines():
        match = _EXPECT.match(line)
        if match:
            found[tuple(_expand(part) for part in match.groups())] += 1
    return found


def observed(report: ValidationReport) -> Counter[tuple[str, str, str]]:
    return Counter(
        (
            "_:" if r.focus_node.startswith("_:") else r.focus_node,
            r.path or "-",
            r.constraint_component,
        )
        for r in report.results
    )


def constraints(project: Project) -> set[Key]:
    """Every constraint in shapes/: one per (named shape, constraint parameter), one per
    SPARQL constraint. Fails on a parameter it does not know, so nothing is miscounted."""
    from rdflib import BNode, URIRef

    from llmboom.rdf.loading import load_shapes, to_rdflib_graph

    graph = to_rdflib_graph(load_shapes(project))
    shapes = set(graph.subjects(URIRef(RDF + "type"), URIRef(SH + "NodeShape")))
    shapes |= set(graph.subjects(URIRef(RDF + "type"), URIRef(SH + "PropertyShape")))
    for shape in list(shapes):
        for member in graph.objects(shape, URIRef(SH + "property")):
            assert isinstance(member, URIRef), f"{shape}: give property shapes an IRI"
    found: set[Key] = set()
    for shape in shapes:
        assert not isinstance(shape, BNode), "top-level shapes have IRIs"
        for predicate, value in graph.predicate_objects(shape):
            if not str(predicate).startswith(SH):
                continue
            name = str(predicate)[len(SH) :]
            if name == "sparql":
                found.add((str(shape), SH + "SPARQLConstraintComponent", str(value)))
            elif name == "closed" and not value.toPython():
                continue
            elif name in _COMPONENTS:
                found.add((str(shape), SH + _COMPONENTS[name] + "ConstraintComponent", ""))
            else:
                assert name in _NOT_CONSTRAINTS, f"{shape}: unknown shape parameter sh:{name}"
    return found


_REPORTS: dict[Path, ValidationReport] = {}


def report_for(project: Project, path: Path) -> ValidationReport:
    """Validate one fixture with the dataset, once per test session."""
    if path not in _REPORTS:
        _REPORTS[path] = validate_project(project, [path])
    return _REPORTS[path]


def test_fixture_suite_is_not_shrunk() -> None:
    assert len(INVALID) >= MIN_INVALID
    assert len(VALID) >= MIN_VALID
    for path in INVALID:
        assert expectations(path), f"{path.name} declares no '# expect:' line"


def test_there_are_at_least_as_many_invalid_fixtures_as_constraints(project: Project) -> None:
    counted = constraints(project)
    assert len(counted) >= 100  # the shapes themselves cannot silently shrink either
    assert len(INVALID) >= len(counted)


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_fixture_triggers_exactly_its_constraint(project: Project, path: Path) -> None:
    report = report_for(project, path)
    assert observed(report) == expectations(path), [
        (r.focus_node, r.path, r.constraint_component, r.message) for r in report.results
    ]
    keys = {
        (r.source_shape, r.constraint_component, r.source_constraint or "") for r in report.results
    }
    assert len(keys) == 1, f"{path.name} triggers more than one constraint: {keys}"


def test_every_constraint_is_triggered_by_a_fixture(project: Project) -> None:
    triggered = {
        (r.source_shape, r.constraint_component, r.source_constraint or "")
        for path in INVALID
        for r in report_for(project, path).results
    }
    missing = constraints(project) - triggered
    assert not missing, sorted(missing)


@pytest.mark.parametrize("path", VALID, ids=lambda p: p.name)
def test_valid_fixture_conforms_without_any_result(project: Project, path: Path) -> None:
    report = validate_project(project, [path])
    assert report.conforms
    assert report.results == ()


def test_shipped_dataset_has_no_result_at_all(project: Project) -> None:
    report = validate_project(project)
    assert report.conforms
    assert [(r.focus_node, r.message) for r in report.results] == []


def test_shapes_pass_shacl_for_shacl(project: Project) -> None:
    from pyshacl.entrypoints import meta_validate

    from llmboom.rdf.loading import load_shapes, to_rdflib_graph

    conforms, _, text = meta_validate(to_rdflib_graph(load_shapes(project)), inference="none")
    assert conforms, text


def test_every_constraint_has_a_message(project: Project) -> None:
    from rdflib import URIRef

    from llmboom.rdf.loading import load_shapes, to_rdflib_graph

    graph = to_rdflib_graph(load_shapes(project))
    for shape, _, sparql in constraints(project):
        owner = URIRef(sparql or shape)
        messages = list(graph.objects(owner, URIRef(SH + "message")))
        assert messages and all(m.language == "en" for m in messages), owner


def test_every_class_and_property_in_use_has_a_shape(project: Project, data_graph) -> None:
    from rdflib import RDFS, URIRef

    from llmboom.rdf.loading import load_ontology, load_shapes, to_rdflib_graph

    shapes = to_rdflib_graph(load_shapes(project))
    ontology = to_rdflib_graph(load_ontology(project))
    targeted = set(shapes.objects(None, URIRef(SH + "targetClass")))
    paths = {str(p) for p in shapes.objects(None, URIRef(SH + "path")) if isinstance(p, URIRef)}
    for cls in set(data_graph.objects(None, URIRef(RDF + "type"))):
        ancestors = set(ontology.transitive_objects(cls, RDFS.subClassOf))
        assert ancestors & targeted, f"no shape targets {cls} or a superclass"
    for predicate in {str(p) for p in data_graph.predicates()}:
        if predicate != RDF + "type":
            assert predicate in paths, f"no property shape for {predicate}"
    assert {p for p in paths if p.startswith(LBO)} >= {
        str(p) for p in data_graph.predicates() if str(p).startswith(LBO)
    }
