"""The race after the article: each contributed storyline answers its question (llmboom query).

The facts come from the research submissions under data/submissions/ (docs/sources.md lists
their sources); every answer is checked together with the sources it rests on.
"""

from __future__ import annotations

import json

import pytest

from llmboom.namespaces import LBR


def _rows(run_cli, *args: str) -> list[dict[str, str]]:
    """The answer of `llmboom query ARGS --format json` as rows of plain values."""
    result = run_cli("query", *args, "--format", "json")
    assert result.exit_code == 0, result.stderr
    bindings = json.loads(result.stdout)["results"]["bindings"]
    return [{name: term["value"] for name, term in row.items()} for row in bindings]


def _slug(iri: str) -> str:
    assert iri.startswith(LBR), iri
    return iri[len(LBR) :]


def test_ernie_bot_was_planned_for_march_2023_and_unveiled_on_16_march(run_cli) -> None:
    rows = [
        row
        for row in _rows(run_cli, "--name", "model-launches")
        if row["model"] == LBR + "baidu-large-language-model"
    ]
    planned = {(row["date"], _slug(row["source"])) for row in rows if row["kind"] == "planned"}
    launched = {(row["date"], _slug(row["source"])) for row in rows if row["kind"] == "launched"}
    assert ("2023-03", "article") in planned
    assert ("2023-03", "global-times-2023-02-07-baidu-ernie-bot") in planned
    assert {date for date, _ in launched} == {"2023-03-16"}
    assert {source for _, source in launched} == {
        "semafor-2023-03-16-baidu-debuts-ernie-bot",
        "the-paper-2023-03-17-baidu-releases-wenxin-yiyan",
    }
    semafor = next(
        r for r in rows if r["source"].endswith("semafor-2023-03-16-baidu-debuts-ernie-bot")
    )
    assert (semafor["publisherLabel"], semafor["published"]) == ("Semafor", "2023-03-16")


def test_ernie_bot_is_found_by_its_names(run_cli) -> None:
    query = 'SELECT ?model WHERE { ?model skos:altLabel "ERNIE Bot"@en }'
    assert [row["model"] for row in _rows(run_cli, query)] == [LBR + "baidu-large-language-model"]


def test_meituan_bought_light_year_and_the_price_is_disputed(run_cli) -> None:
    rows = _rows(run_cli, "--name", "acquisitions")
    assert {(r["acquirerLabel"], r["acquiredLabel"], r["date"]) for r in rows} == {
        ("Meituan", "Light Year", "2023-06-29")
    }
    claims = {(r["part"], r["amount"], r["currency"], r["rank"], _slug(r["source"])) for r in rows}
    total = {c for c in claims if c[0] == "total"}
    assert (
        "total",
        "2065000000",
        "CNY",
        "preferred",
        "tmtpost-2023-06-30-meituan-buys-light-year",
    ) in total
    assert (
        "total",
        "281000000",
        "USD",
        "deprecated",
        "china-economic-review-2023-06-30-meituan-buys-out-light-year",
    ) in total
    debt = {(c[1], c[3]) for c in claims if c[0] == "assumed debt"}
    assert ("366900000", "preferred") in debt
    assert ("336900000", "deprecated") in debt
    assert all(r.get("rankReason") for r in rows if r["rank"] != "normal")
    cash = {(c[1], c[2]) for c in claims if c[0] == "cash"}
    assert cash == {("233700000", "USD")}


def test_wang_huiwen_left_meituans_board_in_june_2023(run_cli) -> None:
    rows = _rows(run_cli, "--name", "positions", "--param", "person=wang-huiwen")
    director = [
        r for r in rows if r.get("position") == LBR + "wang-huiwen-meituan-non-executive-director"
    ]
    assert director, rows
    assert {r.get("end") for r in director} == {"2023-06-25"}


