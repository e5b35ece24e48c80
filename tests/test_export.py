"""Export: every format round-trips, output is deterministic, the truthy view is plain."""

from __future__ import annotations

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

from llmboom.export import canonical_nquads, prefixes_for, serialize, sorted_quads, truthy
from llmboom.namespaces import LBO, LBR, RDF
from llmboom.rdf.formats import FORMATS, RdfFormat, by_name
from llmboom.rdf.jsonld import build_context

FORMAT_IDS = [f.name for f in FORMATS]


@pytest.fixture(scope="module")
def context(project):
    return build_context(project)


def _export(quads, fmt: RdfFormat, context) -> bytes:
    return serialize(quads, fmt, context=context if fmt.name == "jsonld" else None)


def _rdflib_graph(data: bytes, fmt: RdfFormat) -> rdflib.Graph:
    """Parse with rdflib (not the parser the project uses), merging any named graphs."""
    if fmt.quads:
        dataset = rdflib.Dataset()
        dataset.parse(data=data, format=fmt.rdflib_name)
        graph = rdflib.Graph()
        for s, p, o, _ in dataset.quads():
            graph.add((s, p, o))
        return graph
    return rdflib.Graph().parse(data=data, format=fmt.rdflib_name)


@pytest.mark.parametrize("fmt", FORMATS, ids=FORMAT_IDS)
def test_every_format_round_trips_through_rdflib(fmt, data_quads, data_graph, context) -> None:
    parsed = _rdflib_graph(_export(data_quads, fmt, context), fmt)
    assert len(parsed) == len(data_graph)
    assert isomorphic(parsed, data_graph)


@pytest.mark.parametrize("fmt", FORMATS, ids=FORMAT_IDS)
def test_every_format_parses_in_pyoxigraph_with_the_same_triples(fmt, data_quads, context) -> None:
    data = _export(data_quads, fmt, context)
    parsed = set(pyoxigraph.parse(data, fmt.oxigraph_format))
    expected = {pyoxigraph.Quad(q.subject, q.predicate, q.object) for q in data_quads}
    assert len(parsed) == len(expected)
    assert parsed == expected


CANONICAL = [f for f in FORMATS if f.name in ("nt", "nq", "jsonld")]
IN_INPUT_ORDER = [f for f in FORMATS if f not in CANONICAL]


@pytest.mark.parametrize("fmt", CANONICAL, ids=[f.name for f in CANONICAL])
def test_canonical_formats_are_byte_identical_whatever_the_input_order(
    fmt, data_quads, context
) -> None:
    first = _export(data_quads, fmt, context)
    again = _export(list(reversed(data_quads)) + data_quads[:10], fmt, context)
    assert first == again


@pytest.mark.parametrize("fmt", IN_INPUT_ORDER, ids=[f.name for f in IN_INPUT_ORDER])
def test_other_formats_keep_the_input_order_once_per_quad(fmt, data_quads, context) -> None:
    first = _export(data_quads, fmt, context)
    assert _export(list(data_quads), fmt, context) == first
    assert _export(data_quads + data_quads[:10], fmt, context) == first  # duplicates dropped
    reordered = _export(list(reversed(data_quads)), fmt, context)
    assert reordered != first
    assert set(pyoxigraph.parse(reordered, fmt.oxigraph_format)) == set(
        pyoxigraph.parse(first, fmt.oxigraph_format)
    )


def test_turtle_writes_one_block_per_subject_in_input_order(data_quads) -> None:
    text = serialize(data_quads, by_name("turtle")).decode()
    subjects = [line.split()[0] for line in text.splitlines() if line.startswith("lbr:")]
    assert len(subjects) == len(set(subjects))  # one block per subject
    first_seen = list(dict.fromkeys(q.subject for q in data_quads))
    assert subjects == [f"lbr:{s.value.removeprefix(LBR)}" for s in first_seen]


def test_turtle_declares_the_project_prefixes_in_their_fixed_order(data_quads) -> None:
    text = serialize(data_quads, by_name("turtle")).decode()
    declared = [line.split()[1].rstrip(":") for line in text.splitlines() if line.startswith("@")]
    assert declared[:3] == ["lbo", "lbr", "rdf"]
    order = list(prefixes_for())
    assert declared == sorted(declared, key=order.index)
    assert "sh" not in declared  # only prefixes the data uses
    block = text[text.index("\nlbr:zhu-wenjia ") :].split(" .\n", 1)[0]
    assert "\ta lbo:Person" in block or "lbr:zhu-wenjia a lbo:Person" in block


def test_rdfxml_namespaces_are_in_a_fixed_order(data_quads) -> None:
    text = serialize(data_quads, by_name("xml")).decode()
    root = text[text.index("<rdf:RDF") : text.index(">", text.index("<rdf:RDF"))]
    names = [part.split("=")[0][6:] for part in root.split() if part.startswith("xmlns:")]
    order = list(prefixes_for())
    known = [n for n in names if n in order]
    assert known == sorted(known, key=order.index)
    assert known[0] == "lbo"
    body = text[text.index(">", text.index("<rdf:RDF")) :]
    assert all(f"<{n}:" in body or f" {n}:" in body for n in known)  # only those used


