"""Stats: every number checked against an independent count (SPARQL over rdflib)."""

from __future__ import annotations

import json

import pyoxigraph
import pytest

from llmboom.namespaces import LBO, LBR, PROV, RDF, XSD, shorten
from llmboom.stats import compute_stats

PREFIXES = """
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX lbo: <https://w3id.org/llmboom/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
"""


@pytest.fixture(scope="module")
def stats(data_quads):
    return compute_stats(data_quads)


def _count(graph, where: str) -> int:
    rows = list(graph.query(PREFIXES + f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"))
    return int(rows[0][0])


def test_counts_by_class_and_property_match_sparql(stats, data_graph) -> None:
    assert stats.triples == len(data_graph)
    assert stats.subjects == len(set(data_graph.subjects()))
    for row in data_graph.query(
        "SELECT ?c (COUNT(DISTINCT ?s) AS ?n) WHERE { ?s a ?c } GROUP BY ?c"
    ):
        assert stats.classes[str(row[0])] == int(row[1])
    for row in data_graph.query("SELECT ?p (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?p"):
        assert stats.properties[str(row[0])] == int(row[1])
    assert sum(stats.properties.values()) == stats.triples


def test_records_facts_sources_and_attributions_match_sparql(stats, data_graph) -> None:
    assert stats.statements == _count(data_graph, "?r a rdf:Statement")
    assert stats.statements > 100
    assert stats.facts == _count(
        data_graph,
        "SELECT ?s ?p ?o WHERE { ?s ?p ?o FILTER NOT EXISTS { ?s a rdf:Statement } "
        "FILTER NOT EXISTS { ?s a ?bookkeeping FILTER(?bookkeeping IN (lbo:Submission, "
        "lbo:Contributor)) } "
        "FILTER(?p NOT IN (rdf:type, lbo:fullText)) "
        # names are facts too, except in English (or untagged)
        "FILTER(?p NOT IN (rdfs:label, skos:altLabel) "
        "|| (LANG(?o) != '' && !LANGMATCHES(LANG(?o), 'en'))) "
        "FILTER(?p NOT IN (schema:url, lbo:headline, lbo:publishedBy, lbo:publicationDate, "
        "lbo:language, lbo:consulted, dcterms:license) || NOT EXISTS { ?s a lbo:Source }) }",
    )
    assert stats.facts_with_provenance == _count(
        data_graph,
        "SELECT DISTINCT ?s ?p ?o WHERE { ?r a rdf:Statement ; rdf:subject ?s ; "
        "rdf:predicate ?p ; rdf:object ?o . ?s ?p ?o "
        "FILTER(?p NOT IN (schema:url, lbo:headline, lbo:publishedBy, lbo:publicationDate, "
        "lbo:language, lbo:consulted, dcterms:license) || NOT EXISTS { ?s a lbo:Source }) }",
    )
    assert stats.sources == _count(
        data_graph,
        "SELECT DISTINCT ?x WHERE { { ?x a lbo:Source } UNION { ?r prov:wasDerivedFrom ?x } }",
    )
    assert stats.attributions == _count(
        data_graph,
        "SELECT DISTINCT ?x WHERE { { ?x a lbo:Attribution } UNION { ?r lbo:attributedTo ?x } }",
    )
    assert stats.anonymous_attributions == _count(data_graph, "?a lbo:anonymous true")


def test_share_of_facts_resting_only_on_anonymous_attributions(stats, data_graph) -> None:
    facts = list(
        data_graph.query(
            PREFIXES + "SELECT DISTINCT ?s ?p ?o WHERE { ?r a rdf:Statement ; rdf:subject ?s ; "
            "rdf:predicate ?p ; rdf:object ?o . ?s ?p ?o "
            "FILTER(?p NOT IN (schema:url, lbo:headline, lbo:publishedBy, lbo:publicationDate, "
            "lbo:language, lbo:consulted, dcterms:license) || NOT EXISTS { ?s a lbo:Source }) }"
        )
    )
    anonymous_only = 0
    for s, p, o in facts:
        attributions = [
            a
            for r in data_graph.subjects(_uri(RDF + "subject"), s)
            if (r, _uri(RDF + "predicate"), p) in data_graph
            and (r, _uri(RDF + "object"), o) in data_graph
            for a in data_graph.objects(r, _uri(LBO + "attributedTo"))
        ]
        if attributions and all(
            str(v) == "true"
            for a in attributions
            for v in data_graph.objects(a, _uri(LBO + "anonymous"))
        ):
            anonymous_only += 1
    assert 0 < anonymous_only < len(facts)
    assert stats.anonymous_only_facts == anonymous_only
    assert stats.anonymous_share == pytest.approx(anonymous_only / len(facts))


def _uri(iri: str):
    from rdflib import URIRef

    return URIRef(iri)


def test_a_fact_with_one_named_and_one_anonymous_record_is_not_anonymous_only() -> None:
    n = pyoxigraph.NamedNode
    t = pyoxigraph.Literal("true", datatype=n(XSD + "boolean"))
    f = pyoxigraph.Literal("false", datatype=n(XSD + "boolean"))
    fact = (n(LBR + "a"), n(LBO + "reportsTo"), n(LBR + "b"))
    quads = [pyoxigraph.Quad(*fact)]
    for record, attribution, flag in (("r1", "anon", t), ("r2", "named", f)):
        r = n(LBR + record)
        quads += [
            pyoxigraph.Quad(r, n(RDF + "type"), n(RDF + "Statement")),
            pyoxigraph.Quad(r, n(RDF + "subject"), fact[0]),
            pyoxigraph.Quad(r, n(RDF + "predicate"), fact[1]),
            pyoxigraph.Quad(r, n(RDF + "object"), fact[2]),
            pyoxigraph.Quad(r, n(PROV + "wasDerivedFrom"), n(LBR + "article")),
            pyoxigraph.Quad(r, n(LBO + "attributedTo"), n(LBR + attribution)),
            pyoxigraph.Quad(n(LBR + attribution), n(LBO + "anonymous"), flag),
        ]
    stats = compute_stats(quads)
    assert (stats.facts_with_provenance, stats.anonymous_only_facts) == (1, 0)
    assert stats.attributions == 2 and stats.anonymous_attributions == 1
    assert stats.sources == 1
    # drop the named record: the fact now rests on the anonymous one alone
    alone = compute_stats([q for q in quads if q.subject != n(LBR + "r2")])
    assert alone.anonymous_only_facts == 1 and alone.anonymous_share == 1.0
    # a record whose triple is not asserted is counted as such
    unasserted = compute_stats(quads[1:])
    assert unasserted.unasserted_statements == 2 and unasserted.facts_with_provenance == 0


def test_to_dict_is_json_with_prefixed_names(stats) -> None:
    data = json.loads(stats.to_json())
    assert data["statements"] == stats.statements
    assert data["classes"]["lbo:Person"] == stats.classes[LBO + "Person"]
    assert data["properties"][shorten(RDF + "type")] == stats.properties[RDF + "type"]
    assert 0 < data["anonymous_share"] < 1
    text = stats.to_text()
    assert "lbo:Organization" in text and "statement records" in text


def test_empty_input() -> None:
    stats = compute_stats([])
    assert stats.triples == 0 and stats.anonymous_share == 0.0


def test_names_in_other_languages_are_facts_english_names_are_not() -> None:
    n = pyoxigraph.NamedNode
    label = n("http://www.w3.org/2000/01/rdf-schema#label")
    chinese = pyoxigraph.Literal("字节跳动", language="zh-Hans")
    quads = [
        pyoxigraph.Quad(n(LBR + "a"), label, pyoxigraph.Literal("ByteDance", language="en")),
        pyoxigraph.Quad(n(LBR + "a"), label, chinese),
    ]
    assert compute_stats(quads).facts == 1  # the Chinese name only
    r = n(LBR + "r")
    quads += [
        pyoxigraph.Quad(r, n(RDF + "type"), n(RDF + "Statement")),
        pyoxigraph.Quad(r, n(RDF + "subject"), n(LBR + "a")),
        pyoxigraph.Quad(r, n(RDF + "predicate"), label),
        pyoxigraph.Quad(r, n(RDF + "object"), chinese),
    ]
    assert compute_stats(quads).facts_with_provenance == 1
