"""The ontology's HTML documentation page (`ontology.html`).

Every term is a section whose `id` is the term's local name, so that `…/ontology#Team`
lands on the documentation of `lbo:Team`. A section gives the label, IRI, comment,
super-classes or super-properties (the alignments with ORG, FOAF, schema.org, PROV, OWL-Time),
sub-terms, domains, ranges, inverses and characteristics.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from llmboom.namespaces import DCTERMS, LBO, ONTOLOGY_IRI, OWL, RDF, RDFS, SKOS, VANN, shorten
from llmboom.publication.graph_index import GraphIndex
from llmboom.publication.html_layout import Links, esc, iri_link, page

if TYPE_CHECKING:
    import pyoxigraph

_TYPE = RDF + "type"
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


def render_ontology_page(
    ontology: Iterable[pyoxigraph.Quad | pyoxigraph.Triple],
    *,
    ontology_iri: str = ONTOLOGY_IRI,
    namespace: str = LBO,
    alternates: Iterable[tuple[str, str, str]] = (),
    footer: str = "",
) -> str:
    """The HTML documentation of the ontology. `alternates` lists (href, media type, name)
    of its other formats."""
    quads = list(ontology)
    index = GraphIndex(quads, quads)
    links = Links(base_iri="\0", ontology_page="")  # terms link to their own anchors
    title = _literal(index, ontology_iri, DCTERMS + "title") or shorten(ontology_iri)
    alternates = list(alternates)
    head = "".join(
        f'<link rel="alternate" type="{esc(media)}" href="{esc(href)}">\n'
        for href, media, _ in alternates
    )
    terms = _terms_by_kind(index, namespace)
    parts = [
        f"<h1>{esc(title)}</h1>",
        f'<p class="sub"><code class="iri">{esc(ontology_iri)}</code></p>',
    ]
    description = _literal(index, ontology_iri, DCTERMS + "description")
    if description:
        parts.append(f"<p>{esc(description)}</p>")
    parts.append(_metadata_html(index, ontology_iri, links))
    if alternates:
        formats = " · ".join(f'<a href="{esc(h)}">{esc(n)}</a>' for h, _, n in alternates)
        parts.append(f"<p>Download: {formats}</p>")
    parts.append(_contents_html(index, terms))
    for anchor, heading, _ in _KINDS:
        if terms[anchor]:
            parts.append(f'<h2 id="{anchor}">{heading}</h2>')
            parts.extend(_term_html(index, term, links) for term in terms[anchor])
    return page(title, "\n".join(parts), head=head, footer=footer)


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
        types = {t.value for t in index.values(subject, _TYPE)}
        for anchor, _, kinds in _KINDS:
            if types & kinds:
                terms[anchor].append(subject)
                break
    for anchor in terms:
        terms[anchor].sort(key=lambda iri: (index.label(iri) or iri).lower())
    return terms


def _metadata_html(index: GraphIndex, iri: str, links: Links) -> str:
    rows = []
    for name, predicate in _METADATA:
        values = [_value(index, v, links) for v in index.values(iri, predicate)]
        if values:
            rows.append(f"<dt>{name}</dt><dd>{', '.join(values)}</dd>")
    return '<dl class="meta">\n' + "\n".join(rows) + "\n</dl>" if rows else ""


def _contents_html(index: GraphIndex, terms: dict[str, list[str]]) -> str:
    items = []
    for anchor, heading, _ in _KINDS:
        if terms[anchor]:
            entries = ", ".join(
                f'<a href="#{esc(_local(t))}">{esc(index.label(t) or _local(t))}</a>'
                for t in terms[anchor]
            )
            items.append(f'<li><a href="#{anchor}">{heading}</a>: {entries}</li>')
    return "<h2>Contents</h2>\n<ul>\n" + "\n".join(items) + "\n</ul>"


def _local(iri: str) -> str:
    return iri[len(LBO) :] if iri.startswith(LBO) else iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _value(index: GraphIndex, term, links: Links) -> str:
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        label = index.label(term.value) if term.value.startswith(LBO) else None
        if term.value.startswith(LBO):
            return iri_link(term.value, links, label)
        return f'<a href="{esc(term.value)}">{esc(shorten(term.value))}</a>'
    if isinstance(term, pyoxigraph.Literal):
        return esc(term.value)
    return "<em>an anonymous class expression</em>"


def _term_html(index: GraphIndex, iri: str, links: Links) -> str:
    label = index.label(iri) or _local(iri)
    html = [
        f'<section id="{esc(_local(iri))}">',
        f"<h3>{esc(label)}</h3>",
        f'<p class="sub"><code class="iri">{esc(iri)}</code> ({esc(shorten(iri))})</p>',
    ]
    comment = _literal(index, iri, RDFS + "comment")
    if comment:
        html.append(f"<p>{esc(comment)}</p>")
    rows = []
    characteristics = sorted(
        _CHARACTERISTICS[t.value] for t in index.values(iri, _TYPE) if t.value in _CHARACTERISTICS
    )
    if characteristics:
        rows.append(f"<tr><th>Characteristics</th><td>{esc(', '.join(characteristics))}</td></tr>")
    for heading, predicate, inverse in _ROWS:
        if inverse:
            terms = [t.subject for t in index.incoming(iri) if t.predicate.value == predicate]
        else:
            terms = index.values(iri, predicate)
        if terms:
            values = sorted({_value(index, t, links) for t in terms})
            rows.append(f"<tr><th>{heading}</th><td>{', '.join(values)}</td></tr>")
    if rows:
        html.append("<table>\n" + "\n".join(rows) + "\n</table>")
    html.append("</section>")
    return "\n".join(html)
