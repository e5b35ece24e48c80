"""Locating a project folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmboom.errors import ProjectError
from llmboom.project import Project
from tests.conftest import REPO


def test_locate_defaults_to_this_checkout(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("LLMBOOM_ROOT", raising=False)
    assert Project.locate().root == REPO


def test_locate_honours_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLMBOOM_ROOT", str(REPO))
    assert Project.locate().root == REPO


def test_locate_rejects_a_folder_that_is_not_a_project(tmp_path: Path) -> None:
    with pytest.raises(ProjectError, match="not an llmboom project"):
        Project.locate(tmp_path)


def test_project_lists_its_files(project: Project) -> None:
    assert [p.name for p in project.data_files()] == sorted(p.name for p in project.data_files())
    assert "article" in project.source_texts()
    assert project.ontology_files()


@pytest.mark.parametrize(
    ("base", "problem"),
    [
        ("not an iri", "not an absolute IRI"),
        ("kg/", "not an absolute IRI"),
        ("https://example.org/kg", "must end in '/' or '#'"),
        ("https://exa mple.org/kg/", "not an absolute IRI"),
        ("https://example.org/kg/\n", "not an absolute IRI"),
    ],
)
def test_a_bad_base_is_refused(base: str, problem: str) -> None:
    with pytest.raises(ProjectError, match=problem):
        Project.locate(REPO, base)


@pytest.mark.parametrize("base", ["https://example.org/kg/", "https://example.org/kg#", "urn:x:/"])
def test_a_base_ending_in_slash_or_hash_is_accepted(base: str) -> None:
    assert Project.locate(REPO, base).base_iri == base


@pytest.mark.parametrize("base", ["not an iri", "https://example.org/kg", "ftp://a b/"])
def test_a_bad_base_on_the_command_line_is_one_line_and_exit_2(run_cli, base: str) -> None:
    result = run_cli("--base", base, "stats")
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: --base ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr
