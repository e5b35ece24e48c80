"""`llmboom submit`: the three report formats and the exit statuses (dry runs only)."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph

from tests.conftest import REPO
from tests.submission_support import PREFIXES, SECOND_SOURCE, submit_cli

SH = "http://www.w3.org/ns/shacl#"


def _results(turtle: str) -> list:
    store = pyoxigraph.Store()
    store.extend(pyoxigraph.parse(turtle.encode(), pyoxigraph.RdfFormat.TURTLE))
    return list(store.quads_for_pattern(None, pyoxigraph.NamedNode(SH + "result"), None))


def test_turtle_report_holds_policy_problems(tmp_path: Path) -> None:
    path = tmp_path / "schema.ttl"
    path.write_text(PREFIXES + "lbo:reportsTo a owl:SymmetricProperty .\n", encoding="utf-8")
    result = submit_cli(REPO, "submit", str(path), "--format", "turtle")
    assert result.exit_code == 1
    assert len(_results(result.stdout)) == 2
    assert "sh:conforms false" in result.stdout


def test_turtle_report_of_an_accepted_submission_is_empty() -> None:
    result = submit_cli(REPO, "submit", str(SECOND_SOURCE), "--format", "turtle")
    assert result.exit_code == 0, result.output
    assert _results(result.stdout) == []


def test_json_report_of_a_shape_violation(tmp_path: Path) -> None:
    path = tmp_path / "fact.ttl"
    path.write_text(PREFIXES + "lbr:baidu lbo:usesTechnology lbr:aigc .\n", encoding="utf-8")
    result = submit_cli(REPO, "submit", str(path), "--format", "json")
    assert result.exit_code == 1
    document = json.loads(result.stdout)
    assert document["outcome"] == "refused"
    assert document["problems"] == []
    constraints = {r["source_constraint"] for r in document["validation"]["results"]}
    assert "https://w3id.org/llmboom/shapes#FactHasStatementRecord" in constraints


def test_unsupported_suffix_exits_2(tmp_path: Path) -> None:
    path = tmp_path / "facts.csv"
    path.write_text("a,b\n", encoding="utf-8")
    result = submit_cli(REPO, "submit", str(path))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}: unknown RDF file suffix '.csv'")


def test_json_ld_with_costly_scoped_contexts_exits_2_at_once(tmp_path: Path) -> None:
    import time

    from tests.test_jsonld_bounds import scoped_context_jsonld

    path = tmp_path / "scoped.jsonld"
    path.write_bytes(scoped_context_jsonld())
    started = time.monotonic()
    result = submit_cli(REPO, "submit", str(path))
    assert time.monotonic() - started < 10
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {path}: JSON-LD contexts too costly to process")
    assert result.stderr.count("\n") == 1
