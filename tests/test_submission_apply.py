"""`submit --apply`: an accepted second-source submission is merged, seen by every command,
survives a build, and applying it again (in another format) changes nothing."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llmboom.project import Project
from tests.conftest import REPO
from tests.submission_support import SECOND_SOURCE, copy_project, data_hashes, submit_cli


@pytest.fixture(scope="module")
def applied(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("project"))
    result = submit_cli(root, "submit", str(SECOND_SOURCE), "--apply", "--submitter", "Alice")
    assert result.exit_code == 0, result.output
    assert "Accepted and applied" in result.stdout
    assert result.stderr.startswith("Applied: ")
    return root


def test_dry_run_accepts_and_writes_nothing(tmp_path: Path) -> None:
    root = copy_project(tmp_path)
    before = data_hashes(root)
    result = submit_cli(root, "submit", str(SECOND_SOURCE), "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["outcome"] == "accepted"
    assert document["new"] == document["triples"] > 20
    assert document["written"] is None
    assert data_hashes(root) == before


def test_apply_writes_one_folder_with_the_text_and_the_prov_record(applied: Path) -> None:
    shipped = {p.name for p in (REPO / "data" / "submissions").glob("*/")}
    folders = [p for p in (applied / "data" / "submissions").iterdir() if p.is_dir()]
    assert {p.name for p in folders} >= shipped  # the reports data/ ships stay as they were
    folders = [p for p in folders if p.name not in shipped]
    assert len(folders) == 1
    names = sorted(p.name for p in folders[0].iterdir())
    assert names == ["example-daily-report.txt", "submission.ttl"]
    text = (folders[0] / "example-daily-report.txt").read_text(encoding="utf-8")
    assert text.startswith("Example AI said on Monday")
    turtle = (folders[0] / "submission.ttl").read_text(encoding="utf-8")
    assert "lbo:Submission" in turtle and "lbr:contributor-alice" in turtle
    assert "lbo:fullText" not in turtle  # the text lives in its own file, like the article's
    assert not (applied / ".llmboom-staging").exists()


def test_every_reader_sees_the_applied_submission(applied: Path) -> None:
    from llmboom.rdf.loading import load_data
    from llmboom.shacl.validation import validate_project

    project = Project.locate(applied)
    values = {q.object.value for q in load_data(project)}
    assert any(v.startswith("Example AI said on Monday") for v in values), "text not loaded"
    assert validate_project(project).conforms
    result = submit_cli(applied, "query", "--name", "planned-launches", "--format", "json")
    assert result.exit_code == 0, result.output
    rows = json.loads(result.stdout)["results"]["bindings"]
    launches = {
        row["organizationLabel"]["value"]: row.get("plannedLaunch", {}).get("value") for row in rows
    }
    assert launches["Example AI"] == "2023-06"
    stats = submit_cli(applied, "stats", "--format", "json")
    assert stats.exit_code == 0, stats.output
    shipped = json.loads(submit_cli(REPO, "stats", "--format", "json").stdout)
    assert json.loads(stats.stdout)["sources"] == shipped["sources"] + 1  # the daily report


def test_applied_submission_survives_a_build(applied: Path, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    result = submit_cli(applied, "build", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert (out / "id" / "example-ai.html").exists() or any(out.rglob("example-ai*"))
    assert "example-ai-language-model" in (out / "dataset.nt").read_text(encoding="utf-8")


def test_second_apply_is_a_no_op_even_in_another_format(applied: Path, tmp_path: Path) -> None:
    from llmboom.export import serialize
    from llmboom.rdf.formats import by_name
    from llmboom.rdf.loading import parse_file

    jsonld = tmp_path / "same.jsonld"
    jsonld.write_bytes(serialize(reversed(parse_file(SECOND_SOURCE)), by_name("jsonld")))
    before = data_hashes(applied)
    for path in (SECOND_SOURCE, jsonld):
        result = submit_cli(applied, "submit", str(path), "--apply")
        assert result.exit_code == 0, result.output
        assert "nothing to apply, every triple is already in the dataset" in result.stdout
        assert "Nothing to apply" in result.stderr
    assert data_hashes(applied) == before


def test_lock_timeout_is_one_clear_line(tmp_path: Path) -> None:
    from filelock import FileLock

    root = copy_project(tmp_path)
    before = data_hashes(root)
    with FileLock(root / ".llmboom-submit.lock"):
        result = submit_cli(root, "submit", str(SECOND_SOURCE), "--apply", "--lock-timeout", "0.2")
    assert result.exit_code == 2
    assert "held the lock for more than 0.2 s; try again" in result.stderr
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1
    assert data_hashes(root) == before
