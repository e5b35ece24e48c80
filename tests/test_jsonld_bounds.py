"""JSON-LD contexts that would cost a processor minutes are refused before parsing; ordinary
ones (flat, the project's, a small scoped context) are not."""

from __future__ import annotations

import json
import time
from typing import Any

import pyoxigraph
import pytest

from llmboom.errors import InputTooLargeError
from llmboom.project import Project
from llmboom.rdf.formats import by_name
from llmboom.rdf.jsonld_bounds import (
    MAX_CONTEXT_TERMS,
    MAX_SCOPED_DEPTH,
    check_context_cost,
)
from llmboom.submission import Outcome, SubmissionInput, check_submission

EX = "http://example.org/"


def scoped_context_jsonld(size: int = 700_000, terms: int = 8000) -> bytes:
    """About `size` bytes of JSON-LD whose property `p` carries a scoped context of `terms`
    terms (itself holding scoped contexts two deep), applied again at every one of the tens of
    thousands of nodes under `p`: pyoxigraph works through terms x nodes definitions."""
    inner: dict[str, Any] = {f"t{i}": {"@id": f"{EX}t{i}"} for i in range(terms)}
    inner["q"] = {"@id": EX + "q", "@context": {"r": {"@id": EX + "r", "@context": {"u": EX}}}}
    document: dict[str, Any] = {
        "@context": {"p": {"@id": EX + "p", "@context": inner}},
        "@id": EX + "s",
        "p": [],
    }
    node_size = len(json.dumps({"t1": "x"})) + 2
    count = max(0, (size - len(json.dumps(document))) // node_size)
    document["p"] = [{"t1": "x"} for _ in range(count)]
    return json.dumps(document).encode()


def scoped_nodes(terms: int, nodes: int) -> dict[str, Any]:
    inner = {f"t{i}": {"@id": f"{EX}t{i}"} for i in range(terms)}
    return {
        "@context": {"p": {"@id": EX + "p", "@context": inner}},
        "@id": EX + "s",
        "p": [{"t0": "x"} for _ in range(nodes)],
    }


def nested_scopes(depth: int) -> dict[str, Any]:
    context: dict[str, Any] = {"t": EX + "t"}
    for _ in range(depth):
        context = {"p": {"@id": EX + "p", "@context": context}}
    return {"@context": context, "@id": EX + "s", "p": {"t": "x"}}


def parse_seconds(document: dict[str, Any]) -> float:
    started = time.process_time()
    list(pyoxigraph.parse(json.dumps(document).encode(), pyoxigraph.RdfFormat.JSON_LD))
    return time.process_time() - started


def test_the_hostile_document_is_refused_at_once() -> None:
    data = scoped_context_jsonld()
    assert 650_000 < len(data) < 750_000
    started = time.monotonic()
    with pytest.raises(InputTooLargeError, match="JSON-LD contexts too costly to process"):
        check_context_cost(json.loads(data), "hostile.jsonld")
    assert time.monotonic() - started < 5


def test_work_grows_with_scoped_terms_times_nodes_and_is_capped() -> None:
    """The estimate tracks what costs: seven times the nodes under a scoped context, several
    times the parse time; past the cap, refused; the same nodes without a scope pass."""
    small, large = scoped_nodes(500, 150), scoped_nodes(500, 1100)
    assert parse_seconds(large) > 3 * parse_seconds(small)
    check_context_cost(small, "small")
    with pytest.raises(InputTooLargeError, match="too costly to process"):
        check_context_cost(large, "large")
    flat = {"@context": {f"t{i}": f"{EX}t{i}" for i in range(500)}, "t0": ["x"] * 5000}
    check_context_cost(flat, "flat")


def _big_context(terms: int) -> dict[str, Any]:
    return {f"a{i}": {"@id": f"{EX}a{i}"} for i in range(terms)}


@pytest.mark.parametrize(
    "document",
    [
        # a scoped context of many empty entries, applied at every value
        {
            "@context": {"p": {"@id": EX + "p", "@context": [{}] * 20_000}},
            "p": [{"@id": EX}] * 20_000,
        },
        # a large top-level context copied at each application of a one-term scoped context
        {
            "@context": {**_big_context(5000), "p": {"@id": EX + "p", "@context": {"t": EX}}},
            "p": [{"t": "x"}] * 5000,
        },
        # a large top-level context copied at every node's own empty context
        {"@context": _big_context(5000), "@graph": [{"@context": {}, "a1": "x"}] * 20_000},
        # a type-scoped context, through an alias of @type
        {
            "@context": {"kind": "@type", "T": {"@id": EX + "T", "@context": _big_context(900)}},
            "@graph": [{"kind": "T", "a1": "x"}] * 5000,
        },
    ],
    ids=["empty-entries", "copied-top-context", "embedded-contexts", "type-scoped"],
)
def test_other_costly_shapes_are_refused(document: dict[str, Any]) -> None:
    assert len(json.dumps(document)) < 1_000_000
    with pytest.raises(InputTooLargeError, match="too costly to process"):
        check_context_cost(document, "costly")


def test_the_project_context_on_every_node_is_fine(project: Project) -> None:
    from llmboom.namespaces import CONTEXT_URL
    from llmboom.rdf.jsonld import build_context

    nodes = [{"@context": CONTEXT_URL, "id": f"lbr:x{i}", "label": "x"} for i in range(1000)]
    check_context_cost({"@context": CONTEXT_URL, "@graph": nodes}, "per node")
    inline = build_context(project)
    check_context_cost({"@context": inline, "@graph": nodes[:100]}, "inline")


def test_scoped_contexts_nested_too_deep_are_refused() -> None:
    check_context_cost(nested_scopes(MAX_SCOPED_DEPTH), "ok")
    with pytest.raises(InputTooLargeError, match=f"nested more than {MAX_SCOPED_DEPTH} deep"):
        check_context_cost(nested_scopes(MAX_SCOPED_DEPTH + 1), "deep")


def test_terms_in_every_context_count_together() -> None:
    half = MAX_CONTEXT_TERMS // 2 + 1
    document = {
        "@context": {f"a{i}": EX for i in range(half)},
        "x": {"@context": [{f"b{i}": EX for i in range(half)}], "@id": EX},
    }
    with pytest.raises(InputTooLargeError, match=f"more than {MAX_CONTEXT_TERMS:,} terms"):
        check_context_cost(document, "two halves")


def test_a_small_scoped_context_and_the_project_context_are_accepted(project: Project) -> None:
    from llmboom.rdf.jsonld import build_context

    document = scoped_nodes(3, 50)
    check_context_cost(document, "small scope")
    check_context_cost({"@context": build_context(project), "@id": EX}, "project context")


def test_submit_refuses_the_hostile_document_as_too_large(project: Project) -> None:
    item = SubmissionInput.from_bytes(scoped_context_jsonld(), by_name("jsonld"), "big.jsonld")
    started = time.monotonic()
    report = check_submission(project, [item])
    assert time.monotonic() - started < 10
    assert report.outcome is Outcome.TOO_LARGE
    assert report.problems[0].kind == "size"
    assert "JSON-LD contexts" in report.problems[0].message
