"""`llmboom query` through the command line."""

from __future__ import annotations

import csv
import io
import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph
import pytest

from llmboom.namespaces import LBR
from tests.conftest import REPO
from tests.test_queries import COMPETENCY_QUERIES

#: The article's date: later reports (submissions) change Zhu Wenjia's reporting line after it.
ARTICLE_DATE = "2023-02-23"


def _data_snapshot() -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in sorted((REPO / "data").rglob("*")) if p.is_file()}


def test_list_shows_every_competency_query_with_its_title(run_cli) -> None:
    result = run_cli("query", "--list")
    assert result.exit_code == 0, result.stderr
    names = {line.split()[0] for line in result.stdout.splitlines()}
    assert names >= COMPETENCY_QUERIES
    assert "A person's reporting chain (by default Shouzi Chew's)" in result.stdout


def test_list_as_json_carries_the_descriptions(run_cli) -> None:
    result = run_cli("query", "--list", "--format", "json")
    assert result.exit_code == 0, result.stderr
    entries = {entry["name"]: entry for entry in json.loads(result.stdout)}
    assert "reportsTo" in entries["reporting-chain"]["description"]


def test_named_query_as_csv(run_cli) -> None:
    result = run_cli(
        "query", "--name", "reporting-chain", "--format", "csv", "--as-of", ARTICLE_DATE
    )
    assert result.exit_code == 0, result.stderr
    records = list(csv.DictReader(io.StringIO(result.stdout)))
    assert {(r["member"], r["depth"]) for r in records} == {
        (LBR + "zhu-wenjia", "1"),
        (LBR + "head-of-bytedance-language-model-team", "2"),
        (LBR + "head-of-bytedance-image-model-team", "2"),
    }


def test_query_string_without_prefix_declarations_as_table(run_cli) -> None:
    query = "SELECT ?boss WHERE { lbr:zhu-wenjia lbo:reportsTo ?boss }"
    result = run_cli("query", query, "--as-of", ARTICLE_DATE)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines() == ["boss", "---------------", "lbr:shouzi-chew"]


def test_ontology_is_in_its_named_graph(run_cli) -> None:
    query = (
        "ASK { GRAPH <https://w3id.org/llmboom/ontology> { lbo:reportsTo a owl:ObjectProperty } }"
    )
    result = run_cli("query", query)
    assert (result.exit_code, result.stdout) == (0, "true\n")


def test_construct_as_turtle(run_cli) -> None:
    result = run_cli(
        "query",
        "CONSTRUCT WHERE { ?who lbo:reportsTo lbr:zhu-wenjia }",
        "--format",
        "turtle",
        "--as-of",
        ARTICLE_DATE,
    )
    assert result.exit_code == 0, result.stderr
    triples = {
        (q.subject.value, q.object.value)
        for q in pyoxigraph.parse(result.stdout.encode(), pyoxigraph.RdfFormat.TURTLE)
    }
    assert triples == {
        (LBR + "head-of-bytedance-language-model-team", LBR + "zhu-wenjia"),
        (LBR + "head-of-bytedance-image-model-team", LBR + "zhu-wenjia"),
    }


def test_query_from_a_file_and_from_stdin(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "q.rq"
    path.write_text("ASK { lbr:tiktok lbo:ownedBy lbr:bytedance }\n", encoding="utf-8")
    assert run_cli("query", "-f", str(path)).stdout == "true\n"
    result = run_cli("query", "-f", "-", input="ASK { lbr:bytedance lbo:ownedBy lbr:tiktok }")
    assert (result.exit_code, result.stdout) == (0, "false\n")


def test_a_bad_query_exits_2_with_one_line(run_cli) -> None:
    result = run_cli("query", "SELEC")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith("Error: query:1:6: ")
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.stderr


def test_an_error_in_a_query_file_names_the_file_and_line(run_cli, tmp_path: Path) -> None:
    path = tmp_path / "broken.rq"
    path.write_text("# title: Broken\nSELECT ?x WHERE {\n  ?x nope:thing ?y\n}\n", encoding="utf-8")
    result = run_cli("query", "-f", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}:3:")
    assert "unknown prefix 'nope:'" in result.stderr


def test_a_missing_query_file_exits_2(run_cli, tmp_path: Path) -> None:
    result = run_cli("query", "-f", str(tmp_path / "absent.rq"))
    assert result.exit_code == 2
    assert "absent.rq" in result.stderr


def test_an_update_is_refused_and_nothing_changes(run_cli) -> None:
    before = _data_snapshot()
    result = run_cli("query", "DELETE WHERE { ?s ?p ?o }")
    assert result.exit_code == 2
    assert "read-only" in result.stderr
    assert _data_snapshot() == before


def test_an_unknown_name_lists_the_named_queries(run_cli) -> None:
    result = run_cli("query", "--name", "reporting")
    assert result.exit_code == 2
    assert "reporting-chain" in result.stderr


def test_a_format_that_does_not_fit_exits_2(run_cli) -> None:
    result = run_cli("query", "--name", "planned-launches", "--format", "turtle")
    assert result.exit_code == 2
    assert "does not apply" in result.stderr


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("ASK {}", "--name", "reporting-chain"),
        ("--list", "--name", "reporting-chain"),
        ("-f", "x.rq", "ASK {}"),
    ],
)
def test_exactly_one_query_source(run_cli, args: tuple[str, ...]) -> None:
    result = run_cli("query", *args)
    assert result.exit_code == 2
    assert "exactly one of" in result.stderr


