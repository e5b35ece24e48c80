"""The publication's landing page (`index.html`): what the dataset is and where to get it.

It shows the metadata of `data/meta/dataset.ttl`, the downloads exactly as `void.ttl`
describes them (the same `Distribution` records: format, media type, size, SHA-256), links to
the ontology's page and the VoID description, and every resource grouped by class. Statement
records are counted, not listed: each resource page links the records behind its facts.

The page is a page *about* the dataset, not a copy of it: `void.ttl` names it the dataset's
`dcat:landingPage`, not one of its `dcat:Distribution`s.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from typing import TYPE_CHECKING

from llmboom.namespaces import LBO, ONTOLOGY_IRI, RDF, shorten
from llmboom.publication.html_layout import Links, esc, iri_link, page

if TYPE_CHECKING:
    from llmboom.publication.graph_index import GraphIndex
    from llmboom.publication.metadata import DatasetMetadata
    from llmboom.publication.void import Counts, Distribution

#: The landing page's file name, at the root of the publication.
LANDING_PAGE = "index.html"

_TYPE = RDF + "type"
#: The group of resources that have no `rdf:type` (none should: the shapes require one).
_UNTYPED = ""


def landing_links(base_iri: str) -> Links:
    """Links as seen from the root of the publication: `id/<slug>.html`, `ontology.html#T`."""
    return Links(base_iri=base_iri, resource_prefix="id/", ontology_page="ontology.html")


def resources_by_class(index: GraphIndex, base_iri: str) -> dict[str, list[str]]:
    """Every resource of `base_iri` that is not a statement record, grouped by each of its
    classes (`""` for untyped ones); classes and members in a stable order."""
    groups: dict[str, list[str]] = defaultdict(list)
    for iri in index.iris(base_iri):
        if index.is_statement_record(iri):
            continue
        classes = sorted({t.value for t in index.values(iri, _TYPE)}) or [_UNTYPED]
        for cls in classes:
            groups[cls].append(iri)

    def label_key(iri: str) -> tuple[str, str]:
        return ((index.label(iri) or iri).casefold(), iri)

    ordered = sorted(groups, key=lambda c: (c == _UNTYPED, *label_key(c)))
    return {cls: sorted(groups[cls], key=label_key) for cls in ordered}


def statement_record_count(index: GraphIndex, base_iri: str) -> int:
    """How many statement records the dataset holds in `base_iri`."""
    return sum(1 for iri in index.iris(base_iri) if index.is_statement_record(iri))


def render_landing_page(
    index: GraphIndex,
    metadata: DatasetMetadata,
    distributions: Sequence[Distribution],
    *,
    base_iri: str,
    counts: Counts | None = None,
    footer: str = "",
    sparql_endpoint: str | None = None,
) -> str:
    """The HTML of `index.html`. `distributions` are the records `void.ttl` is written from;
    `counts`, when given, adds the dataset's triple and entity counts; `sparql_endpoint`,
    when the dataset is served, says how to query it there."""
    links = landing_links(base_iri)
    groups = resources_by_class(index, base_iri)
    records = statement_record_count(index, base_iri)
    head = '<link rel="alternate" type="text/turtle" href="void.ttl" title="VoID and DCAT">\n'
    parts = [
        f"<h1>{esc(metadata.title)}</h1>",
        f'<p class="sub"><code class="iri">{esc(metadata.iri)}</code></p>',
    ]
    if metadata.description:
        parts.append(f'<p class="description">{esc(metadata.description)}</p>')
    parts.append(_metadata_html(metadata, counts))
    parts.append(
        '<nav><ul id="see-also">\n'
        '<li><a href="ontology.html">The ontology</a>: every class and property, '
        "documented</li>\n"
        '<li><a href="void.ttl">void.ttl</a>: this description in VoID and DCAT '
        "(counts, partitions, distributions)</li>\n"
        '<li><a href="#downloads">Downloads</a> · '
        '<a href="#resources">Resources</a></li>\n</ul></nav>'
    )
    if sparql_endpoint is not None:
        parts.append(_query_html(sparql_endpoint))
    parts.append(_downloads_html(distributions, metadata.iri))
    parts.append(_resources_html(index, groups, records, links))
    return page(metadata.title, "\n".join(parts), head=head, footer=footer)


def _metadata_html(metadata: DatasetMetadata, counts: Counts | None) -> str:
    rows = [
        ("Version", esc(metadata.version)),
        ("Issued", f'<time datetime="{esc(metadata.issued)}">{esc(metadata.issued)}</time>'),
        ("License", f'<a rel="license" href="{esc(metadata.license)}">{esc(metadata.license)}</a>'),
    ]
    if counts is not None:
        rows.append(("Triples", _number(counts.triples)))
        rows.append(("Entities", _number(counts.entities)))
    items = "\n".join(f"<dt>{name}</dt><dd>{value}</dd>" for name, value in rows)
    return f'<dl class="meta" id="metadata">\n{items}\n</dl>'


def _query_html(endpoint: str) -> str:
    """How to query the served dataset: the endpoint, the query page, one example."""
    example = "SELECT ?team ?unit WHERE { ?team lbo:ledBy ?unit }"
    return (
        '<h2 id="query">Query it</h2>\n'
        f'<p>SPARQL 1.1 endpoint: <a href="{esc(endpoint)}"><code>{esc(endpoint)}</code></a> '
        "(GET, or POST as a form or <code>application/sparql-query</code>; results as JSON, "
        "XML, CSV or TSV, graphs as Turtle, N-Triples, JSON-LD or RDF/XML, by "
        "<code>Accept</code>). Open it in a browser for a query page with the named queries "
        "as examples. The prefixes <code>lbo:</code>, <code>lbr:</code>, <code>rdfs:</code>, "
        "<code>prov:</code> and the others of the dataset need no declaration. Every resource "
        "IRI answers with a page or, by content negotiation, with RDF.</p>\n"
        f"<pre>curl -H 'Accept: text/csv' \\\n     --data-urlencode 'query={esc(example)}' \\\n"
        f"     {esc(endpoint)}</pre>"
    )


def _number(value: int) -> str:
    return f'<data value="{value}">{value:,}</data>'


def _downloads_html(distributions: Sequence[Distribution], dataset_iri: str) -> str:
    """One table per dataset (the data, then the ontology), rows in the build's order."""
    names = {dataset_iri: "The dataset", ONTOLOGY_IRI: "The ontology"}
    by_dataset: dict[str, list[Distribution]] = {}
    for distribution in distributions:
        by_dataset.setdefault(distribution.dataset, []).append(distribution)
    html = ['<h2 id="downloads">Downloads</h2>']
    for dataset, rows in by_dataset.items():
        html.append(f"<h3>{esc(names.get(dataset, shorten(dataset)))}</h3>")
        html.append(
            '<table class="downloads">\n<thead><tr><th>File</th><th>Format</th>'
            "<th>Media type</th><th>Bytes</th><th>SHA-256</th></tr></thead>\n<tbody>"
        )
        html.extend(
            f'<tr class="download"><td><a href="{esc(d.path)}">{esc(d.path)}</a></td>'
            f"<td>{esc(d.format_name or d.title)}</td>"
            f'<td><code class="media-type">{esc(d.media_type)}</code></td>'
            f'<td class="bytes">{_number(d.byte_size)}</td>'
            f'<td><code class="sha256">{esc(d.sha256)}</code></td></tr>'
            for d in rows
        )
        html.append("</tbody>\n</table>")
    return "\n".join(html)


