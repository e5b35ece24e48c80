"""As-of snapshots and the truthy view (llmboom.history.snapshot), on the article's own timeline.

The expected answers are read off the article: Zhu Wenjia joined Toutiao in 2015, became its
CEO four years later (2019), and moved to TikTok in February 2021, reporting to Shouzi Chew
from then; the model teams, their reporting lines and Chew's title are known as of the 36kr
report of 23 February 2023.
"""

from __future__ import annotations

import json
from datetime import date

import pyoxigraph
import pytest

from llmboom.history.snapshot import AsOfError, first_day, parse_as_of, snapshot_quads
from llmboom.namespaces import LBO, LBR, RDF
from llmboom.project import Project
from llmboom.rdf.loading import as_default_graph, load_data, load_ontology, parse_file


def _facts(quads: list[pyoxigraph.Quad]) -> set[tuple[str, str, str]]:
    def short(term) -> str:
        return term.value.removeprefix(LBR).removeprefix(LBO)

    return {(short(q.subject), short(q.predicate), short(q.object)) for q in quads}


@pytest.fixture(scope="module")
def dataset(project: Project) -> tuple[list, list]:
    """The article's facts alone (later reports, contributed as submissions, are left out:
    the timeline is the article's)."""
    article = [project.data_dir / name for name in ("article.ttl", "entities.ttl")]
    quads = [q for path in article for q in as_default_graph(parse_file(path))]
    quads += [q for q in load_data(project) if q.predicate.value == LBO + "fullText"]
    return quads, load_ontology(project)


def snapshot(dataset, day: date | None, view: str = "all") -> set[tuple[str, str, str]]:
    return _facts(snapshot_quads(dataset[0], dataset[1], day, view)[0])


def test_2016_zhu_at_toutiao_and_nothing_of_tiktok_or_the_model_teams(dataset) -> None:
    facts = snapshot(dataset, date(2016, 6, 1))
    assert ("zhu-wenjia-toutiao", "holder", "zhu-wenjia") in facts
    assert ("zhu-wenjia-toutiao-ceo", "holder", "zhu-wenjia") not in facts
    assert ("zhu-wenjia", "reportsTo", "shouzi-chew") not in facts
    assert ("shouzi-chew-tiktok-ceo", "holder", "shouzi-chew") not in facts
    assert not {f for f in facts if f[1] == "reportsTo"}
    assert not {f for f in facts if "model-team" in f[0] and not f[1].startswith("http")}


def test_2020_zhu_is_ceo_of_toutiao(dataset) -> None:
    facts = snapshot(dataset, date(2020, 6, 1))
    assert ("zhu-wenjia-toutiao-ceo", "holder", "zhu-wenjia") in facts
    assert ("zhu-wenjia-toutiao-ceo", "roleTitle", "CEO") in facts
    assert ("zhu-wenjia-tiktok-technical-director", "holder", "zhu-wenjia") not in facts


def test_the_end_is_exclusive_so_february_2021_is_already_tiktok(dataset) -> None:
    facts = snapshot(dataset, date(2021, 2, 1))
    assert ("zhu-wenjia-toutiao-ceo", "holder", "zhu-wenjia") not in facts
    assert ("zhu-wenjia-tiktok-technical-director", "holder", "zhu-wenjia") in facts
    assert ("zhu-wenjia-toutiao-ceo", "holder", "zhu-wenjia") in snapshot(
        dataset, date(2021, 1, 31)
    )


def test_2022_zhu_at_tiktok_reporting_to_chew_but_no_model_teams_yet(dataset) -> None:
    facts = snapshot(dataset, date(2022, 6, 1))
    assert ("zhu-wenjia", "reportsTo", "shouzi-chew") in facts
    assert ("zhu-wenjia-tiktok-technical-director", "inOrganization", "tiktok") in facts
    assert ("volcano-engine-cloud-market-entry", "entrant", "volcano-engine") in facts
    assert ("head-of-bytedance-language-model-team", "reportsTo", "zhu-wenjia") not in facts


