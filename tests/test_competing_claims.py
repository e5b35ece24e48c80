"""Competing claims (SPEC §10): a contributed report that disagrees with the article is kept
beside it, listed by the `competing-claims` named query with both sources, dates and
attributions, shown by the truthy view by rank, and a submission may re-rank a claim but
not change another source's record.

The contributed files are test fixtures (tests/submissions/competing-report.ttl,
rerank.ttl, revalidate-other-claim.ttl), labelled as such, not data.
"""

from __future__ import annotations

import csv
import io
from datetime import date
from pathlib import Path

import pytest

from llmboom.history.snapshot import snapshot_quads
from llmboom.namespaces import LBO, LBR
from llmboom.project import Project
from llmboom.rdf.loading import load_data, load_ontology
from llmboom.submission.check import check_submission
from tests.conftest import REPO
from tests.submission_support import copy_project, data_hashes, submit_cli

SUBMISSIONS = REPO / "tests" / "submissions"
COMPETING = SUBMISSIONS / "competing-report.ttl"
RERANK = SUBMISSIONS / "rerank.ttl"
REVALIDATE = SUBMISSIONS / "revalidate-other-claim.ttl"
ARTICLE_CLAIM = "s-head-of-bytedance-language-model-team-reports-to-zhu-wenjia"
FIXTURE_CLAIM = "s-test-fixture-head-of-language-model-team-reports-to-vice-president"


@pytest.fixture(scope="module")
def contributed(tmp_path_factory) -> Path:
    """A copy of the article's project with the competing report and the re-ranking applied
    (without the later reports in data/submissions/: they add a real, preferred claim about
    the same line, which would supersede the article's in the snapshots compared here)."""
    import shutil

    root = copy_project(tmp_path_factory.mktemp("competing"))
    shutil.rmtree(root / "data" / "submissions", ignore_errors=True)
    for path in (COMPETING, RERANK):
        result = submit_cli(root, "submit", str(path), "--apply", "--submitter", "Tester")
        assert result.exit_code == 0, result.output
    return root


def _rows(root: Path, *args: str) -> list[dict[str, str]]:
    result = submit_cli(root, "query", "--name", "competing-claims", "--format", "csv", *args)
    assert result.exit_code == 0, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_competing_claims_lists_the_article_against_the_second_source(contributed) -> None:
    rows = [r for r in _rows(contributed) if r["kind"] == "different values"]
    pair = [r for r in rows if r["subject"] == LBR + "head-of-bytedance-language-model-team"]
    assert len(pair) == 1, rows
    (row,) = pair
    assert row["property"] == LBO + "reportsTo"
    sides = {
        (row["claimA"], row["valueA"], row["sourceA"], row["dateA"], row["attributionA"]),
        (row["claimB"], row["valueB"], row["sourceB"], row["dateB"], row["attributionB"]),
    }
    assert sides == {
        (LBR + ARTICLE_CLAIM, LBR + "zhu-wenjia", LBR + "article", "", LBR + "attribution-article"),
        (
            LBR + FIXTURE_CLAIM,
            LBR + "test-fixture-vice-president",
            LBR + "test-fixture-competing-report",
            "2023-03-20",
            LBR + "attribution-test-fixture-competing-report",
        ),
    }


def test_a_re_ranked_claim_is_listed_with_its_reason(contributed) -> None:
    rows = [r for r in _rows(contributed) if r["kind"] == "re-ranked"]
    (row,) = [r for r in rows if r["claimA"] == LBR + ARTICLE_CLAIM]
    assert row["rankA"] == LBO + "DeprecatedRank"
    assert row["reason"] == "Test fixture: superseded by a later report."


