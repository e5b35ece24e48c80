"""JSON-LD: the generated context, the compacted dataset, and the framed trees."""

from __future__ import annotations

import json

import pyoxigraph
import pytest
import rdflib
from rdflib.compare import isomorphic

from llmboom.namespaces import LBO, LBR, OWL, RDF, XSD
from llmboom.project import Project
from llmboom.rdf.jsonld import build_context, compact, context_bytes, dump_json
from llmboom.rdf.loading import load_ontology


@pytest.fixture(scope="module")
def context(project):
    return build_context(project)


@pytest.fixture(scope="module")
def compacted(data_quads, context):
    return compact(data_quads, context)


@pytest.fixture(scope="module")
def nodes(compacted):
    return {node["id"]: node for node in compacted["@graph"]}


# --- the context -----------------------------------------------------------------------------


def test_context_has_one_term_per_ontology_property(project, context) -> None:
    ontology = load_ontology(project)
    kinds = {
        q.subject.value: q.object.value
        for q in ontology
        if q.predicate.value == RDF + "type"
        and q.object.value in (OWL + "ObjectProperty", OWL + "DatatypeProperty")
        and q.subject.value.startswith(LBO)  # the ontology also describes schema:url, not a term
    }
    assert len(kinds) > 40
    for iri, kind in kinds.items():
        term = context[iri[len(LBO) :]]
        assert term["@id"] == "lbo:" + iri[len(LBO) :]
        if kind == OWL + "ObjectProperty":
            assert term.get("@type") == "@id", iri


def test_context_coerces_literals_by_range(context) -> None:
    assert context["@vocab"] == LBO
    assert context["id"] == "@id" and context["type"] == "@type"
    assert context["lbr"] == LBR
    assert context["roleTitle"] == {"@id": "lbo:roleTitle", "@language": "en"}
    assert context["consulted"] == {"@id": "lbo:consulted", "@type": "xsd:date"}
    # a source's date may be a day or a month (xsd:date or xsd:gYearMonth): no coercion
    assert context["publicationDate"] == {"@id": "lbo:publicationDate"}
    # names are language maps: a resource has one in each language it is sourced in
    assert context["label"] == {"@id": "rdfs:label", "@container": "@language"}
    assert context["altLabel"] == {"@id": "skos:altLabel", "@container": "@language"}
    # booleans are written as JSON booleans, mixed-precision dates as value objects
    assert context["current"] == {"@id": "lbo:current"}
    assert context["startDate"] == {"@id": "lbo:startDate"}


def test_context_follows_a_rebased_resource_namespace(project) -> None:
    rebased = Project(project.root, "https://example.org/kg/")
    assert build_context(rebased)["lbr"] == "https://example.org/kg/"


def test_context_is_deterministic_and_published_as_a_document(project, context) -> None:
    assert context_bytes(build_context(project)) == context_bytes(context)
    assert json.loads(context_bytes(context)) == {"@context": context}


# --- compaction ------------------------------------------------------------------------------


def test_compacted_nodes_read_as_plain_json(nodes) -> None:
    bytedance = nodes["lbr:bytedance"]
    assert bytedance["type"] == "Organization"
    assert bytedance["label"]["en"] == "ByteDance"  # and its names in Chinese, where sourced
    # several values compact to a list (later reports add ByteDance's Doubao, Skylark, …)
    assert "lbr:bytedance-large-language-model" in bytedance["announcedModel"]
    assert isinstance(bytedance["announcedModel"], list)
    assert bytedance["researchStrength"] == ["imaging", "language"]
    head = nodes["lbr:head-of-bytedance-image-model-team"]
    assert head["reportsTo"] == "lbr:zhu-wenjia"
    position = nodes["lbr:zhu-wenjia-toutiao-ceo"]
    assert position["current"] is False
    assert position["startDate"] == {"@value": "2019", "type": "xsd:gYear"}
    record = nodes["lbr:s-head-of-bytedance-language-model-team-reports-to-zhu-wenjia"]
    assert record["type"] == "Statement"
    assert record["subject"] == "lbr:head-of-bytedance-language-model-team"
    assert record["predicate"] == "lbo:reportsTo"
    assert record["object"] == {"id": "lbr:zhu-wenjia"}
    assert record["wasDerivedFrom"] == "lbr:article"


def test_compacted_graph_is_sorted_and_keys_start_with_id_and_type(compacted) -> None:
    ids = [node["id"] for node in compacted["@graph"]]
    assert len(ids) == len(set(ids))
    for node in compacted["@graph"]:
        keys = list(node)
        assert keys[0] == "id"
        rest = keys[2:] if keys[1:2] == ["type"] else keys[1:]
        assert rest == sorted(rest)


def test_values_that_do_not_fit_a_term_keep_their_language_or_datatype(context) -> None:
    s = pyoxigraph.NamedNode(LBR + "x")
    label = pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")
    size = pyoxigraph.NamedNode(LBO + "approximateSize")
    current = pyoxigraph.NamedNode(LBO + "current")
    other = pyoxigraph.NamedNode("https://example.org/vocab/p")
    quads = [
        pyoxigraph.Quad(s, label, pyoxigraph.Literal("字节跳动", language="zh")),
        pyoxigraph.Quad(s, label, pyoxigraph.Literal("ByteDance", language="en")),
        pyoxigraph.Quad(s, label, pyoxigraph.Literal("plain")),
        pyoxigraph.Quad(
            s, size, pyoxigraph.Literal("10", datatype=pyoxigraph.NamedNode(XSD + "integer"))
        ),
        pyoxigraph.Quad(
            s, current, pyoxigraph.Literal("1", datatype=pyoxigraph.NamedNode(XSD + "boolean"))
        ),
        pyoxigraph.Quad(s, other, pyoxigraph.NamedNode(LBR + "y")),
        pyoxigraph.Quad(s, other, pyoxigraph.BlankNode("b1")),
    ]
    document = compact(quads, context)
    (node,) = document["@graph"]
    assert node["label"] == {"@none": "plain", "en": "ByteDance", "zh": "字节跳动"}
    assert node["current"] == {"@value": "1", "type": "xsd:boolean"}
    data = dump_json(document)
    for parsed in (
        set(pyoxigraph.parse(data, pyoxigraph.RdfFormat.JSON_LD)),
        rdflib.Graph().parse(data=data, format="json-ld"),
    ):
        assert len(parsed) == len(quads)
    assert isomorphic(rdflib.Graph().parse(data=data, format="json-ld"), _rdflib(quads))


def _rdflib(quads) -> rdflib.Graph:
    from llmboom.rdf.loading import to_rdflib_graph

    return to_rdflib_graph(quads)