def test_the_article_date_gives_every_fact_that_still_holds(dataset) -> None:
    whole = snapshot(dataset, None)
    facts = snapshot(dataset, date(2023, 2, 23))
    assert ("head-of-bytedance-language-model-team", "reportsTo", "zhu-wenjia") in facts
    assert ("shouzi-chew-tiktok-ceo", "holder", "shouzi-chew") in facts
    # only the facts that ended before it are left out: the Toutiao CEO years
    assert {f[0] for f in whole - facts if f[1] != "subject"} <= {
        "zhu-wenjia-toutiao-ceo",
        *{f[0] for f in whole - facts if f[0].startswith("s-zhu-wenjia-toutiao-ceo")},
    }


def test_records_of_dropped_facts_go_with_them_and_the_note_counts(dataset) -> None:
    kept, note = snapshot_quads(dataset[0], dataset[1], date(2016, 6, 1))
    records = {q.subject for q in kept if q.object.value == RDF + "Statement"}
    subjects = {q.subject for q in kept if q.predicate.value == RDF + "subject"}
    assert records == subjects
    asserted = {(q.subject, q.predicate, q.object) for q in kept}
    for record in records:
        described = tuple(
            next(q.object for q in kept if q.subject == record and q.predicate.value == RDF + p)
            for p in ("subject", "predicate", "object")
        )
        assert described in asserted
    assert note.as_of == date(2016, 6, 1)
    assert note.facts_kept > 0 and note.facts_excluded > note.facts_kept
    assert note.note().startswith("as of 2016-06-01: ")
    assert "docs/time-and-claims.md" in note.note()


def test_an_undated_reference_page_counts_from_the_day_it_was_consulted(dataset) -> None:
    """A source with no publication date (an encyclopedia article, an official site) dates
    its facts by `lbo:consulted`: absent the day before, present from that day."""
    from llmboom.namespaces import PROV

    def node(iri: str) -> pyoxigraph.NamedNode:
        return pyoxigraph.NamedNode(iri)

    day = pyoxigraph.Literal("2026-12-05", datatype=node("http://www.w3.org/2001/XMLSchema#date"))
    site, page, record = node("https://example.org/"), node(LBR + "a-page"), node(LBR + "s-url")
    url = node("https://schema.org/url")
    extra = [
        pyoxigraph.Quad(node(LBR + "bytedance"), url, site),
        pyoxigraph.Quad(record, node(RDF + "type"), node(RDF + "Statement")),
        pyoxigraph.Quad(record, node(RDF + "subject"), node(LBR + "bytedance")),
        pyoxigraph.Quad(record, node(RDF + "predicate"), url),
        pyoxigraph.Quad(record, node(RDF + "object"), site),
        pyoxigraph.Quad(record, node(PROV + "wasDerivedFrom"), page),
        pyoxigraph.Quad(page, node(RDF + "type"), node(LBO + "Source")),
        pyoxigraph.Quad(page, node(LBO + "consulted"), day),
    ]
    quads = (dataset[0] + extra, dataset[1])
    fact = ("bytedance", "https://schema.org/url", "https://example.org/")
    assert fact not in snapshot(quads, date(2026, 12, 4))
    assert fact in snapshot(quads, date(2026, 12, 5))
    # a publication date, where a page gives one, still decides
    published = pyoxigraph.Quad(
        page, node(LBO + "publicationDate"), pyoxigraph.Literal("2023-02-23", datatype=day.datatype)
    )
    dated = (quads[0] + [published], quads[1])
    assert fact in snapshot(dated, date(2024, 1, 1))
    assert fact not in snapshot(dated, date(2023, 2, 22))


