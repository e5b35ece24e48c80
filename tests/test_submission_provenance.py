"""Submission records: contributor IRIs that cannot collide, and the name kept as given."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.submission_support import PREFIXES, copy_project, fact, submit_cli

NAMES = ["日本語の名前", "中文名字", "-----", "", "   ", "Alice", "alice", "Ålice", "Иван"]


def test_different_names_never_share_an_iri() -> None:
    from llmboom.submission.provenance import contributor_slug

    slugs = {contributor_slug(name) for name in NAMES}
    assert len(slugs) == len(NAMES) - 1  # "" and "   " are the same (blank) name
    assert contributor_slug("Alice Smith").startswith("contributor-alice-smith-")
    assert contributor_slug("") == contributor_slug("  ") != contributor_slug("-----")


def test_the_name_is_kept_in_its_script() -> None:
    from llmboom.submission.provenance import contributor_quads, name_script

    quads = contributor_quads("https://w3id.org/llmboom/id/", "日本語の名前")
    labels = {
        (q.predicate.value.rsplit("#", 1)[-1], q.object.value, q.object.language) for q in quads[1:]
    }
    assert labels == {("label", "日本語の名前", "en"), ("altLabel", "日本語の名前", "und-jpan")}
    assert name_script("张三") == "Hani" and name_script("Иван") == "Cyrl"
    assert name_script("José") is None and name_script("-----") is None


def _submission(index: int) -> str:
    org, model = f"lbr:contributed-{index}", f"lbr:contributed-{index}-model"
    return (
        PREFIXES
        + f'{org} a lbo:Organization ; rdfs:label "Contributed {index}"@en .\n'
        + f'{model} a lbo:LanguageModel ; rdfs:label "Contributed {index} model"@en .\n'
        + fact(org, "lbo:announcedModel", model, f"s-contributed-{index}-announced")
    )


@pytest.mark.parametrize("names", [("日本語の名前", "中文名字"), ("-----", "   ")])
def test_two_submitters_whose_names_slugged_alike_both_apply(tmp_path: Path, names) -> None:
    from llmboom.project import Project
    from llmboom.shacl.validation import validate_project

    root = copy_project(tmp_path / "project")
    for index, name in enumerate(names):
        path = tmp_path / f"s{index}.ttl"
        path.write_text(_submission(index), encoding="utf-8")
        result = submit_cli(root, "submit", str(path), "--apply", "--submitter", name)
        assert result.exit_code == 0, result.output
    assert validate_project(Project.locate(root)).conforms
