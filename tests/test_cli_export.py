"""`llmboom export`, `llmboom stats`, `llmboom diff` through the command line."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pyoxigraph
import pytest

from llmboom.namespaces import ONTOLOGY_IRI, RDF
from llmboom.rdf.formats import FORMATS, by_name


@pytest.mark.parametrize("fmt", FORMATS, ids=[f.name for f in FORMATS])
def test_export_each_format_to_stdout(run_cli, fmt, data_quads) -> None:
    result = run_cli("export", "--format", fmt.name)
    assert result.exit_code == 0, result.stderr
    parsed = set(pyoxigraph.parse(result.stdout_bytes, fmt.oxigraph_format))
    data = [q for q in parsed if isinstance(q.graph_name, pyoxigraph.DefaultGraph)]
    assert len(data) == len(set(data_quads))
    named = {q.graph_name for q in parsed} - {pyoxigraph.DefaultGraph()}
    assert named == ({pyoxigraph.NamedNode(ONTOLOGY_IRI)} if fmt.quads else set())


@pytest.mark.parametrize("name", ["trig", "nq"])
def test_quad_formats_round_trip_with_their_graph_names(run_cli, project, name) -> None:
    from llmboom.store.embedded import EmbeddedStore

    fmt = by_name(name)
    result = run_cli("export", "--format", name)
    assert result.exit_code == 0, result.stderr
    exported = set(pyoxigraph.parse(result.stdout_bytes, fmt.oxigraph_format))
    queried = EmbeddedStore.in_memory(project).oxigraph  # what `llmboom query` sees
    assert exported == set(queried)  # graph for graph
    again = run_cli("export", "--format", "nq" if name == "trig" else "trig")
    other = by_name("nq" if name == "trig" else "trig")
    assert set(pyoxigraph.parse(again.stdout_bytes, other.oxigraph_format)) == exported


@pytest.mark.parametrize(
    "args",
    [
        (),
        ("--view", "truthy"),
        ("--frame", "organization"),
        ("--frame", "organization", "--node", "bytedance"),
        ("--frame", "person", "--node", "zhu-wenjia"),
    ],
)
def test_every_exported_json_ld_file_validates(run_cli, tmp_path, args) -> None:
    target = tmp_path / "export.jsonld"
    assert run_cli("export", "-o", str(target), *args).exit_code == 0
    result = run_cli("validate", str(target))
    assert result.exit_code == 0, result.stdout + result.stderr


def test_json_ld_naming_the_published_context_is_read_without_a_fetch(run_cli, tmp_path) -> None:
    from llmboom.namespaces import CONTEXT_URL

    document = {
        "@context": CONTEXT_URL,
        "@id": "lbr:zhu-wenjia",
        "label": {"en": "Zhu Wenjia"},
        "reportsTo": "lbr:shouzi-chew",
    }
    named = tmp_path / "named.jsonld"
    named.write_text(json.dumps(document), encoding="utf-8")
    result = run_cli("validate", str(named))
    assert result.exit_code == 0, result.stdout + result.stderr
    framed = tmp_path / "framed.jsonld"
    run_cli("export", "--frame", "person", "-o", str(framed))
    tree = json.loads(framed.read_text(encoding="utf-8"))
    tree["@context"] = [CONTEXT_URL, *tree["@context"][1:]]  # as the frame itself names it
    framed.write_text(json.dumps(tree), encoding="utf-8")
    assert run_cli("validate", str(framed)).exit_code == 0
    other = tmp_path / "other.jsonld"
    other.write_text(json.dumps({**document, "@context": "https://example.org/c.jsonld"}))
    refused = run_cli("validate", str(other))
    assert refused.exit_code == 2
    assert "not fetched" in refused.stderr


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
    # as of the article's date: later reports add a second boss for the team's head
    args = ("--frame", "organization", "--node", "bytedance", "--as-of", "2023-02-23")
    result = run_cli("export", *args)
    assert result.exit_code == 0, result.stderr
    (bytedance,) = json.loads(result.stdout)["@graph"]
    units = {u["id"]: u for u in bytedance["units"]}
    team = units["lbr:bytedance-search-department"]["teams"][0]
    assert team["head"]["reportsTo"]["label"]["en"] == "Zhu Wenjia"


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


@pytest.mark.parametrize("base", ["https://example.org/kg/", "https://example.org/kg#"])
def test_frames_and_shapes_follow_a_rebased_project(run_cli, base: str) -> None:
    framed = run_cli("--base", base, "export", "--frame", "organization", "--node", "bytedance")
    assert framed.exit_code == 0, framed.stderr
    tree = json.loads(framed.stdout)
    assert [node["id"] for node in tree["@graph"]] == ["lbr:bytedance"]
    assert tree["@context"][0]["lbr"] == base
    checked = run_cli("--base", base, "validate")
    assert checked.exit_code == 0, checked.stdout


def _special_targets(tmp_path: Path) -> dict[str, Path]:
    os.mkfifo(tmp_path / "fifo")
    (tmp_path / "real.ttl").write_text("keep me")
    (tmp_path / "link.ttl").symlink_to(tmp_path / "real.ttl")
    (tmp_path / "readonly.ttl").write_text("keep me too")
    (tmp_path / "readonly.ttl").chmod(0o444)
    return {
        "fifo": tmp_path / "fifo",
        "link": tmp_path / "link.ttl",
        "readonly": tmp_path / "readonly.ttl",
        "device": Path("/dev/null"),
    }


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("fifo", "is a named pipe (FIFO), not a regular file"),
        ("link", "is a symbolic link, not a regular file"),
        ("readonly", "is read-only"),
        ("device", "is a character device, not a regular file"),
    ],
)
def test_export_refuses_to_replace_what_is_not_a_regular_file(
    run_cli, tmp_path: Path, kind: str, message: str
) -> None:
    target = _special_targets(tmp_path)[kind]
    before = os.lstat(target)
    result = run_cli("export", "--format", "nt", "-o", str(target))
    assert result.exit_code == 2
    assert result.stderr == f"Error: {target}: {message}; refusing to replace it\n"
    after = os.lstat(target)
    assert (after.st_mode, after.st_ino) == (before.st_mode, before.st_ino)
    assert (tmp_path / "real.ttl").read_text() == "keep me"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_export_dash_writes_to_standard_output(run_cli) -> None:
    result = run_cli("export", "--format", "nt", "-o", "-")
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("<https://w3id.org/llmboom/")
    assert not Path("-").exists()


STREAMED = ["turtle", "trig", "nt", "nq", "xml"]


@pytest.mark.parametrize("name", STREAMED)
def test_stream_writes_the_same_quads_and_the_same_bytes_each_time(run_cli, name) -> None:
    fmt = by_name(name)
    streamed = run_cli("export", "--stream", "--format", name)
    assert streamed.exit_code == 0, streamed.stderr
    whole = run_cli("export", "--format", name)
    parsed = set(pyoxigraph.parse(streamed.stdout_bytes, fmt.oxigraph_format))
    assert parsed == set(pyoxigraph.parse(whole.stdout_bytes, fmt.oxigraph_format))
    assert run_cli("export", "--stream", "--format", name).stdout_bytes == streamed.stdout_bytes


@pytest.mark.parametrize(
    ("args", "problem"),
    [
        (["--format", "jsonld"], "cannot stream jsonld"),
        (["--frame", "organization"], "--frame needs every fact"),
        (["--view", "truthy"], "--view truthy needs every fact"),
        (["--as-of", "2020-01-01"], "a snapshot (--as-of) needs every fact"),
    ],
)
def test_stream_refuses_what_needs_every_fact_at_once(run_cli, tmp_path, args, problem) -> None:
    target = tmp_path / "out.ttl"
    result = run_cli("export", "--stream", "-o", str(target), *args)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and problem in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_stream_gives_a_subject_of_two_files_two_blocks(tmp_path) -> None:
    """What --stream trades for its speed: quads in input order, not gathered by subject."""
    from click.testing import CliRunner

    from llmboom.cli import cli
    from tests.submission_support import PREFIXES, copy_project

    root = copy_project(tmp_path / "project")
    (root / "data" / "zz-extra.ttl").write_text(
        PREFIXES + 'lbr:bytedance rdfs:comment "a second block"@en .\n', encoding="utf-8"
    )
    runner = CliRunner()
    streamed = runner.invoke(cli, ["--root", str(root), "export", "--stream"]).stdout
    whole = runner.invoke(cli, ["--root", str(root), "export"]).stdout
    assert streamed.count("\nlbr:bytedance ") > 1  # a block where each file has it
    assert whole.count("\nlbr:bytedance ") == 1
    assert set(pyoxigraph.parse(streamed.encode(), pyoxigraph.RdfFormat.TURTLE)) == set(
        pyoxigraph.parse(whole.encode(), pyoxigraph.RdfFormat.TURTLE)
    )


def test_stream_stops_at_a_broken_file_and_leaves_the_output_as_it_was(tmp_path) -> None:
    from click.testing import CliRunner

    from llmboom.cli import cli
    from tests.submission_support import copy_project

    root = copy_project(tmp_path / "project")
    broken = root / "data" / "zz-broken.ttl"
    broken.write_text("<https://example.org/a> <https://example.org/b> .\n", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    target = out / "llmboom.ttl"
    target.write_text("old content")
    result = CliRunner().invoke(cli, ["--root", str(root), "export", "--stream", "-o", str(target)])
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: {broken}:1") and result.stderr.count("\n") == 1
    assert target.read_text() == "old content"
    assert list(out.iterdir()) == [target]  # no temporary file left behind
