"""The ontology's HTML documentation page (`ontology.html`).

Every term is a section whose `id` is the term's local name, so that `…/ontology#Team`
lands on the documentation of `lbo:Team`. A section gives the label, IRI, comment,
super-classes or super-properties (the alignments with ORG, FOAF, schema.org, PROV, OWL-Time),
sub-terms, domains, ranges, inverses and characteristics.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from llmboom.namespaces import (
    DCTERMS,
    LBO,
    ONTOLOGY_IRI,
    OWL,
    RDF_TYPE,
    RDFS,
    SKOS,
    VANN,
    shorten,
)
from llmboom.publication.graph_index import GraphIndex
from llmboom.publication.html_layout import Footer, Links, Term, external_term, iri_term
from llmboom.publication.templating import render_template

if TYPE_CHECKING:
    import pyoxigraph

_KINDS = (
    ("classes", "Classes", {OWL + "Class", RDFS + "Class"}),
    ("object-properties", "Object properties", {OWL + "ObjectProperty"}),
    ("datatype-properties", "Datatype properties", {OWL + "DatatypeProperty"}),
    ("annotation-properties", "Annotation properties", {OWL + "AnnotationProperty"}),
    ("individuals", "Named individuals", {OWL + "NamedIndividual"}),
)
_CHARACTERISTICS = {
    OWL + name: name.removesuffix("Property")
    for name in (
        "SymmetricProperty",
        "TransitiveProperty",
        "FunctionalProperty",
        "InverseFunctionalProperty",
        "AsymmetricProperty",
        "ReflexiveProperty",
        "IrreflexiveProperty",
    )
}
#: Rows of a term's table: heading, predicate, and whether the link goes the other way.
_ROWS = (
    ("Super-classes", RDFS + "subClassOf", False),
    ("Sub-classes", RDFS + "subClassOf", True),
    ("Equivalent to", OWL + "equivalentClass", False),
    ("Disjoint with", OWL + "disjointWith", False),
    ("Super-properties", RDFS + "subPropertyOf", False),
    ("Sub-properties", RDFS + "subPropertyOf", True),
    ("Equivalent to", OWL + "equivalentProperty", False),
    ("Inverse of", OWL + "inverseOf", False),
    ("Domain", RDFS + "domain", False),
    ("Range", RDFS + "range", False),
    ("In the domain of", RDFS + "domain", True),
    ("In the range of", RDFS + "range", True),
    ("Definition", SKOS + "definition", False),
    ("Example", SKOS + "example", False),
    ("Note", SKOS + "note", False),
    ("See also", RDFS + "seeAlso", False),
)
_METADATA = (
    ("Title", DCTERMS + "title"),
    ("Version", OWL + "versionInfo"),
    ("Version IRI", OWL + "versionIRI"),
    ("Creator", DCTERMS + "creator"),
    ("Publisher", DCTERMS + "publisher"),
    ("License", DCTERMS + "license"),
    ("Created", DCTERMS + "created"),
    ("Modified", DCTERMS + "modified"),
    ("Issued", DCTERMS + "issued"),
    ("Preferred prefix", VANN + "preferredNamespacePrefix"),
    ("Namespace", VANN + "preferredNamespaceUri"),
    ("See also", RDFS + "seeAlso"),
)


@dataclass(frozen=True)
class TermSection:
    """The documentation of one term."""

    anchor: str
    label: str
    iri: str
    short: str
    comment: str | None
    rows: list[tuple[str, list[Term]]]  #: (heading, values)


@dataclass(frozen=True)
class TermKind:
    """The terms of one kind (classes, object properties, ...)."""

    anchor: str
    heading: str
    terms: list[TermSection]


@dataclass(frozen=True)
class OntologyPage:
    """Everything `ontology.html` shows, as plain data."""

    title: str
    iri: str
    description: str | None
    metadata: list[tuple[str, list[Term]]]
    alternates: list[tuple[str, str, str]]  #: (href, media type, format name)
    kinds: list[TermKind]


def ontology_page(
    ontology: Iterable[pyoxigraph.Quad | pyoxigraph.Triple],
    *,
    ontology_iri: str = ONTOLOGY_IRI,
    namespace: str = LBO,
    alternates: Iterable[tuple[str, str, str]] = (),
) -> OntologyPage:
    """The data of the ontology's page. `alternates` lists (href, media type, name) of its
    other formats."""
    quads = list(ontology)
    index = GraphIndex(quads, quads)
    links = Links(base_iri="\0", ontology_page="")  # terms link to their own anchors
    terms = _terms_by_kind(index, namespace)
    return OntologyPage(
        title=_literal(index, ontology_iri, DCTERMS + "title") or shorten(ontology_iri),
        iri=ontology_iri,
        description=_literal(index, ontology_iri, DCTERMS + "description"),
        metadata=_metadata_rows(index, ontology_iri, links),
        alternates=list(alternates),
        kinds=[
            TermKind(anchor, heading, [_term_section(index, t, links) for t in terms[anchor]])
            for anchor, heading, _ in _KINDS
            if terms[anchor]
        ],
    )


def render_ontology_page(
    ontology: Iterable[pyoxigraph.Quad | pyoxigraph.Triple],
    *,
    ontology_iri: str = ONTOLOGY_IRI,
    namespace: str = LBO,
    alternates: Iterable[tuple[str, str, str]] = (),
    footer: Footer | None = None,
    search_root: str | None = None,
) -> str:
    """The HTML documentation of the ontology (template `ontology.html`); `search_root` adds
    the search box."""
    view = ontology_page(
        ontology, ontology_iri=ontology_iri, namespace=namespace, alternates=alternates
    )
    return render_template(
        "ontology.html", title=view.title, page=view, footer=footer, search_root=search_root
    )


def _literal(index: GraphIndex, iri: str, predicate: str) -> str | None:
    values = sorted(
        index.values(iri, predicate), key=lambda t: (getattr(t, "language", "") != "en", t.value)
    )
    return values[0].value if values else None


def _terms_by_kind(index: GraphIndex, namespace: str) -> dict[str, list[str]]:
    terms: dict[str, list[str]] = defaultdict(list)
    for subject in sorted(index.by_subject):
        if not subject.startswith(namespace) or subject == namespace:
            continue
        types = {t.value for t in index.values(subject, RDF_TYPE)}
        for anchor, _, kinds in _KINDS:
            if types & kinds:
                terms[anchor].append(subject)
                break
    for anchor in terms:
        terms[anchor].sort(key=lambda iri: (index.label(iri) or iri).lower())
    return terms


def _metadata_rows(index: GraphIndex, iri: str, links: Links) -> list[tuple[str, list[Term]]]:
    rows = []
    for name, predicate in _METADATA:
        values = [_value(index, v, links) for v in index.values(iri, predicate)]
        if values:
            rows.append((name, values))
    return rows


def _local(iri: str) -> str:
    return iri[len(LBO) :] if iri.startswith(LBO) else iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _value(index: GraphIndex, term, links: Links) -> Term:
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        if term.value.startswith(LBO):
            return iri_term(term.value, links, index.label(term.value))
        return Term(text=shorten(term.value), href=external_term(term.value).href)
    if isinstance(term, pyoxigraph.Literal):
        return Term(text=term.value)
    return Term(text="an anonymous class expression")


def _term_section(index: GraphIndex, iri: str, links: Links) -> TermSection:
    rows: list[tuple[str, list[Term]]] = []
    characteristics = sorted(
        _CHARACTERISTICS[t.value]
        for t in index.values(iri, RDF_TYPE)
        if t.value in _CHARACTERISTICS
    )
    if characteristics:
        rows.append(("Characteristics", [Term(text=", ".join(characteristics))]))
    for heading, predicate, inverse in _ROWS:
        terms = (
            [t.subject for t in index.incoming(iri) if t.predicate.value == predicate]
            if inverse
            else index.values(iri, predicate)
        )
        if terms:
            values = {_value(index, t, links) for t in terms}
            rows.append((heading, sorted(values, key=lambda t: (t.text, t.href or ""))))
    return TermSection(
        anchor=_local(iri),
        label=index.label(iri) or _local(iri),
        iri=iri,
        short=shorten(iri),
        comment=_literal(index, iri, RDFS + "comment"),
        rows=rows,
    )
