"""The validation library: validate_project / validate_quads and the typed report."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from llmboom.errors import InputError, ProjectError
from llmboom.namespaces import LBO, LBR, SH
from llmboom.project import Project
from llmboom.rdf.loading import load_data, parse_file
from llmboom.shacl.rendering import render_json, render_text
from llmboom.shacl.report import LBS, ValidationReport
from llmboom.shacl.validation import validate_project, validate_quads

INVALID = Path(__file__).parent / "shapes" / "invalid"


def test_the_dataset_conforms(project: Project) -> None:
    report = validate_project(project)
    assert isinstance(report, ValidationReport)
    assert report.conforms and report.results == ()


def test_a_violation_is_reported_with_node_path_value_label_and_shape(project: Project) -> None:
    report = validate_project(project, [INVALID / "holder-class.ttl"])
    assert not report.conforms
    (result,) = report.results
    assert result.focus_node == LBR + "new-position"
    assert result.focus_label == "a new position"
    assert result.path == LBO + "holder"
    assert result.value == f"<{LBR}baidu>"
    assert result.severity == "Violation"
    assert result.constraint_component == SH + "ClassConstraintComponent"
    assert result.source_shape == LBS + "Position-holder"
    assert "holder" in result.message


def test_warnings_and_infos_do_not_break_conformance(project: Project) -> None:
    warning = validate_project(project, [INVALID / "platform-owner.ttl"])
    info = validate_project(project, [INVALID / "model-origin.ttl"])
    assert warning.conforms and [r.severity for r in warning.results] == ["Warning"]
    assert info.conforms and [r.severity for r in info.results] == ["Info"]
    assert warning.count("Warning") == 1 and warning.count("Violation") == 0


def test_validate_quads_checks_exactly_the_quads_given(project: Project) -> None:
    extra = parse_file(INVALID / "enddate-before-start.ttl")
    with_dataset = validate_quads(project, load_data(project) + extra)
    assert [r.source_constraint for r in with_dataset.results] == [LBS + "EndNotBeforeStart"]
    # without the dataset the position's start date is missing, so nothing is compared, and
    # the statement record's source and attribution are unknown resources
    alone = validate_quads(project, extra)
    assert LBS + "EndNotBeforeStart" not in {r.source_constraint for r in alone.results}
    assert not alone.conforms


def test_the_report_graph_is_the_standard_shacl_report(project: Project) -> None:
    import rdflib

    report = validate_project(project, [INVALID / "reportsto-cycle.ttl"])
    graph = rdflib.Graph().parse(data=report.to_turtle(), format="turtle")
    sh = rdflib.Namespace(SH)
    (node,) = graph.subjects(rdflib.RDF.type, sh.ValidationReport)
    assert graph.value(node, sh.conforms).toPython() is False
    assert len(list(graph.objects(node, sh.result))) == len(report.results) == 2
    focus = {str(o) for o in graph.objects(None, sh.focusNode)}
    assert focus == {LBR + "li-zhifei", LBR + "wang-xiaochuan"}  # the fixture's cycle of two


def test_unreadable_files_raise_input_error_with_line(project: Project, tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix lbr: <https://w3id.org/llmboom/id/> .\n\nlbr:a lbr:b .\n")
    with pytest.raises(InputError) as caught:
        validate_project(project, [broken])
    assert caught.value.line == 3 and str(caught.value).startswith(f"{broken}:3: ")
    with pytest.raises(InputError):
        validate_project(project, [tmp_path / "missing.ttl"])


def test_data_is_never_used_as_shapes(project: Project, tmp_path: Path) -> None:
    # a file that declares a shape forbidding every label is data, not a shape
    sneaky = tmp_path / "sneaky.ttl"
    sneaky.write_text(
        "@prefix sh: <http://www.w3.org/ns/shacl#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        "<https://example.org/s> a sh:NodeShape ; sh:targetSubjectsOf rdfs:label ;\n"
        "    sh:property [ sh:path rdfs:label ; sh:maxCount 0 ] .\n"
    )
    report = validate_project(project, [sneaky])
    assert {r.source_shape for r in report.results} <= {LBS + "BlankNodeShape"}


def test_a_project_without_shapes_is_an_error(project: Project, tmp_path: Path) -> None:
    for name in ("ontology", "data"):
        shutil.copytree(project.root / name, tmp_path / name)
    (tmp_path / "shapes").mkdir()
    with pytest.raises(ProjectError):
        validate_project(Project.locate(tmp_path))


def test_a_rebased_project_is_validated_in_its_own_namespace(project: Project) -> None:
    rebased = Project(project.root, base_iri="https://kg.example.org/id/")
    assert validate_project(rebased).conforms
    report = validate_project(rebased, [INVALID / "resource-iri-pattern.ttl"])
    assert [r.focus_node for r in report.results] == ["https://kg.example.org/id/Bad_Slug"]


def test_text_and_json_renderings(project: Project) -> None:
    import json

    report = validate_project(project, [INVALID / "holder-class.ttl"])
    text = render_text(report)
    assert 'lbr:new-position  "a new position"' in text
    assert "Violation lbo:holder  lbr:baidu" in text
    assert text.rstrip().endswith(
        "1 violation, 0 warnings, 0 infos on 1 node: the data does not conform."
    )
    document = json.loads(render_json(report))
    assert document["conforms"] is False and document["violations"] == 1
    assert document["results"][0]["focus_node"] == LBR + "new-position"


def test_the_turtle_report_conforms_only_without_any_result(project: Project) -> None:
    """SHACL §3.6.1: sh:conforms is false beside a Warning, though the exit code says 0."""
    import rdflib

    sh = rdflib.Namespace(SH)
    warning = validate_project(project, [INVALID / "platform-owner.ttl"])
    assert warning.conforms and warning.count("Warning") == 1
    graph = rdflib.Graph().parse(data=warning.to_turtle(), format="turtle")
    (node,) = graph.subjects(rdflib.RDF.type, sh.ValidationReport)
    assert graph.value(node, sh.conforms).toPython() is False
    (result,) = graph.objects(node, sh.result)
    assert graph.value(result, sh.resultSeverity) == sh.Warning
    clean = rdflib.Graph().parse(data=validate_project(project).to_turtle(), format="turtle")
    assert (None, sh.conforms, rdflib.Literal(True)) in clean
