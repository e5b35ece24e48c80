"""Diff: added and removed triples between files and folders, blank nodes included."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pyoxigraph
import pytest

from llmboom.diff import diff_graphs
from llmboom.errors import InputError
from llmboom.export import serialize
from llmboom.rdf.formats import by_name
from llmboom.rdf.loading import read_rdf_files as load_rdf

ZHU = "<https://w3id.org/llmboom/id/zhu-wenjia>"


def test_identical_inputs_are_equal(data_quads) -> None:
    result = diff_graphs(data_quads, list(reversed(data_quads)))
    assert result.equal
    assert result.to_text() == ""
    assert result.to_dict()["equal"] is True


def test_added_and_removed_triples_are_sorted_ntriples(data_quads) -> None:
    removed = [q for q in data_quads if q.subject.value.endswith("/zhu-wenjia")]
    new_quad = pyoxigraph.Quad(
        pyoxigraph.NamedNode("https://w3id.org/llmboom/id/zhu-wenjia"),
        pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#comment"),
        pyoxigraph.Literal("added in a test", language="en"),
    )
    new = [q for q in data_quads if q not in removed] + [new_quad]
    result = diff_graphs(data_quads, new)
    assert not result.equal
    assert result.added == (
        f'{ZHU} <http://www.w3.org/2000/01/rdf-schema#comment> "added in a test"@en .',
    )
    assert len(result.removed) == len(set(removed))
    assert list(result.removed) == sorted(result.removed)
    assert all(line.startswith(ZHU) for line in result.removed)
    text = result.to_text().splitlines()
    assert text[-1].startswith("+ ") and all(line.startswith("- ") for line in text[:-1])
    assert result.to_dict()["removed_count"] == len(removed)


def test_blank_nodes_are_compared_by_structure() -> None:
    one = list(
        pyoxigraph.parse(
            b'<http://e/a> <http://e/p> [ <http://e/q> "x" ] .', pyoxigraph.RdfFormat.TURTLE
        )
    )
    two = list(
        pyoxigraph.parse(
            b'<http://e/a> <http://e/p> [ <http://e/q> "x" ] .', pyoxigraph.RdfFormat.TURTLE
        )
    )
    assert one[0].object != two[0].object  # different labels from two parses
    assert diff_graphs(one, two).equal
    three = list(
        pyoxigraph.parse(
            b'<http://e/a> <http://e/p> [ <http://e/q> "y" ] .', pyoxigraph.RdfFormat.TURTLE
        )
    )
    changed = diff_graphs(one, three)
    assert not changed.equal
    assert any('"y"' in line for line in changed.added)


def test_folders_of_files_in_any_format(tmp_path: Path, project, data_quads) -> None:
    old = tmp_path / "old"
    shutil.copytree(project.data_dir, old, ignore=shutil.ignore_patterns("meta"))
    new = tmp_path / "new"
    new.mkdir()
    for name in ("nt", "jsonld", "xml"):
        fmt = by_name(name)
        (new / f"dataset{fmt.suffix}").write_bytes(serialize(data_quads, fmt))
    (new / "README.txt").write_text("not RDF, skipped")
    result = diff_graphs(load_rdf(old), load_rdf(new))
    # the folder holds the Turtle files; the dataset adds the source text
    assert result.removed == ()
    assert len(result.added) == 1 and "fullText" in result.added[0]


def test_modified_copy_of_a_file(tmp_path: Path, project) -> None:
    original = project.data_dir / "entities.ttl"
    copy = tmp_path / "entities.ttl"
    copy.write_text(
        original.read_text(encoding="utf-8").replace('"Zhu Wenjia"@en', '"Wenjia Zhu"@en'),
        encoding="utf-8",
    )
    result = diff_graphs(load_rdf(original), load_rdf(copy))
    assert len(result.added) == 1 and '"Wenjia Zhu"@en' in result.added[0]
    assert len(result.removed) == 1 and '"Zhu Wenjia"@en' in result.removed[0]


def test_unreadable_inputs_raise_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_rdf(tmp_path / "missing.ttl")
    empty = tmp_path / "empty"
    empty.mkdir()
    with pytest.raises(InputError, match="no RDF files"):
        load_rdf(empty)
    broken = tmp_path / "broken.ttl"
    broken.write_text("<a> <b> .\n")
    with pytest.raises(InputError) as error:
        load_rdf(broken)
    assert error.value.line == 1


def test_matching_a_large_blank_node_cycle_stops_with_a_clear_message(tmp_path) -> None:
    """200 blank nodes in one cycle (7.6 KB) kept rdflib's canonicalisation busy for > 30 s."""
    from llmboom.errors import LimitError

    cycle = "".join(f"_:b{i} <http://example.org/p> _:b{(i + 1) % 200} .\n" for i in range(200))
    old, new = tmp_path / "old.nt", tmp_path / "new.nt"
    old.write_text(cycle)
    new.write_text(cycle + "<http://example.org/s> <http://example.org/p> _:b0 .\n")
    started = time.monotonic()
    with pytest.raises(LimitError, match=r"could not match the 200 blank nodes within 1 s"):
        diff_graphs(load_rdf(old), load_rdf(new), blank_node_time_limit=1)
    assert time.monotonic() - started < 5