def test_help_has_an_example(run_cli) -> None:
    result = run_cli("query", "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout
    assert "llmboom query --name reporting-chain" in result.stdout


def test_the_query_path_imports_neither_rdflib_nor_pyshacl() -> None:
    """`llmboom query --name` must start fast: the heavy libraries stay unloaded."""
    program = (
        "import sys\n"
        "from llmboom.cli import cli\n"
        f"cli(['--root', {str(REPO)!r}, 'query', '--name', 'reporting-chain'],"
        " standalone_mode=False)\n"
        "heavy = sorted(m for m in ('rdflib', 'pyshacl', 'pyld') if m in sys.modules)\n"
        "print('HEAVY', heavy)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert "lbr:zhu-wenjia" in done.stdout
    assert "HEAVY []" in done.stdout


def test_lbr_in_a_typed_query_follows_a_rebased_project(run_cli) -> None:
    query = "SELECT ?boss WHERE { lbr:zhu-wenjia lbo:reportsTo ?boss }"
    base = ("--base", "http://example.org/id/")
    result = run_cli(*base, "query", query, "--format", "csv", "--as-of", ARTICLE_DATE)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.splitlines()[1:] == ["http://example.org/id/shouzi-chew"]


def _children(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as children:
            return [int(child) for child in children.read().split()]
    except OSError:
        return []


CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


def test_ctrl_c_stops_a_runaway_query_at_once() -> None:
    """A real SIGINT while the worker evaluates a cartesian product: one line, exit 2, and
    the worker is gone."""
    process = subprocess.Popen(
        [sys.executable, "-m", "llmboom", "--root", str(REPO), "query", CARTESIAN],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while not _children(process.pid) and time.monotonic() < deadline:
        time.sleep(0.02)
    workers = _children(process.pid)
    assert workers, "the query worker never started"
    time.sleep(0.3)  # well inside the evaluation
    process.send_signal(signal.SIGINT)
    sent = time.monotonic()
    stdout, stderr = process.communicate(timeout=10)
    assert time.monotonic() - sent < 2
    assert process.returncode == 2
    assert stderr == "Error: interrupted\n"
    assert stdout == ""
    time.sleep(0.1)
    assert not any(Path(f"/proc/{pid}").exists() for pid in workers)


def test_a_query_past_its_timeout_exits_2_with_one_line(run_cli) -> None:
    result = run_cli("query", CARTESIAN.replace("*", "(COUNT(*) AS ?n)"), "--timeout", "0.5")
    assert result.exit_code == 2
    assert result.stderr == (
        "Error: query: the query did not finish within 0.5 s and was stopped "
        "(raise the limit with --timeout, or narrow the query)\n"
    )


@pytest.mark.parametrize("value", ["0", "-1", "soon"])
def test_the_timeout_must_be_a_positive_number(run_cli, value: str) -> None:
    result = run_cli("query", "ASK {}", "--timeout", value)
    assert result.exit_code == 2
    assert "--timeout" in result.stderr


@pytest.mark.parametrize("name", ["reporting-chain", "positions", "resource-facts"])
def test_a_parameterised_query_answers_each_argument(run_cli, name: str) -> None:
    from tests.test_queries import PARAMETERISED

    outputs = []
    for values in PARAMETERISED[name]:
        params = [arg for key, value in values.items() for arg in ("--param", f"{key}={value}")]
        result = run_cli("query", "--name", name, *params, "--format", "csv")
        assert result.exit_code == 0, result.stderr
        rows = list(csv.DictReader(io.StringIO(result.stdout)))
        assert rows
        bound = next(iter(values.values()))
        assert {row[next(iter(values))] for row in rows} == {LBR + bound}
        outputs.append(rows)
    assert outputs[0] != outputs[1]


def test_reporting_chain_of_zhu_wenjia(run_cli) -> None:
    result = run_cli(
        "query",
        "--name",
        "reporting-chain",
        "--param",
        "person=zhu-wenjia",
        "-F",
        "csv",
        "--as-of",
        ARTICLE_DATE,
    )
    members = {row["member"] for row in csv.DictReader(io.StringIO(result.stdout))}
    assert members == {
        LBR + "head-of-bytedance-image-model-team",
        LBR + "head-of-bytedance-language-model-team",
    }


def test_organization_chart_as_of_two_dates(run_cli) -> None:
    def held(date: str) -> set[tuple[str, str]]:
        result = run_cli(
            "query", "-n", "organization-chart", "-p", "organization=bytedance",
            "-p", f"date={date}", "-F", "csv",
        )  # fmt: skip
        assert result.exit_code == 0, result.stderr
        rows = csv.DictReader(io.StringIO(result.stdout))
        return {
            (row["nodeLabel"], row["relation"])
            for row in rows
            if row["relation"].startswith("holds")
        }

    assert ("Zhu Wenjia", "holds: CEO") in held("2020-01-01")
    assert ("Zhu Wenjia", "holds: CEO") not in held("2023-02-23")
    assert ("Zhu Wenjia", "holds: head of product technology") in held("2023-02-23")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--name", "positions"), "missing parameter 'person'"),
        (("--name", "positions", "--param", "person=x> } ; DROP ALL ; #"), "is not a slug"),
        (("--name", "positions", "--param", "person"), "expected NAME=VALUE"),
        (("--name", "positions", "--param", "who=zhu-wenjia"), "no parameter 'who'"),
        (
            ("--name", "organization-chart", "-p", "organization=bytedance", "-p", "date=x"),
            "is not a date",
        ),
    ],
)
def test_a_bad_parameter_is_one_line_and_exit_2(run_cli, args, message: str) -> None:
    before = _data_snapshot()
    result = run_cli("query", *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ") and message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert _data_snapshot() == before


def test_list_shows_the_parameters(run_cli) -> None:
    result = run_cli("query", "--list")
    assert "--param person=<iri> = shouzi-chew" in result.stdout
    assert "--param organization=<iri> (required)" in result.stdout
    entries = {e["name"]: e for e in json.loads(run_cli("query", "--list", "-F", "json").stdout)}
    assert [p["name"] for p in entries["organization-chart"]["parameters"]] == [
        "organization",
        "date",
    ]


def test_named_queries_follow_a_rebased_project(run_cli) -> None:
    base = "https://example.org/kg/"
    result = run_cli("--base", base, "query", "--name", "reporting-chain", "-F", "csv")
    assert result.exit_code == 0, result.stderr
    members = {row["member"] for row in csv.DictReader(io.StringIO(result.stdout))}
    assert base + "zhu-wenjia" in members


def test_provenance_footnotes_quote_the_sentence_with_its_attribution(run_cli) -> None:
    query = "SELECT ?boss WHERE { lbr:zhu-wenjia lbo:reportsTo ?boss }"
    result = run_cli("query", query, "--provenance", "--as-of", ARTICLE_DATE)
    assert result.exit_code == 0, result.stderr
    table, footnotes = result.stdout.split("\n\n", 1)
    header, _, row = table.splitlines()
    assert header.split() == ["boss", "sources"]
    assert row.split() == ["lbr:shouzi-chew", "1"]
    assert footnotes.startswith("[1] lbr:zhu-wenjia lbo:reportsTo lbr:shouzi-chew\n")
    assert "report his work to TikTok CEO Shouzi Chew" in footnotes
    assert "attributed to the article's own reporting" in footnotes


def test_provenance_in_json_is_one_more_key_per_row(run_cli) -> None:
    query = "SELECT ?unit WHERE { lbr:bytedance-language-model-team lbo:ledBy ?unit }"
    result = run_cli("query", query, "--provenance", "--format", "json")
    assert result.exit_code == 0, result.stderr
    (row,) = json.loads(result.stdout)["results"]["bindings"]
    assert row["unit"]["value"] == LBR + "bytedance-search-department"
    provenance = row["@provenance"]
    assert provenance["onlyAnonymous"] is True
    (support,) = provenance["supports"]
    assert support["records"][0]["attributionLabel"] == "a person familiar with the matter"


def test_provenance_of_a_named_query_and_formats_without_it(run_cli) -> None:
    result = run_cli("query", "--name", "reporting-chain", "--provenance")
    assert result.exit_code == 0, result.stderr
    assert "[1] lbr:zhu-wenjia lbo:reportsTo lbr:shouzi-chew" in result.stdout
    refused = run_cli("query", "--name", "reporting-chain", "--provenance", "--format", "csv")
    assert refused.exit_code == 2
    assert "--provenance" in refused.stderr