def test_a_re_ranked_claim_is_set_beside_records_of_the_same_fact_only(contributed) -> None:
    """Another record with the same subject and value but another property is not the same
    fact: the query's `rdf:predicate` test (a FILTER EXISTS, for speed) keeps it out."""
    import pyoxigraph

    from llmboom.namespaces import RDF
    from llmboom.sparql.named_queries import get_named_query
    from llmboom.sparql.run import run_query
    from llmboom.store.embedded import EmbeddedStore

    def node(iri: str) -> pyoxigraph.NamedNode:
        return pyoxigraph.NamedNode(iri)

    record = node(LBR + "s-test-other-property-same-value")
    head = node(LBR + "head-of-bytedance-language-model-team")
    extra = [
        pyoxigraph.Quad(record, node(RDF + "type"), node(RDF + "Statement")),
        pyoxigraph.Quad(record, node(RDF + "subject"), head),
        pyoxigraph.Quad(record, node(RDF + "predicate"), node(LBO + "memberOf")),
        pyoxigraph.Quad(record, node(RDF + "object"), node(LBR + "zhu-wenjia")),
    ]
    project = Project.locate(contributed)
    store = EmbeddedStore.in_memory(project, extra).oxigraph
    query = get_named_query(project, "competing-claims")
    result = run_query(store, query.text, source=query.name)
    names = list(result.variables)
    rows = [
        {n: v.value if v is not None else "" for n, v in zip(names, r, strict=True)}
        for r in result.rows
    ]
    ranked = [r for r in rows if r["kind"] == "re-ranked" and r["claimA"] == LBR + ARTICLE_CLAIM]
    assert len(ranked) == 1 and ranked[0]["claimB"] == "", ranked


def test_the_shipped_data_lists_no_disagreement_between_the_article_and_itself() -> None:
    rows = _rows(REPO)
    assert not [r for r in rows if ARTICLE_CLAIM in (r["claimA"], r["claimB"])]


def test_both_claims_stay_in_a_snapshot_and_the_truthy_view_follows_the_rank(contributed):
    project = Project.locate(contributed)
    quads, ontology = load_data(project), load_ontology(project)
    team_head = LBR + "head-of-bytedance-language-model-team"

    def bosses(day: date | None, view: str) -> set[str]:
        kept, _ = snapshot_quads(quads, ontology, day, view)
        return {
            q.object.value
            for q in kept
            if q.subject.value == team_head and q.predicate.value == LBO + "reportsTo"
        }

    both = {LBR + "zhu-wenjia", LBR + "test-fixture-vice-president"}
    assert bosses(date(2023, 4, 1), "all") == both
    assert bosses(date(2023, 2, 24), "all") == {LBR + "zhu-wenjia"}
    # the article's record is deprecated by the re-ranking: the truthy view keeps the other
    assert bosses(None, "truthy") == {LBR + "test-fixture-vice-president"}
    assert bosses(date(2023, 2, 24), "truthy") == set()


def test_a_submission_cannot_change_another_sources_record(project: Project, tmp_path) -> None:
    report = check_submission(project, [REVALIDATE])
    assert not report.accepted
    (problem,) = report.problems
    assert problem.node == f"<{LBR}{ARTICLE_CLAIM}>"
    assert problem.path == LBO + "validUntil"
    root = copy_project(tmp_path)
    before = data_hashes(root)
    result = submit_cli(root, "submit", str(REVALIDATE), "--apply")
    assert result.exit_code == 1
    assert data_hashes(root) == before


def _page(project: Project, article: list, *extra: Path) -> str:
    """The team head's page from the article's facts and the `extra` files."""
    from llmboom.publication.graph_index import GraphIndex
    from llmboom.publication.resource_pages import render_resource_page
    from llmboom.rdf.loading import as_default_graph, parse_file

    quads = list(article) + [q for p in extra for q in as_default_graph(parse_file(p))]
    index = GraphIndex(quads, load_ontology(project))
    return render_resource_page(index, LBR + "head-of-bytedance-language-model-team", jsonld="{}")


def test_the_page_shows_both_claims_together(project: Project, article_quads) -> None:
    page = _page(project, article_quads, COMPETING)
    section = page.split('<ul id="disagreements">', 1)[1].split("</ul>", 1)[0]
    assert section.count("according to") == 2
    assert "Zhu Wenjia" in section and "Test Fixture Vice President" in section
    assert "the test fixture&#39;s report" in section or "the test fixture's report" in section
    assert "from 2023-03" in section and "at 2023-02-23" in section
    assert "Sources disagree" not in _page(project, article_quads)


def test_the_page_shows_a_re_ranked_claim_with_its_reason(project: Project, article_quads):
    page = _page(project, article_quads, RERANK)
    section = page.split('<ul id="disagreements">', 1)[1].split("</ul>", 1)[0]
    assert "deprecated: Test fixture: superseded by a later report." in section
    assert "Ranked deprecated: Test fixture: superseded by a later report." in page
