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
