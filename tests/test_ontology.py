"""The ontology: fixed terms, labels, comments, alignments and registry metadata."""

from __future__ import annotations

import pytest
from rdflib import OWL, RDF, RDFS, Graph, Literal, URIRef

from llmboom.namespaces import LBO, ONTOLOGY_IRI
from llmboom.project import Project
from llmboom.rdf.loading import load_ontology, to_rdflib_graph

FIXED_CLASSES = ["Organization", "Person", "Team", "LanguageModel"]
FIXED_PROPERTIES = ["reportsTo", "announcedModel"]
STANDARD_NAMESPACES = (
    "http://www.w3.org/ns/org#",
    "http://xmlns.com/foaf/0.1/",
    "https://schema.org/",
    "http://www.w3.org/ns/prov#",
    "http://www.w3.org/2004/02/skos/core#",
    "http://purl.org/dc/terms/",
)


@pytest.fixture(scope="module")
def ontology(project: Project) -> Graph:
    return to_rdflib_graph(load_ontology(project))


def terms(ontology: Graph) -> list[URIRef]:
    kinds = (OWL.Class, OWL.ObjectProperty, OWL.DatatypeProperty)
    return sorted(
        {s for kind in kinds for s in ontology.subjects(RDF.type, kind) if str(s).startswith(LBO)}
    )


def test_fixed_terms_exist(ontology: Graph) -> None:
    for name in FIXED_CLASSES:
        assert (URIRef(LBO + name), RDF.type, OWL.Class) in ontology
    for name in FIXED_PROPERTIES:
        assert (URIRef(LBO + name), RDF.type, OWL.ObjectProperty) in ontology


def test_every_term_has_one_english_label_and_a_comment(ontology: Graph) -> None:
    assert len(terms(ontology)) >= 40
    for term in terms(ontology):
        labels = [o for o in ontology.objects(term, RDFS.label) if o.language == "en"]
        comments = [o for o in ontology.objects(term, RDFS.comment) if o.language == "en"]
        assert len(labels) == 1, term
        assert comments, term
        assert (term, RDFS.isDefinedBy, URIRef(ONTOLOGY_IRI)) in ontology


def test_fixed_terms_are_aligned_with_standard_vocabularies(ontology: Graph) -> None:
    for name in [*FIXED_CLASSES, "reportsTo", "Position", "Source", "Attribution"]:
        parents = set(ontology.objects(URIRef(LBO + name), RDFS.subClassOf)) | set(
            ontology.objects(URIRef(LBO + name), RDFS.subPropertyOf)
        )
        standard = {p for p in parents if str(p).startswith(STANDARD_NAMESPACES)}
        # Team and the lbo: subclasses reach the standards through their lbo: parent.
        inherited = {
            q
            for p in parents
            if str(p).startswith(LBO)
            for q in ontology.objects(p, RDFS.subClassOf)
            if str(q).startswith(STANDARD_NAMESPACES)
        }
        assert standard | inherited, name


def test_ontology_carries_registry_metadata(ontology: Graph) -> None:
    ontology_iri = URIRef(ONTOLOGY_IRI)
    dcterms = "http://purl.org/dc/terms/"
    vann = "http://purl.org/vocab/vann/"
    version_iri = ontology.value(ontology_iri, OWL.versionIRI)
    version = ontology.value(ontology_iri, OWL.versionInfo)
    assert str(version_iri) == f"{ONTOLOGY_IRI}/{version}"
    for predicate in ("title", "description", "creator", "license", "created", "modified"):
        assert ontology.value(ontology_iri, URIRef(dcterms + predicate)) is not None, predicate
    assert ontology.value(ontology_iri, URIRef(vann + "preferredNamespacePrefix")) == Literal("lbo")
    assert ontology.value(ontology_iri, URIRef(vann + "preferredNamespaceUri")) == Literal(LBO)


def test_data_uses_only_terms_the_ontology_defines(ontology: Graph, data_graph: Graph) -> None:
    defined = set(terms(ontology))
    used = {p for p in data_graph.predicates() if str(p).startswith(LBO)} | {
        o for o in data_graph.objects(None, RDF.type) if str(o).startswith(LBO)
    }
    assert used <= defined, sorted(used - defined)
