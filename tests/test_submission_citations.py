"""Submissions citing sources whose text the project does not hold (SPEC §4): a record
citing such a source summarises it; where the project holds the text, a quote stays required
and a summary is refused."""

from __future__ import annotations

from pathlib import Path

from llmboom.project import Project
from llmboom.submission import check_submission
from tests.conftest import REPO

CITATION = REPO / "tests" / "submissions" / "citation.ttl"
SECOND_SOURCE = REPO / "tests" / "submissions" / "second-source.ttl"


def _shapes(report) -> set[str]:
    return {r.source_constraint or r.source_shape for r in report.validation.results}


def test_a_contribution_citing_a_url_source_with_summaries_is_accepted(project: Project) -> None:
    report = check_submission(project, [CITATION])
    assert report.accepted, report.problems or report.validation.results
    assert report.new > 0


def test_a_summary_is_refused_where_the_held_text_requires_a_quote(
    project: Project, tmp_path: Path
) -> None:
    text = SECOND_SOURCE.read_text(encoding="utf-8")
    quoted = '    lbo:quote "Example AI said on Monday"@en ;\n'
    assert quoted in text
    summarised = tmp_path / "summarised.ttl"
    summarised.write_text(
        text.replace(quoted, '    lbo:summary "Example AI spoke on Monday."@en ;\n', 1),
        encoding="utf-8",
    )
    assert check_submission(project, [SECOND_SOURCE]).accepted
    report = check_submission(project, [summarised])
    assert not report.accepted
    assert _shapes(report) == {
        "https://w3id.org/llmboom/shapes#HeldTextNeedsQuote",
        "https://w3id.org/llmboom/shapes#HeldTextRefusesSummary",
    }


def test_a_citation_without_its_url_is_refused(project: Project, tmp_path: Path) -> None:
    text = CITATION.read_text(encoding="utf-8")
    url = "    schema:url <https://example.org/wire/example-labs-model> ;\n"
    assert url in text
    bare = tmp_path / "bare.ttl"
    bare.write_text(text.replace(url, "", 1), encoding="utf-8")
    report = check_submission(project, [bare])
    assert not report.accepted
    assert _shapes(report) == {"https://w3id.org/llmboom/shapes#CitationIsComplete"}
