"""The VoID + DCAT description of the publication (`void.ttl`).

Counts are computed from the data graph; partitions, distributions and checksums get IRIs
derived from what they describe (no blank nodes), so two builds describe themselves alike.
"""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from llmboom.namespaces import (
    DCAT,
    DCTERMS,
    LBO,
    ONTOLOGY_IRI,
    OWL,
    RDF_TYPE,
    RDFS,
    VOID,
    XSD,
    shorten,
)
from llmboom.publication.metadata import DatasetMetadata
from llmboom.rdf.terms import term_value

if TYPE_CHECKING:
    import pyoxigraph

SPDX = "http://spdx.org/rdf/terms#"
IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
#: What the class partitions count, said in void.ttl itself.
CLASS_PARTITION_NOTE = (
    "Class partitions count the entities with an asserted rdf:type of the class: instances "
    "of its sub-classes are not included (no RDFS entailment; `llmboom stats` gives both "
    "counts, and `llmboom query` applies rdfs:subClassOf by default)."
)


@dataclass(frozen=True)
class Distribution:
    """One file of the publication."""

    path: str  #: relative to the output folder, `/`-separated
    title: str
    media_type: str
    byte_size: int
    sha256: str
    dataset: str  #: IRI of the dataset (or ontology) this file distributes
    format_name: str = ""  #: for people: `Turtle`, `JSON-LD context`, `HTML`


@dataclass
class Counts:
    """What VoID counts in a graph."""

    triples: int = 0
    entities: int = 0
    distinct_subjects: int = 0
    distinct_objects: int = 0
    classes: dict[str, int] = field(default_factory=dict)  #: class → entities typed with it
    properties: dict[str, int] = field(default_factory=dict)  #: property → triples using it


def count(quads: Iterable[pyoxigraph.Quad | pyoxigraph.Triple], uri_space: str) -> Counts:
    """Count distinct triples, entities (subjects in `uri_space`), subjects, objects, and the
    members of every class and the triples of every property."""
    seen: set[tuple[str, str, str]] = set()
    subjects: set[str] = set()
    objects: set[str] = set()
    class_members: dict[str, set[str]] = defaultdict(set)
    property_triples: dict[str, int] = defaultdict(int)
    for quad in quads:
        subject, predicate, obj = str(quad.subject), quad.predicate.value, str(quad.object)
        key = (subject, predicate, obj)
        if key in seen:
            continue
        seen.add(key)
        subjects.add(subject)
        objects.add(obj)
        property_triples[predicate] += 1
        if predicate == RDF_TYPE:
            class_members[term_value(quad.object)].add(subject)
    entities = {s for s in subjects if s.startswith("<" + uri_space)}
    return Counts(
        triples=len(seen),
        entities=len(entities),
        distinct_subjects=len(subjects),
        distinct_objects=len(objects),
        classes={c: len(members) for c, members in class_members.items()},
        properties=dict(property_triples),
    )


def token(iri: str) -> str:
    """A stable IRI segment naming `iri`: `lbo-Team`, or a hash for unknown namespaces."""
    short = shorten(iri)
    if short.startswith("<"):
        return "iri-" + hashlib.sha256(iri.encode()).hexdigest()[:16]
    return short.replace(":", "-")


def namespace_of(iri: str) -> str:
    """The namespace of a term: up to its last `#` or `/`."""
    cut = max(iri.rfind("#"), iri.rfind("/"))
    return iri[: cut + 1]


