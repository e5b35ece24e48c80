"""The static search index: every named resource, by label and alternative labels."""

from __future__ import annotations

import json

from llmboom.namespaces import LBR
from llmboom.publication.graph_index import GraphIndex
from llmboom.publication.search_index import index_script, search_entries, search_script


def test_entries_cover_names_and_leave_out_statement_records(project) -> None:
    from llmboom.rdf.loading import load_data, load_ontology

    index = GraphIndex(load_data(project), load_ontology(project))
    entries = search_entries(index, LBR)
    by_label = {e["label"]: e for e in entries}
    assert by_label["Volcano Engine"]["href"] == "id/volcano-engine.html"
    assert by_label["Zhu Wenjia"]["type"] == ["Person"]
    assert any(e["alt"] for e in entries), "alternative labels are searchable"
    assert not any(e["href"].startswith("id/s-") for e in entries)
    script = index_script(index, LBR).decode()
    prefix = "window.LLMBOOM_SEARCH_INDEX = "
    assert script.startswith(prefix) and script.endswith(";\n")
    assert json.loads(script[len(prefix) : -2]) == entries
    assert b"textContent" in search_script() and b"innerHTML" not in search_script()


def test_a_resource_is_found_by_its_names_in_every_language(project) -> None:
    """A fixture's Chinese names (tests/shapes/valid/labels-in-chinese.ttl, not real data)."""
    import pyoxigraph

    from llmboom.rdf.loading import load_data, load_ontology
    from tests.conftest import REPO

    fixture = REPO / "tests" / "shapes" / "valid" / "labels-in-chinese.ttl"
    extra = pyoxigraph.parse(path=str(fixture), format=pyoxigraph.RdfFormat.TURTLE)
    quads = [
        *load_data(project),
        *(pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in extra),
    ]
    entries = search_entries(GraphIndex(quads, load_ontology(project)), LBR)
    by_label = {e["label"]: e for e in entries}
    assert {"字节跳动", "字節跳動"} <= set(by_label["ByteDance"]["alt"])
    assert "百度" in by_label["Baidu"]["alt"]
    assert "ByteDance" not in by_label["ByteDance"]["alt"]