def test_wang_xiaochuan_founded_baichuan_in_april_2023_and_its_first_models(run_cli) -> None:
    rows = [
        row
        for row in _rows(run_cli, "--name", "founders")
        if row["organization"] == LBR + "baichuan-intelligence"
    ]
    assert {row["founderLabel"] for row in rows} == {"Wang Xiaochuan", "Ru Liyun"}
    assert {row["foundingDate"] for row in rows} == {"2023-04"}
    wang = {_slug(row["source"]) for row in rows if row["founderLabel"] == "Wang Xiaochuan"}
    assert "technode-2023-04-11-sogou-founder-new-ai-venture" in wang
    models = {
        row["modelLabel"]
        for row in _rows(
            run_cli,
            "SELECT ?modelLabel WHERE { lbr:baichuan-intelligence lbo:announcedModel ?m . "
            '?m rdfs:label ?modelLabel FILTER (lang(?modelLabel) = "en") }',
        )
    }
    assert {"Baichuan-7B", "Baichuan-13B"} <= models
    based = _rows(run_cli, "SELECT ?base WHERE { lbr:baichuan-13b lbo:basedOn ?base }")
    assert [row["base"] for row in based] == [LBR + "baichuan-7b"]


def test_mobvoi_and_its_model_sequence_monkey(run_cli) -> None:
    rows = _rows(
        run_cli,
        "SELECT ?model ?base ?founder WHERE { lbr:mobvoi lbo:announcedModel ?model ; "
        "lbo:founder ?founder . OPTIONAL { ?model lbo:basedOn ?base } }",
    )
    assert {(r["model"], r.get("base")) for r in rows} >= {(LBR + "sequence-monkey", LBR + "uclai")}
    assert {r["founder"] for r in rows} == {LBR + "li-zhifei"}


def test_the_language_model_teams_head_reports_to_two_bosses_by_source(run_cli) -> None:
    rows = _rows(
        run_cli,
        "--name",
        "reporting-lines",
        "--param",
        "person=head-of-bytedance-language-model-team",
    )
    by_boss = {_slug(r["boss"]): r for r in rows}
    assert set(by_boss) == {"zhu-wenjia", "yang-zhenyuan"}
    assert _slug(by_boss["zhu-wenjia"]["source"]) == "article"
    new = by_boss["yang-zhenyuan"]
    assert _slug(new["source"]) == "technode-2023-03-23-bytedance-hires-yang-hongxia"
    assert (new["rank"], new["validFrom"], new["anonymous"]) == ("preferred", "2023-03", "true")


def test_yang_hongxia_reports_to_yang_zhenyuan_according_to_36kr(run_cli) -> None:
    rows = _rows(run_cli, "--name", "reporting-lines", "--param", "person=yang-hongxia")
    assert [(_slug(r["boss"]), r["publisherLabel"], r["published"]) for r in rows] == [
        ("yang-zhenyuan", "TechNode", "2023-03-23")
    ]
    assert "36Kr" in rows[0]["attributionLabel"]


def test_zhu_wenjias_reporting_line_changes_over_time(run_cli) -> None:
    rows = _rows(run_cli, "--name", "reporting-lines", "--param", "person=zhu-wenjia")
    bosses = [_slug(r["boss"]) for r in rows]
    assert bosses.index("shouzi-chew") < bosses.index("liang-rubo") < bosses.index("wu-yonghui")
    liang = [r for r in rows if r["boss"].endswith("liang-rubo")]
    # one record citing two reports: the March 2025 one for the line, the October one for its end
    assert {_slug(r["source"]) for r in liang} == {
        "star-market-daily-2025-03-18-seed-all-hands",
        "xyk126-2025-10-zhu-wenjia-reporting-line",
    }
    assert {(r["pointInTime"], r["validUntil"], r["rank"], r["anonymous"]) for r in liang} == {
        ("2025-03-18", "2025-10", "preferred", "true")
    }
    (wu,) = [r for r in rows if r["boss"].endswith("wu-yonghui")]
    assert (wu["validFrom"], wu["rank"], wu["published"]) == ("2025-10", "preferred", "2025-10")


