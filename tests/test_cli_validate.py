"""`llmboom validate` through the CLI: exit codes, reports, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

from llmboom.namespaces import LBR, SH

INVALID = Path(__file__).parent / "shapes" / "invalid"
VALID = Path(__file__).parent / "shapes" / "valid"


def test_the_shipped_dataset_conforms(run_cli) -> None:
    result = run_cli("validate")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "0 violations, 0 warnings, 0 infos: the data conforms."
    assert result.stderr == ""


def test_valid_files_conform(run_cli) -> None:
    result = run_cli("validate", *map(str, sorted(VALID.iterdir())))
    assert result.exit_code == 0, result.output


def test_a_violation_exits_1_and_names_node_path_and_message(run_cli) -> None:
    result = run_cli("validate", str(INVALID / "enddate-before-start.ttl"))
    assert result.exit_code == 1, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == 'lbr:zhu-wenjia-toutiao  "Zhu Wenjia at Toutiao"'
    assert lines[1].split() == ["Violation", "lbo:endDate", '"2014-06"^^xsd:gYearMonth']
    assert "cannot end before it starts" in lines[2]
    assert "does not conform" in lines[-1]


def test_warnings_are_shown_but_exit_0(run_cli) -> None:
    result = run_cli("validate", str(INVALID / "platform-owner.ttl"))
    assert result.exit_code == 0, result.output
    assert "Warning" in result.stdout and "lbr:new-platform" in result.stdout
    assert "1 warning" in result.stdout


def test_a_syntax_error_prints_file_and_line_and_exits_2(run_cli, tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix lbr: <https://w3id.org/llmboom/id/> .\n\nlbr:x lbr:y .\n")
    result = run_cli("validate", str(broken))
    assert result.exit_code == 2
    assert f"{broken}:3: " in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output and result.stdout == ""


def test_a_missing_file_exits_2(run_cli, tmp_path: Path) -> None:
    result = run_cli("validate", str(tmp_path / "nowhere.ttl"))
    assert result.exit_code == 2
    assert "nowhere.ttl" in result.stderr


def test_json_format(run_cli) -> None:
    result = run_cli("validate", "--format", "json", str(INVALID / "reportsto-self.ttl"))
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["conforms"] is False
    (item,) = document["results"]
    assert item["focus_node"] == LBR + "shouzi-chew"
    assert item["constraint_component"] == SH + "SPARQLConstraintComponent"


def test_turtle_format_is_a_shacl_report_graph(run_cli) -> None:
    import rdflib

    result = run_cli("validate", "--format", "turtle", str(INVALID / "label-two.ttl"))
    assert result.exit_code == 1
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    sh = rdflib.Namespace(SH)
    assert (None, sh.conforms, rdflib.Literal(False)) in graph
    assert set(graph.objects(None, sh.focusNode)) == {rdflib.URIRef(LBR + "baidu")}
    components = set(graph.objects(None, sh.sourceConstraintComponent))
    # two English labels: one label per language tag (sh:uniqueLang) is what they break
    assert components == {sh.UniqueLangConstraintComponent}


def test_help_has_an_example(run_cli) -> None:
    result = run_cli("validate", "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout and "llmboom validate" in result.stdout