def test_nt_is_sorted_and_deduplicated(data_quads) -> None:
    lines = serialize(data_quads + data_quads[:5], by_name("nt")).decode().splitlines()
    assert lines == sorted(set(lines))
    assert len(lines) == len(set(data_quads))


def test_named_graphs_survive_in_quad_formats_and_merge_in_triple_formats() -> None:
    s, p = pyoxigraph.NamedNode(LBR + "a"), pyoxigraph.NamedNode(LBO + "p")
    graph = pyoxigraph.NamedNode("https://example.org/g")
    quads = [
        pyoxigraph.Quad(s, p, pyoxigraph.Literal("x"), graph),
        pyoxigraph.Quad(s, p, pyoxigraph.Literal("x")),
        pyoxigraph.Quad(s, p, pyoxigraph.Literal("y"), graph),
    ]
    for name in ("nq", "trig"):
        fmt = by_name(name)
        assert set(pyoxigraph.parse(serialize(quads, fmt), fmt.oxigraph_format)) == set(quads)
    for name in ("nt", "turtle", "xml", "jsonld"):
        fmt = by_name(name)
        parsed = list(pyoxigraph.parse(serialize(quads, fmt), fmt.oxigraph_format))
        assert len(parsed) == 2


def test_trig_writes_one_block_per_graph() -> None:
    p = pyoxigraph.NamedNode(LBO + "p")
    quads = [
        pyoxigraph.Quad(
            pyoxigraph.NamedNode(LBR + s), p, pyoxigraph.Literal("v"), pyoxigraph.NamedNode(g)
        )
        for s in ("a", "b")
        for g in ("https://example.org/g1", "https://example.org/g2")
    ]
    text = serialize(quads, by_name("trig")).decode()
    assert text.count("{") == 2


def test_truthy_drops_statement_records_and_keeps_every_fact(data_quads) -> None:
    plain = truthy(data_quads)
    records = {
        q.subject
        for q in data_quads
        if q.predicate.value == RDF + "type" and q.object.value == RDF + "Statement"
    }
    assert records, "the dataset has statement records"
    assert all(q.subject not in records and q.object not in records for q in plain)
    assert not any(q.object.value == RDF + "Statement" for q in plain)
    kept = set(plain)
    facts = [q for q in data_quads if q.subject not in records]
    # a fact is dropped only when better-ranked claims outrank it (preferred over normal,
    # deprecated never kept; tests/test_competing_claims.py): the same subject and property
    # have a preferred record
    ranked = {
        (q.subject, q.object.value)
        for q in data_quads
        if q.subject in records and q.predicate.value == LBO + "rank"
    }
    preferred_about = set()
    for record, rank in ranked:
        if rank == LBO + "PreferredRank":
            about = {q.predicate.value: q.object for q in data_quads if q.subject == record}
            preferred_about.add((about[RDF + "subject"], about[RDF + "predicate"]))
    dropped = [q for q in facts if q not in kept]
    assert all(
        (q.subject, q.predicate) in preferred_about or _only_deprecated(q, data_quads, records)
        for q in dropped
    ), dropped
    # each record's triple is a plain fact
    fact = pyoxigraph.Quad(
        pyoxigraph.NamedNode(LBR + "head-of-bytedance-image-model-team"),
        pyoxigraph.NamedNode(LBO + "reportsTo"),
        pyoxigraph.NamedNode(LBR + "zhu-wenjia"),
    )
    assert fact in kept


def _only_deprecated(fact, data_quads, records) -> bool:
    """Whether every statement record of `fact` is ranked deprecated."""
    by_record: dict = {}
    for q in data_quads:
        if q.subject in records:
            by_record.setdefault(q.subject, {})[q.predicate.value] = q.object
    mine = [
        r
        for r in by_record.values()
        if (r.get(RDF + "subject"), r.get(RDF + "predicate"), r.get(RDF + "object"))
        == (fact.subject, fact.predicate, fact.object)
    ]
    return bool(mine) and all(
        r.get(LBO + "rank") == pyoxigraph.NamedNode(LBO + "DeprecatedRank") for r in mine
    )


def test_canonical_nquads_of_nothing_is_empty() -> None:
    assert canonical_nquads([]) == b""
    assert sorted_quads([]) == []
    for fmt in FORMATS:
        assert list(pyoxigraph.parse(serialize([], fmt), fmt.oxigraph_format)) == []


@pytest.mark.parametrize("fmt", FORMATS, ids=FORMAT_IDS)
def test_the_ontology_round_trips_too(fmt, project, context) -> None:
    from llmboom.rdf.loading import load_ontology, to_rdflib_graph

    ontology = load_ontology(project)
    data = _export(ontology, fmt, context)
    assert isomorphic(_rdflib_graph(data, fmt), to_rdflib_graph(ontology))
    assert len(set(pyoxigraph.parse(data, fmt.oxigraph_format))) == len(set(ontology))
