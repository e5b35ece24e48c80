"""The race after the article: each contributed storyline answers its question (llmboom query).

The facts come from the research submissions under data/submissions/ (docs/sources.md lists
their sources); every answer is checked together with the sources it rests on.
"""

from __future__ import annotations

import json

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
