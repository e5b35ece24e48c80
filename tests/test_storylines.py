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
