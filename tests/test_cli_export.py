"""`llmboom export`, `llmboom stats`, `llmboom diff` through the command line."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph
import pytest

from llmboom.formats import FORMATS, by_name
from llmboom.namespaces import RDF


@pytest.mark.parametrize("fmt", FORMATS, ids=[f.name for f in FORMATS])
def test_export_each_format_to_stdout(run_cli, fmt, data_quads) -> None:
    result = run_cli("export", "--format", fmt.name)
    assert result.exit_code == 0, result.stderr
    parsed = set(pyoxigraph.parse(result.stdout_bytes, fmt.oxigraph_format))
    assert len(parsed) == len(set(data_quads))


def test_export_writes_a_file_atomically_with_format_from_suffix(run_cli, tmp_path) -> None:
    target = tmp_path / "out.nt"
    target.write_text("old content")
    result = run_cli("export", "-o", str(target))
    assert result.exit_code == 0, result.stderr
    assert result.stdout == ""
    assert str(target) in result.stderr
    data = target.read_bytes()
    assert data.startswith(b"<https://w3id.org/llmboom/")
    assert list(tmp_path.iterdir()) == [target]  # no temporary file left behind
    again = run_cli("export", "--format", "nt")
    assert again.stdout_bytes == data


def test_export_truthy_view_has_no_statement_records(run_cli) -> None:
    result = run_cli("export", "--format", "nt", "--view", "truthy")
    assert result.exit_code == 0, result.stderr
    quads = list(pyoxigraph.parse(result.stdout_bytes, pyoxigraph.RdfFormat.N_TRIPLES))
    assert quads
    assert not any(q.object.value == RDF + "Statement" for q in quads)
    assert not any(q.predicate.value == RDF + "subject" for q in quads)


def test_export_frame_gives_a_tree(run_cli) -> None:
    result = run_cli("export", "--frame", "organization", "--node", "bytedance")
    assert result.exit_code == 0, result.stderr
    (bytedance,) = json.loads(result.stdout)["@graph"]
    units = {u["id"]: u for u in bytedance["units"]}
    team = units["lbr:bytedance-search-department"]["teams"][0]
    assert team["head"]["reportsTo"]["label"] == "Zhu Wenjia"


def test_export_unknown_frame_lists_frames_and_writes_nothing(run_cli, tmp_path) -> None:
    target = tmp_path / "framed.jsonld"
    result = run_cli("export", "--frame", "nope", "-o", str(target))
    assert result.exit_code == 2
    assert "organization, person" in result.stderr
    assert "Traceback" not in result.stderr
    assert not target.exists()


def test_export_frame_with_a_non_jsonld_format_is_refused(run_cli) -> None:
    result = run_cli("export", "--format", "turtle", "--frame", "person")
    assert result.exit_code == 2
    assert "JSON-LD" in result.stderr


def test_export_unknown_format_is_a_usage_error(run_cli) -> None:
    result = run_cli("export", "--format", "csv")
    assert result.exit_code == 2
    assert "csv" in result.stderr


def test_stats_text_and_json(run_cli, data_quads) -> None:
    text = run_cli("stats")
    assert text.exit_code == 0, text.stderr
    assert "statement records" in text.stdout and "lbo:Person" in text.stdout
    result = run_cli("stats", "--format", "json")
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["triples"] == len(set(data_quads))
    assert data["classes"]["rdf:Statement"] == data["statements"]


def _write(path: Path, quads, name: str = "nt") -> Path:
    from llmboom.export import serialize

    path.write_bytes(serialize(quads, by_name(name)))
    return path


def test_diff_exit_codes_and_outputs(run_cli, tmp_path, data_quads) -> None:
    old = _write(tmp_path / "old.nt", data_quads)
    same = _write(tmp_path / "same.ttl", data_quads, "turtle")
    equal = run_cli("diff", str(old), str(same))
    assert equal.exit_code == 0, equal.stderr
    assert equal.stdout == ""
    dropped = [q for q in data_quads if not q.subject.value.endswith("/zhu-wenjia")]
    new = _write(tmp_path / "new.nt", dropped)
    text = run_cli("diff", str(old), str(new))
    assert text.exit_code == 1, text.stderr
    lines = text.stdout.splitlines()
    assert lines and all(
        line.startswith("- <https://w3id.org/llmboom/id/zhu-wenjia>") for line in lines
    )
    assert "removed" in text.stderr
    as_json = run_cli("diff", str(new), str(old), "--format", "json")
    assert as_json.exit_code == 1
    data = json.loads(as_json.stdout)
    assert data["equal"] is False and data["added_count"] == len(lines) and data["removed"] == []


def test_diff_unreadable_input_exits_2(run_cli, tmp_path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text("@prefix x: <http://e/> .\nx:a x:b .\n")
    result = run_cli("diff", str(broken), str(broken))
    assert result.exit_code == 2
    assert f"{broken}:2" in result.stderr
    assert "Traceback" not in result.stderr
    missing = run_cli("diff", str(tmp_path / "nope.ttl"), str(broken))
    assert missing.exit_code == 2
