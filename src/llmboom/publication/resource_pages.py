"""One page per resource: what it says (RDF) and how a person reads it (HTML).

`describe` picks the triples of a resource's own documents (`<slug>.ttl`, `<slug>.jsonld`):
its facts, the facts that point at it, the statement records behind them and the labels of
its neighbours. `render_resource_page` is pure: the static build and the server share it.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from llmboom.namespaces import LBO, PROV, RDF, RDFS, SKOS, XSD, shorten
from llmboom.publication.graph_index import GraphIndex, triple_sort_key
from llmboom.publication.html_layout import Links, esc, iri_link, page, script_json

if TYPE_CHECKING:
    import pyoxigraph

_TYPE, _LABEL, _ALT = RDF + "type", RDFS + "label", SKOS + "altLabel"
_FULL_TEXT = LBO + "fullText"
_QUOTE, _ATTRIBUTED, _NOTE = LBO + "quote", LBO + "attributedTo", LBO + "note"
_DERIVED = PROV + "wasDerivedFrom"
#: Triples of a resource that need no statement record (SPEC §4) and are shown in the header.
_EXEMPT = {_TYPE, _LABEL, _ALT, _FULL_TEXT}
_RECORD_LINKS = {RDF + "subject", RDF + "object", _DERIVED, _ATTRIBUTED}


def describe(index: GraphIndex, iri: str, base_iri: str) -> list[pyoxigraph.Triple]:
    """The triples of a resource's documents, sorted: its own, the incoming ones, the statement
    records supporting either, and the labels of the resources they link to."""
    import pyoxigraph

    triples: set[pyoxigraph.Triple] = set(index.outgoing(iri))
    incoming = index.incoming(iri)
    triples.update(incoming)
    for triple in [*index.outgoing(iri), *incoming]:
        for record in index.records_for(triple):
            triples.update(index.outgoing(record))
    neighbours = {
        term.value
        for triple in triples
        for term in (triple.subject, triple.object)
        if isinstance(term, pyoxigraph.NamedNode) and term.value.startswith(base_iri)
    }
    neighbours.discard(iri)
    for neighbour in neighbours:
        triples.update(t for t in index.outgoing(neighbour) if t.predicate.value == _LABEL)
    return sorted(triples, key=triple_sort_key)


def render_resource_page(
    index: GraphIndex,
    iri: str,
    *,
    jsonld: str,
    links: Links | None = None,
    footer: str = "",
    alternates: Sequence[tuple[str, str, str]] | None = None,
) -> str:
    """The HTML page of one resource: label, types, every fact with its quotes and
    attributions, the facts that point at it, and its JSON-LD (`jsonld`) embedded.
    `alternates` lists (href, media type, name) of its other formats; by default the
    Turtle and JSON-LD files the static build writes beside the page."""
    links = links or Links()
    label = index.label(iri) or links.slug(iri) or iri
    if alternates is None:
        alternates = [
            (links.alternate(iri, ".ttl"), "text/turtle", "Turtle"),
            (links.alternate(iri, ".jsonld"), "application/ld+json", "JSON-LD"),
        ]
    head = "".join(
        f'<link rel="alternate" type="{esc(media)}" href="{esc(href)}">\n'
        for href, media, _ in alternates
    )
    head += f'<script type="application/ld+json">\n{script_json(jsonld)}\n</script>\n'
    parts = [_header(index, iri, label, links, alternates)]
    if index.is_statement_record(iri):
        parts.append(_record_section(index, iri, links))
    else:
        parts.append(_facts_section(index, iri, links))
    full_text = index.value(iri, _FULL_TEXT)
    if full_text is not None:
        parts.append(f'<h2>Full text</h2>\n<div class="fulltext">{esc(full_text.value)}</div>')
    parts.append(_incoming_section(index, iri, links))
    parts.append(_citing_records_section(index, iri, links))
    return page(label, "\n".join(p for p in parts if p), head=head, footer=footer)


def _header(
    index: GraphIndex,
    iri: str,
    label: str,
    links: Links,
    alternates: Sequence[tuple[str, str, str]],
) -> str:
    types = [iri_link(t.value, links, index.label(t.value)) for t in index.values(iri, _TYPE)]
    alt = sorted(t.value for t in index.values(iri, _ALT))
    html = [f"<h1>{esc(label)}</h1>", f'<p class="sub"><code class="iri">{esc(iri)}</code>']
    if types:
        html.append(f" · {', '.join(types)}")
    html.append("</p>")
    if alt:
        html.append(f"<p>Also known as: {esc(', '.join(alt))}</p>")
    formats = " · ".join(f'<a href="{esc(href)}">{esc(name)}</a>' for href, _, name in alternates)
    html.append(f"<p>Other formats: {formats}</p>")
    return "\n".join(html)


def _value_html(index: GraphIndex, term, links: Links) -> str:
    import pyoxigraph

    if isinstance(term, pyoxigraph.NamedNode):
        return iri_link(term.value, links, index.label(term.value))
    if isinstance(term, pyoxigraph.Literal):
        text = esc(term.value)
        if term.language:
            return f'{text} <span class="note">@{esc(term.language)}</span>'
        datatype = term.datatype.value
        if datatype != XSD + "string":
            return f'{text} <span class="note">{esc(shorten(datatype))}</span>'
        return text
    return esc(str(term))


def _support_html(index: GraphIndex, triple, links: Links) -> str:
    """The quotes, attributions, sources and notes of the records behind one fact."""
    records = index.records_for(triple)
    if not records:
        return '<span class="unsupported">no statement record supports this fact</span>'
    blocks = []
    for record in records:
        html = [
            f'<blockquote class="quote">{esc(q.value)}</blockquote>'
            for q in sorted(index.values(record, _QUOTE), key=lambda q: q.value)
        ]
        attribution = [
            _attribution_html(index, a.value, links) for a in index.values(record, _ATTRIBUTED)
        ]
        sources = [
            iri_link(s.value, links, index.label(s.value)) for s in index.values(record, _DERIVED)
        ]
        line = f"— {', '.join(attribution) or 'no attribution'}"
        if sources:
            line += f"; source: {', '.join(sources)}"
        line += f' (<a href="{esc(links.href(record))}">statement</a>)'
        html.append(f'<div class="attr">{line}</div>')
        html.extend(
            f'<div class="note">Note: {esc(n.value)}</div>' for n in index.values(record, _NOTE)
        )
        blocks.append("".join(html))
    return "\n".join(blocks)


def _attribution_html(index: GraphIndex, attribution: str, links: Links) -> str:
    html = iri_link(attribution, links, index.label(attribution))
    if index.is_anonymous(attribution):
        html += ' <span class="anon" title="anonymous source">anonymous</span>'
    return html


def _property_html(index: GraphIndex, predicate: str, links: Links) -> str:
    return iri_link(predicate, links, index.label(predicate))


def _facts_section(index: GraphIndex, iri: str, links: Links) -> str:
    rows = []
    for triple in index.outgoing(iri):
        if triple.predicate.value in _EXEMPT:
            continue
        first = _property_html(index, triple.predicate.value, links)
        second = _value_html(index, triple.object, links)
        rows.append(_fact_row(first, second, index, triple, links))
    if not rows:
        return "<h2>Facts</h2>\n<p>No facts beyond its name and type.</p>"
    return _fact_table("Facts", "facts", ("Property", "Value"), rows)


def _incoming_section(index: GraphIndex, iri: str, links: Links) -> str:
    rows = []
    for triple in index.incoming(iri):
        subject = triple.subject.value
        if triple.predicate.value in _RECORD_LINKS and index.is_statement_record(subject):
            continue
        first = iri_link(subject, links, index.label(subject))
        second = _property_html(index, triple.predicate.value, links)
        rows.append(_fact_row(first, second, index, triple, links))
    if not rows:
        return ""
    return _fact_table("Referenced by", "referenced-by", ("Resource", "Property"), rows)


def _fact_row(first: str, second: str, index: GraphIndex, triple, links: Links) -> str:
    """One fact: two cells that say what it is, then its quotes and attributions."""
    return (
        f'<tr class="fact"><td>{first}</td><td>{second}</td>'
        f'<td class="support">{_support_html(index, triple, links)}</td></tr>'
    )


def _fact_table(heading: str, table_id: str, columns: tuple[str, str], rows: list[str]) -> str:
    """A section of fact rows under `heading`, the last column being their support."""
    head = "".join(f"<th>{column}</th>" for column in (*columns, "Supported by"))
    return (
        f'<h2>{heading}</h2>\n<table id="{table_id}">\n<thead><tr>{head}</tr></thead>\n'
        "<tbody>\n" + "\n".join(rows) + "\n</tbody>\n</table>"
    )


def _citing_records_section(index: GraphIndex, iri: str, links: Links) -> str:
    """Statement records that name this resource as their source or attribution."""
    records = sorted(
        {
            t.subject.value
            for t in index.incoming(iri)
            if t.predicate.value in (_DERIVED, _ATTRIBUTED)
            and index.is_statement_record(t.subject.value)
        }
    )
    if not records:
        return ""
    items = [f"<li>{iri_link(r, links, index.label(r) or shorten(r))}</li>" for r in records]
    return (
        f"<h2>Statement records citing it ({len(records)})</h2>\n<ul>\n"
        + "\n".join(items)
        + "\n</ul>"
    )


def _record_section(index: GraphIndex, iri: str, links: Links) -> str:
    """A statement record: the fact it supports, its quote, source, attribution and note."""
    rows = []
    for name, predicate in (
        ("Subject", RDF + "subject"),
        ("Predicate", RDF + "predicate"),
        ("Object", RDF + "object"),
        ("Source", _DERIVED),
        ("Attribution", _ATTRIBUTED),
        ("Quote", _QUOTE),
        ("Note", _NOTE),
    ):
        for value in index.values(iri, predicate):
            if predicate == _QUOTE:
                html = f'<blockquote class="quote">{esc(value.value)}</blockquote>'
            elif predicate == _ATTRIBUTED:
                html = _attribution_html(index, value.value, links)
            else:
                html = _value_html(index, value, links)
            rows.append(f"<dt>{name}</dt><dd>{html}</dd>")
    shown = {RDF + "subject", RDF + "predicate", RDF + "object", _DERIVED, _ATTRIBUTED, _QUOTE}
    shown |= {_NOTE, *_EXEMPT}
    for triple in index.outgoing(iri):
        if triple.predicate.value not in shown:
            name = esc(index.label(triple.predicate.value) or shorten(triple.predicate.value))
            rows.append(f"<dt>{name}</dt><dd>{_value_html(index, triple.object, links)}</dd>")
    return '<h2>Statement record</h2>\n<dl class="meta">\n' + "\n".join(rows) + "\n</dl>"