@pytest.mark.parametrize(
    ("date", "boss"),
    [
        ("2022-06-01", "shouzi-chew"),
        ("2024-06-01", "shouzi-chew"),
        ("2025-06-01", "liang-rubo"),
        ("2025-12-01", "wu-yonghui"),
    ],
)
def test_whom_zhu_wenjia_reports_to_as_of_a_date(run_cli, date: str, boss: str) -> None:
    """The as-of snapshot: a later preferred report supersedes an open-ended line."""
    query = "SELECT ?boss WHERE { lbr:zhu-wenjia lbo:reportsTo ?boss }"
    rows = _rows(run_cli, "--as-of", date, query)
    assert [_slug(r["boss"]) for r in rows] == [boss]


def test_the_team_heads_boss_as_of_the_article_and_a_month_later(run_cli) -> None:
    query = "SELECT ?boss WHERE { lbr:head-of-bytedance-language-model-team lbo:reportsTo ?boss }"
    assert [_slug(r["boss"]) for r in _rows(run_cli, "--as-of", "2023-02-23", query)] == [
        "zhu-wenjia"
    ]
    assert [_slug(r["boss"]) for r in _rows(run_cli, "--as-of", "2023-04-01", query)] == [
        "yang-zhenyuan"
    ]


def test_bytedance_seed_doubao_and_wu_yonghui(run_cli) -> None:
    rows = _rows(
        run_cli,
        "SELECT ?unit ?founded ?head WHERE { ?unit lbo:partOf lbr:bytedance ; "
        "lbo:foundingDate ?founded . OPTIONAL { ?p lbo:inOrganization ?unit ; lbo:holder ?head } }",
    )
    founded = {(_slug(r["unit"]), r["founded"]) for r in rows}
    assert {("bytedance-seed", "2023"), ("bytedance-flow", "2023-11")} <= founded
    assert LBR + "wu-yonghui" in {r.get("head") for r in rows if r["unit"].endswith("seed")}
    doubao = _rows(
        run_cli, "SELECT ?date ?base WHERE { lbr:doubao lbo:launchDate ?date ; lbo:basedOn ?base }"
    )
    assert doubao == [{"date": "2023-08", "base": LBR + "skylark"}]


@pytest.mark.parametrize(
    ("resource", "name", "language"),
    [
        ("bytedance", "字节跳动", "zh-hans"),
        ("bytedance", "字節跳動", "zh-hant"),
        ("zhu-wenjia", "朱文佳", "zh-hant"),
        ("baidu", "百度", "zh-hans"),
        ("meituan", "美团", "zh-hans"),
        ("wang-huiwen", "王慧文", "zh-hans"),
        ("wang-xiaochuan", "王小川", "zh-hans"),
        ("li-zhifei", "李志飞", "zh-hans"),
        ("mobvoi", "出门问问", "zh-hans"),
        ("sogou", "搜狗", "zh-hans"),
        ("douyin", "抖音", "zh-hans"),
        ("toutiao", "今日头条", "zh-hans"),
        ("volcano-engine", "火山引擎", "zh-hans"),
        ("zhang-yiming", "张一鸣", "zh-hans"),
        ("shouzi-chew", "周受資", "zh-hant"),
    ],
)
def test_chinese_names_come_with_their_sources(
    run_cli, resource: str, name: str, language: str
) -> None:
    rows = [r for r in _rows(run_cli, "--name", "names") if r["resource"] == LBR + resource]
    found = [r for r in rows if r["name"] == name and r["language"].lower() == language]
    assert found, rows
    assert all(r.get("source") and r.get("published") for r in found)
    # one name per language tag
    assert len({r["name"] for r in rows if r["language"].lower() == language}) == 1


def test_ernie_bot_is_found_by_its_chinese_name(run_cli) -> None:
    query = 'SELECT ?model WHERE { ?model rdfs:label "文心一言"@zh-Hans }'
    assert [row["model"] for row in _rows(run_cli, query)] == [LBR + "baidu-large-language-model"]
