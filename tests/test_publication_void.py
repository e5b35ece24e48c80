"""`void.ttl`: its counts match the graph, its checksums and sizes match the files."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest
import rdflib
from rdflib import RDF, Literal, Namespace, URIRef

from llmboom.namespaces import DATASET_IRI, LBR, ONTOLOGY_IRI, XSD
from llmboom.publication import build

VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
SPDX = Namespace("http://spdx.org/rdf/terms#")
DATASET = URIRef(DATASET_IRI)
MEDIA = "https://www.iana.org/assignments/media-types/"
NOT_DISTRIBUTIONS = {"void.ttl", "index.html", ".llmboom-build", "search-index.js", "search.js"}


def is_list_page(name: str) -> bool:
    """The timeline's pages and the class indexes (`timeline-2.html`, `class-Person.html`)."""
    return name.endswith(".html") and name.startswith(("timeline", "class-"))


@pytest.fixture(scope="module")
def dist(project, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("void") / "dist"
    build(project, out)
    return out


@pytest.fixture(scope="module")
def void(dist: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(dist / "void.ttl", format="turtle")


def one(graph: rdflib.Graph, subject, predicate):
    values = list(graph.objects(subject, predicate))
    assert len(values) == 1, (subject, predicate, values)
    return values[0]


def number(graph: rdflib.Graph, subject, predicate) -> int:
    return int(one(graph, subject, predicate))


def scalar(graph: rdflib.Graph, query: str) -> int:
    return int(next(iter(graph.query(query)))[0])


def test_dataset_counts_match_the_graph(void, data_graph) -> None:
    assert (DATASET, RDF.type, VOID.Dataset) in void
    assert (DATASET, RDF.type, DCAT.Dataset) in void
    assert number(void, DATASET, VOID.triples) == len(data_graph)
    assert number(void, DATASET, VOID.properties) == len(set(data_graph.predicates()))
    assert number(void, DATASET, VOID.classes) == len(set(data_graph.objects(None, RDF.type)))
    subjects = set(data_graph.subjects())
    assert number(void, DATASET, VOID.distinctSubjects) == len(subjects)
    assert number(void, DATASET, VOID.distinctObjects) == len(set(data_graph.objects()))
    entities = {s for s in subjects if str(s).startswith(LBR)}
    assert number(void, DATASET, VOID.entities) == len(entities)
    assert str(one(void, DATASET, VOID.uriSpace)) == LBR


def test_class_partitions_match_the_graph(void, data_graph) -> None:
    partitions = list(void.objects(DATASET, VOID.classPartition))
    classes = set(data_graph.objects(None, RDF.type))
    assert len(partitions) == len(classes)
    for partition in partitions:
        assert isinstance(partition, URIRef), "no blank nodes in published data"
        cls = one(void, partition, VOID["class"])
        expected = scalar(data_graph, f"SELECT (COUNT(DISTINCT ?s) AS ?n) WHERE {{ ?s a <{cls}> }}")
        assert number(void, partition, VOID.entities) == expected, cls


def test_void_says_class_partitions_count_asserted_types_only(void, data_graph) -> None:
    comment = str(one(void, DATASET, rdflib.RDFS.comment))
    assert "asserted rdf:type" in comment and "sub-classes are not included" in comment
    organizations = next(
        p for p in void.objects(DATASET, VOID.classPartition)
        if str(one(void, p, VOID["class"])).endswith("#Organization")
    )  # fmt: skip
    lbo = Namespace("https://w3id.org/llmboom/ontology#")
    asserted = set(data_graph.subjects(RDF.type, lbo.Organization))
    platforms = set(data_graph.subjects(RDF.type, lbo.Platform)) - asserted  # a sub-class
    assert platforms, "the data has platforms that RDFS would count as organizations"
    assert number(void, organizations, VOID.entities) == len(asserted)  # not with the platforms


def test_property_partitions_match_the_graph(void, data_graph) -> None:
    partitions = list(void.objects(DATASET, VOID.propertyPartition))
    assert len(partitions) == len(set(data_graph.predicates()))
    for partition in partitions:
        prop = one(void, partition, VOID.property)
        expected = len(list(data_graph.triples((None, prop, None))))
        assert number(void, partition, VOID.triples) == expected, prop


def test_each_distribution_matches_its_file(void, dist: Path) -> None:
    distributions = set(void.subjects(RDF.type, DCAT.Distribution))
    published = {
        str(p.relative_to(dist))
        for p in dist.iterdir()
        # index.html is the dataset's dcat:landingPage, a page about it, not a distribution;
        # search-index.js and search.js are the pages' search box; the timeline and class
        # index pages are pages too
        if p.is_file() and p.name not in NOT_DISTRIBUTIONS and not is_list_page(p.name)
    }
    assert len(distributions) == len(published)
    described = set()
    for distribution in distributions:
        assert isinstance(distribution, URIRef)
        url = str(one(void, distribution, DCAT.downloadURL))
        assert url.startswith("https://w3id.org/llmboom/")
        relative = url[len("https://w3id.org/llmboom/") :]
        described.add(relative)
        data = (dist / relative).read_bytes()
        assert number(void, distribution, DCAT.byteSize) == len(data), relative
        checksum = one(void, distribution, SPDX.checksum)
        assert isinstance(checksum, URIRef)
        assert one(void, checksum, SPDX.algorithm) == SPDX.checksumAlgorithm_sha256
        assert str(one(void, checksum, SPDX.checksumValue)) == hashlib.sha256(data).hexdigest()
        media_type = str(one(void, distribution, DCAT.mediaType))
        assert media_type.startswith(MEDIA)
        owners = set(void.subjects(DCAT.distribution, distribution))
        assert owners in ({DATASET}, {URIRef(ONTOLOGY_IRI)})
    assert described == published
    turtle = URIRef(DATASET_IRI + "/distribution/dataset-ttl")
    assert str(one(void, turtle, DCAT.mediaType)) == MEDIA + "text/turtle"
    page = URIRef(DATASET_IRI + "/distribution/ontology-html")
    assert str(one(void, page, DCAT.mediaType)) == MEDIA + "text/html"


def test_metadata_license_version_and_date(void, project) -> None:
    assert one(void, DATASET, DCTERMS.license) == URIRef(
        "https://creativecommons.org/licenses/by/4.0/"
    )
    assert str(one(void, DATASET, DCAT.version)) == "0.1.0"
    assert one(void, DATASET, DCTERMS.issued) == Literal(
        "2026-11-26", datatype=URIRef(XSD + "date")
    )
    examples = set(void.objects(DATASET, VOID.exampleResource))
    assert URIRef(LBR + "bytedance") in examples
    vocabularies = {str(v) for v in void.objects(DATASET, VOID.vocabulary)}
    assert "https://w3id.org/llmboom/ontology#" in vocabularies
    assert "http://www.w3.org/ns/prov#" in vocabularies


def test_no_blank_nodes(void) -> None:
    for triple in void:
        assert not any(isinstance(term, rdflib.BNode) for term in triple), triple
