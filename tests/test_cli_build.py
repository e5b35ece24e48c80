"""`llmboom build` from the command line: exit codes, output, and the folder on disk."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from click.testing import CliRunner

from llmboom.cli import cli
from llmboom.publication.atomic import MARKER
from tests.test_publication_build import INVALID_ADDITION, copy_project, snapshot


def test_build_writes_the_publication(run_cli, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = run_cli("build", "--out", str(out), "--format", "json")
    assert result.exit_code == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["files"] == len([p for p in out.rglob("*") if p.is_file()]) - 1  # the marker
    assert summary["resource_pages"] == len(list((out / "id").glob("*.html")))
    assert (out / "void.ttl").is_file() and (out / MARKER).is_file()


def test_build_twice_gives_identical_folders(run_cli, tmp_path: Path) -> None:
    assert run_cli("build", "--out", str(tmp_path / "a")).exit_code == 0
    assert run_cli("build", "--out", str(tmp_path / "b")).exit_code == 0
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")


def test_build_refuses_a_folder_that_is_not_a_build(run_cli, tmp_path: Path) -> None:
    (tmp_path / "notes.txt").write_text("precious")
    result = run_cli("build", "--out", str(tmp_path))
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: ")
    assert "not a previous llmboom build" in result.stderr
    assert "Traceback" not in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"]


def test_build_of_an_invalid_dataset_exits_1_and_writes_nothing(tmp_path: Path) -> None:
    broken = copy_project(tmp_path / "project")
    with open(broken.data_dir / "entities.ttl", "a", encoding="utf-8") as handle:
        handle.write(INVALID_ADDITION)
    out = tmp_path / "dist"
    result = CliRunner().invoke(cli, ["--root", str(broken.root), "build", "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "does not conform" in result.stderr
    assert not out.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]


def test_build_leaves_a_previous_build_untouched_when_invalid(tmp_path: Path) -> None:
    broken = copy_project(tmp_path / "project")
    out = tmp_path / "dist"
    ok = CliRunner().invoke(cli, ["--root", str(broken.root), "build", "--out", str(out)])
    assert ok.exit_code == 0, ok.output
    before = snapshot(out)
    with open(broken.data_dir / "entities.ttl", "a", encoding="utf-8") as handle:
        handle.write(INVALID_ADDITION)
    result = CliRunner().invoke(cli, ["--root", str(broken.root), "build", "--out", str(out)])
    assert result.exit_code == 1
    assert snapshot(out) == before
    shutil.rmtree(broken.root)


def test_help_explains_the_overwrite_rule(run_cli) -> None:
    result = run_cli("build", "--help")
    assert result.exit_code == 0
    assert ".llmboom-build" in "".join(result.stdout.split())  # wrapping may break it
    assert "llmboom build --out" in result.stdout


def test_build_without_graphviz_says_once_that_pages_have_no_chart(
    run_cli, tmp_path: Path, monkeypatch, project, data_quads
) -> None:
    from llmboom.publication.builder import resource_slugs
    from llmboom.publication.charts import chart_for
    from llmboom.publication.graph_index import GraphIndex
    from llmboom.rdf.loading import load_ontology

    monkeypatch.setenv("PATH", str(tmp_path / "no-programs"))  # no `dot` on it
    out = tmp_path / "dist"
    result = run_cli("build", "--out", str(out))
    assert result.exit_code == 0, result.stderr
    assert not list((out / "id").glob("*.svg"))
    index = GraphIndex(data_quads, load_ontology(project))
    charted = [i for i, _ in resource_slugs(index, project.base_iri) if chart_for(index, i)]
    assert charted, "the dataset has organization charts or reporting chains"
    notes = [line for line in result.stderr.splitlines() if "Graphviz" in line]
    assert notes == [
        f"Note: {len(charted)} pages have no chart: Graphviz's `dot` is not installed "
        "(Debian: apt install graphviz)"
    ]
    assert result.stdout.startswith("Wrote ")