def _resources_html(
    index: GraphIndex, groups: dict[str, list[str]], records: int, links: Links
) -> str:
    total = len({iri for members in groups.values() for iri in members})
    html = [
        f'<h2 id="resources">Resources ({total})</h2>',
        f'<p id="statement-records">Not listed: the dataset\'s <data value="{records}">'
        f"{records:,}</data> statement records (<code>rdf:Statement</code>), one per fact, "
        "each with the verbatim quote, the source and the attribution behind it. Every "
        "resource page links the records of its facts.</p>",
    ]
    contents = [
        f'<a href="#{esc(_anchor(cls))}">{esc(_class_name(index, cls))}</a> ({len(members)})'
        for cls, members in groups.items()
    ]
    html.append(f'<p class="contents">{" · ".join(contents)}</p>')
    for cls, members in groups.items():
        heading = (
            iri_link(cls, links, index.label(cls))
            if cls != _UNTYPED
            else esc(_class_name(index, cls))
        )
        items = "\n".join(
            f"<li>{iri_link(iri, links, index.label(iri) or links.slug(iri))}</li>"
            for iri in members
        )
        html.append(
            f'<section class="class" id="{esc(_anchor(cls))}">\n'
            f"<h3>{heading} ({len(members)})</h3>\n<ul>\n{items}\n</ul>\n</section>"
        )
    return "\n".join(html)


def _class_name(index: GraphIndex, cls: str) -> str:
    if cls == _UNTYPED:
        return "Without a class"
    return index.label(cls) or shorten(cls)


def _anchor(cls: str) -> str:
    """The section id of a class: `class-Team` for `lbo:Team`, `class-prov-Entity` else."""
    from llmboom.publication.void import token

    if cls == _UNTYPED:
        return "class-none"
    return "class-" + (cls[len(LBO) :] if cls.startswith(LBO) else token(cls))