def test_dates_parse_at_every_precision() -> None:
    assert parse_as_of("2021") == date(2021, 1, 1)
    assert parse_as_of("2021-02") == date(2021, 2, 1)
    assert parse_as_of("2021-02-03") == date(2021, 2, 3)
    assert first_day("2021-02") == date(2021, 2, 1)
    for bad in ("2021-13-01", "yesterday", "2021-02-30", ""):
        with pytest.raises(AsOfError):
            parse_as_of(bad)


def test_cli_query_as_of_follows_the_timeline(run_cli) -> None:
    def bosses(day: str) -> list[str]:
        result = run_cli(
            "query", "--name", "zhu-wenjia-reporting", "--as-of", day, "--format", "json"
        )
        assert result.exit_code == 0, result.stderr
        assert f"as of {day}: " in result.stderr and "docs/time-and-claims.md" in result.stderr
        rows = json.loads(result.stdout)["results"]["bindings"]
        return sorted(r["person"]["value"] for r in rows if r["relation"]["value"] == "reports to")

    assert bosses("2016-06-01") == []
    assert bosses("2022-06-01") == [LBR + "shouzi-chew"]


def test_cli_organization_chart_takes_the_snapshot_date(run_cli) -> None:
    def chart(*extra: str) -> str:
        result = run_cli(
            "query", "--name", "organization-chart", "--param", "organization=bytedance",
            "--format", "csv", *extra,
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
        return result.stdout

    old = chart("--as-of", "2016-06-01")
    assert "2016-06-01" in old  # the ?date column is the snapshot's
    assert "Zhu Wenjia" in old and "Toutiao" in old  # Toutiao was ByteDance's in 2015
    assert "Shouzi Chew" not in old and "reports to" not in old and "TikTok" not in old
    assert "2020-06-01" in chart("--as-of", "2020-06-01")
    assert "holds: CEO" in chart("--as-of", "2020-06-01")
    today = chart()
    assert "Shouzi Chew" in today and "reports to" in today


def test_cli_export_and_stats_as_of(run_cli) -> None:
    exported = run_cli("export", "--format", "nt", "--as-of", "2016-06-01")
    assert exported.exit_code == 0, exported.stderr
    first, _, body = exported.stdout.partition("\n")
    assert first.startswith("# as of 2016-06-01: ")
    assert f"<{LBR}zhu-wenjia> <{LBO}reportsTo>" not in body
    assert f"<{LBR}zhu-wenjia-toutiao> <{LBO}holder> <{LBR}zhu-wenjia>" in body
    whole = run_cli("export", "--format", "nt")
    assert f"<{LBR}zhu-wenjia> <{LBO}reportsTo>" in whole.stdout
    stats = run_cli("stats", "--format", "json", "--as-of", "2016-06-01")
    assert stats.exit_code == 0 and "as of 2016-06-01" in stats.stderr
    full = run_cli("stats", "--format", "json")
    assert json.loads(stats.stdout)["triples"] < json.loads(full.stdout)["triples"]


def test_cli_refuses_a_bad_date_in_one_line(run_cli) -> None:
    result = run_cli("query", "--name", "zhu-wenjia-reporting", "--as-of", "2021-13-01")
    assert result.exit_code == 2
    assert result.stderr.strip().splitlines()[-1].startswith("Error: as-of date '2021-13-01'")
    assert "Traceback" not in result.stderr


def test_cli_build_as_of_publishes_the_snapshot(run_cli, tmp_path) -> None:
    out = tmp_path / "dist-2016"
    result = run_cli("build", "--out", str(out), "--pages", "none", "--as-of", "2016-06-01")
    assert result.exit_code == 0, result.output
    assert "as of 2016-06-01: " in result.stderr
    dump = (out / "dataset.nt").read_text(encoding="utf-8")
    assert f"<{LBR}zhu-wenjia> <{LBO}reportsTo>" not in dump
    assert f"<{LBR}zhu-wenjia-toutiao> <{LBO}holder> <{LBR}zhu-wenjia>" in dump