def describe_publication(
    metadata: DatasetMetadata,
    counts: Counts,
    distributions: Iterable[Distribution],
    *,
    uri_space: str,
    site_base: str,
    landing_page: str | None = None,
) -> list[pyoxigraph.Quad]:
    """The VoID + DCAT triples of the dataset, its partitions and its distributions, sorted.

    `landing_page` (relative to `site_base`) is the page about the dataset: its
    `dcat:landingPage`, not a distribution (it describes the data, it does not carry it)."""
    import pyoxigraph

    node, literal = pyoxigraph.NamedNode, pyoxigraph.Literal
    triples: set[tuple] = set()

    def add(subject: str, predicate: str, obj) -> None:
        triples.add(
            (node(subject), node(predicate), obj if not isinstance(obj, str) else node(obj))
        )

    def integer(value: int, datatype: str = XSD + "integer"):
        return literal(str(value), datatype=node(datatype))

    for quad in metadata.quads:
        triples.add((quad.subject, quad.predicate, quad.object))
    dataset = metadata.iri
    for cls in (VOID + "Dataset", DCAT + "Dataset"):
        add(dataset, RDF_TYPE, cls)
    add(dataset, VOID + "triples", integer(counts.triples))
    add(dataset, VOID + "entities", integer(counts.entities))
    add(dataset, VOID + "classes", integer(len(counts.classes)))
    add(dataset, VOID + "properties", integer(len(counts.properties)))
    add(dataset, VOID + "distinctSubjects", integer(counts.distinct_subjects))
    add(dataset, VOID + "distinctObjects", integer(counts.distinct_objects))
    add(dataset, VOID + "uriSpace", literal(uri_space))
    add(dataset, DCTERMS + "license", metadata.license)
    add(dataset, OWL + "versionInfo", literal(metadata.version))
    add(dataset, DCAT + "version", literal(metadata.version))
    add(dataset, DCTERMS + "issued", literal(metadata.issued, datatype=node(XSD + "date")))
    add(dataset, VOID + "vocabulary", LBO)
    if landing_page is not None:
        add(dataset, DCAT + "landingPage", site_base + landing_page)
    for example in metadata.example_resources:
        add(dataset, VOID + "exampleResource", example)
    for term in (*counts.classes, *counts.properties):
        add(dataset, VOID + "vocabulary", namespace_of(term))
    add(dataset, RDFS + "comment", literal(CLASS_PARTITION_NOTE, language="en"))
    for cls, entities in counts.classes.items():
        partition = f"{dataset}/class/{token(cls)}"
        add(dataset, VOID + "classPartition", partition)
        add(partition, RDF_TYPE, VOID + "Dataset")
        add(partition, VOID + "class", cls)
        add(partition, VOID + "entities", integer(entities))
    for prop, number in counts.properties.items():
        partition = f"{dataset}/property/{token(prop)}"
        add(dataset, VOID + "propertyPartition", partition)
        add(partition, RDF_TYPE, VOID + "Dataset")
        add(partition, VOID + "property", prop)
        add(partition, VOID + "triples", integer(number))
    add(ONTOLOGY_IRI, RDF_TYPE, DCAT + "Dataset")
    for distribution in distributions:
        iri = f"{dataset}/distribution/{distribution.path.replace('/', '-').replace('.', '-')}"
        url = site_base + distribution.path
        add(distribution.dataset, DCAT + "distribution", iri)
        if distribution.dataset == dataset and distribution.media_type != "text/html":
            add(dataset, VOID + "dataDump", url)
        add(iri, RDF_TYPE, DCAT + "Distribution")
        add(iri, DCTERMS + "title", literal(distribution.title, language="en"))
        add(iri, DCAT + "downloadURL", url)
        add(iri, DCAT + "mediaType", IANA_MEDIA_TYPES + distribution.media_type)
        add(iri, DCAT + "byteSize", integer(distribution.byte_size, XSD + "nonNegativeInteger"))
        add(iri, DCTERMS + "license", metadata.license)
        add(iri, DCTERMS + "issued", literal(metadata.issued, datatype=node(XSD + "date")))
        checksum = iri + "/sha256"
        add(iri, SPDX + "checksum", checksum)
        add(checksum, RDF_TYPE, SPDX + "Checksum")
        add(checksum, SPDX + "algorithm", SPDX + "checksumAlgorithm_sha256")
        add(
            checksum,
            SPDX + "checksumValue",
            literal(distribution.sha256, datatype=node(XSD + "hexBinary")),
        )
    quads = [pyoxigraph.Quad(s, p, o) for s, p, o in triples]
    return sorted(quads, key=lambda q: (str(q.subject), str(q.predicate), str(q.object)))
