"""The store interface: embedded in memory, persisted on disk (rebuilt when data/ changes),
and what `--store DIR` gives the command line. The remote store is tested against real
servers in test_push.py."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from llmboom.errors import InputError
from llmboom.namespaces import LBO, LBR
from llmboom.project import Project
from llmboom.rdf.loading import load_data, load_ontology, parse_file
from llmboom.store import DatasetStore, open_store

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s a lbo:Person }"


def _copy(project: Project, tmp_path: Path) -> Project:
    for name in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(project.root / name, tmp_path / name)
    return Project.locate(tmp_path)


def _people(store: DatasetStore) -> int:
    return int(store.query(COUNT).rows[0][0].value)


def test_in_memory_store_holds_data_and_ontology_apart(project: Project) -> None:
    store = open_store(project)
    assert isinstance(store, DatasetStore)
    assert {q.triple for q in store.dataset_quads()} == {q.triple for q in load_data(project)}
    assert {q.triple for q in store.ontology_quads()} == {q.triple for q in load_ontology(project)}
    assert len(store) == len({q.triple for q in load_data(project)})
    assert _people(store) > 0


def test_a_rebased_store_holds_the_rebased_data(project: Project) -> None:
    rebased = Project(project.root, "http://example.org/id/")
    store = open_store(rebased)
    assert {q.triple for q in store.dataset_quads()} == {q.triple for q in load_data(rebased)}
    assert not any(q.subject.value.startswith(LBR) for q in store.dataset_quads())


@pytest.mark.parametrize(
    ("text", "line", "problem"),
    [
        ('@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b "open\n', 3, "end of file"),
        ("<http://e/a> <http://e/b> <relative> .\n", 1, "no base iri is set"),
    ],
)
def test_a_bad_data_file_is_one_error_naming_its_line(
    project: Project, tmp_path: Path, text: str, line: int, problem: str
) -> None:
    """The store parses data/ inside pyoxigraph, behind the same guard and with the same
    errors as `parse_file`."""
    copy = _copy(project, tmp_path / "project")
    bad = copy.data_dir / "bad.ttl"
    bad.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as parsed:
        parse_file(bad)
    with pytest.raises(InputError) as loaded:
        open_store(copy)
    assert str(loaded.value) == str(parsed.value)
    assert loaded.value.line == line
    assert problem in str(loaded.value).lower()


def test_a_byte_order_mark_in_data_is_accepted(project: Project, tmp_path: Path) -> None:
    copy = _copy(project, tmp_path / "project")
    (copy.data_dir / "bom.ttl").write_bytes(
        b"\xef\xbb\xbf<https://w3id.org/llmboom/id/bom-person> a <" + LBO.encode() + b"Person> .\n"
    )
    assert _people(open_store(copy)) == _people(open_store(project)) + 1


def test_disk_store_is_reused_then_rebuilt_when_data_changes(
    project: Project, tmp_path: Path
) -> None:
    copy = _copy(project, tmp_path / "project")
    where = tmp_path / "store"
    first = open_store(copy, store_dir=where)
    people = _people(first)
    first.close()
    stamp = (where / "fingerprint.json").stat().st_mtime_ns
    again = open_store(copy, store_dir=where)
    assert (where / "fingerprint.json").stat().st_mtime_ns == stamp, "rebuilt needlessly"
    assert _people(again) == people
    again.close()
    (copy.data_dir / "extra.ttl").write_text(
        "@prefix lbo: <https://w3id.org/llmboom/ontology#> .\n"
        "<https://w3id.org/llmboom/id/new-person> a lbo:Person .\n",
        encoding="utf-8",
    )
    changed = open_store(copy, store_dir=where)
    assert _people(changed) == people + 1
    changed.close()
    extra = copy.data_dir / "extra.ttl"
    extra.write_text(extra.read_text(encoding="utf-8").replace("new-person", "other"))
    os.utime(extra, ns=(1, 1))  # same size, other content: the mtime still differs
    assert _people(open_store(copy, store_dir=where)) == people + 1


def test_a_broken_data_file_keeps_the_previous_store(project: Project, tmp_path: Path) -> None:
    copy = _copy(project, tmp_path / "project")
    where = tmp_path / "store"
    people = _people(open_store(copy, store_dir=where))
    (copy.data_dir / "broken.ttl").write_text("lbr:x lbr:y .\n", encoding="utf-8")
    with pytest.raises(InputError):
        open_store(copy, store_dir=where)
    (copy.data_dir / "broken.ttl").unlink()
    assert _people(open_store(copy, store_dir=where)) == people


def test_query_command_reads_the_disk_store(run_cli, tmp_path: Path) -> None:
    plain = run_cli("query", "--name", "reporting-chain", "--format", "csv")
    stored = run_cli("--store", str(tmp_path / "s"), "query", "--name", "reporting-chain",
                     "--format", "csv")  # fmt: skip
    assert plain.exit_code == stored.exit_code == 0, stored.output
    assert stored.stdout == plain.stdout
    assert (tmp_path / "s" / "oxigraph").is_dir()


@pytest.mark.parametrize(
    "command",
    [["validate", "--format", "json"], ["stats", "--format", "json"], ["export", "-F", "nt"]],
    ids=["validate", "stats", "export"],
)
def test_commands_read_the_disk_store_not_data(run_cli, tmp_path, monkeypatch, command) -> None:
    store = str(tmp_path / "s")
    plain = run_cli(*command)
    assert run_cli("--store", store, "query", "--name", "reporting-chain").exit_code == 0

    def no_parsing(project):
        raise AssertionError("data/ was parsed although the store holds the dataset")

    monkeypatch.setattr("llmboom.rdf.loading.load_data", no_parsing)
    stored = run_cli("--store", store, *command)
    assert plain.exit_code == stored.exit_code == 0, stored.output
    assert stored.stdout == plain.stdout


def test_build_reads_the_disk_store(run_cli, tmp_path: Path, monkeypatch) -> None:
    store = str(tmp_path / "s")
    expected = run_cli("export", "-F", "nt").stdout_bytes
    assert run_cli("--store", store, "query", "--name", "reporting-chain").exit_code == 0
    monkeypatch.setattr("llmboom.rdf.loading.load_data", lambda project: [])  # would not conform
    out = tmp_path / "out"
    built = run_cli("--store", store, "build", "--out", str(out), "--pages", "none")
    assert built.exit_code == 0, built.output
    assert (out / "dataset.nt").read_bytes() == expected


def test_the_entailed_copy_holds_what_rdfs_entailment_adds(
    project: Project, tmp_path: Path
) -> None:
    """A persisted store's entailed copy holds exactly what `entailment.entail_store` makes
    of the in-memory store; the store itself is unchanged."""
    import pyoxigraph

    from llmboom.rdf.entailment import entail_store

    on_disk = open_store(project, store_dir=tmp_path / "store")
    entailed = on_disk.entailed()
    in_memory = open_store(project).oxigraph
    added = entail_store(in_memory)
    assert added > 100
    assert set(entailed) == set(in_memory)
    default = pyoxigraph.DefaultGraph()
    assert len(list(on_disk.oxigraph.quads_for_pattern(None, None, None, default))) == len(on_disk)
    assert len(on_disk) + added == len(list(entailed.quads_for_pattern(None, None, None, default)))


def test_a_folder_not_made_by_llmboom_is_refused_and_left_alone(run_cli, tmp_path: Path) -> None:
    foreign = tmp_path / "foreign"
    (foreign / "oxigraph").mkdir(parents=True)
    (foreign / "oxigraph" / "CURRENT").write_text("someone else's database")
    (foreign / "notes.txt").write_text("mine")
    before = sorted((p.relative_to(foreign), p.stat().st_mtime_ns) for p in foreign.rglob("*"))
    result = run_cli("--store", str(foreign), "query", "ASK {}")
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"Error: {foreign}: not empty and not a store written by")
    assert result.stderr.count("\n") == 1
    after = sorted((p.relative_to(foreign), p.stat().st_mtime_ns) for p in foreign.rglob("*"))
    assert after == before
    assert (foreign / "oxigraph" / "CURRENT").read_text() == "someone else's database"


def test_a_new_store_is_marked_and_a_marked_one_reused(run_cli, tmp_path: Path) -> None:
    from llmboom.store.embedded import MARKER

    where = tmp_path / "s"
    assert run_cli("--store", str(where), "query", "ASK {}").exit_code == 0
    assert (where / MARKER).is_file()
    assert run_cli("--store", str(where), "query", "ASK {}").exit_code == 0


def test_a_store_written_before_the_marker_is_adopted(run_cli, tmp_path: Path) -> None:
    from llmboom.store.embedded import MARKER

    where = tmp_path / "s"
    assert run_cli("--store", str(where), "query", "ASK {}").exit_code == 0
    (where / MARKER).unlink()
    assert run_cli("--store", str(where), "query", "ASK {}").exit_code == 0
    assert (where / MARKER).is_file()


def test_an_empty_store_name_is_refused(run_cli, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("--store", "", "query", "ASK {}")
    assert result.exit_code == 2, result.output
    assert (
        result.stderr == "Error: --store: the folder name is empty; give a folder for the store\n"
    )
    assert list(tmp_path.iterdir()) == []
