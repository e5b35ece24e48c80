"""One page per resource: what it says (RDF) and how a person reads it (HTML).

`describe` picks the triples of a resource's own documents (`<slug>.ttl`, `<slug>.jsonld`):
its facts, the facts that point at it, the statement records behind them and the labels of
its neighbours. `render_resource_page` is pure: the static build and the server share it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from llmboom.namespaces import (
    CITATION_PREDICATES,
    LBO,
    PROV,
    RDF,
    RDF_OBJECT,
    RDF_SUBJECT,
    RDF_TYPE,
    RDFS_LABEL,
    SKOS,
    shorten,
)
from llmboom.publication.citations import Citation, citation_of
from llmboom.publication.graph_index import triple_sort_key
from llmboom.publication.html_layout import Footer, Links, Term, iri_term, term_of
from llmboom.publication.page_index import PageIndex
from llmboom.publication.page_sections import (
    Disagreement,
    OrganizationView,
    TimelineEntry,
    disagreements,
    organization_view,
    statement_title,
    timeline,
)
from llmboom.publication.templating import render_template
from llmboom.rdf.terms import term_value

if TYPE_CHECKING:
    import pyoxigraph

_ALT = SKOS + "altLabel"
_FULL_TEXT = LBO + "fullText"
_QUOTE, _ATTRIBUTED, _NOTE = LBO + "quote", LBO + "attributedTo", LBO + "note"
_SUMMARY, _LOCATOR = LBO + "summary", LBO + "locator"
_DERIVED = PROV + "wasDerivedFrom"
#: Triples of a resource that need no statement record (SPEC §4) and are shown in the header.
_EXEMPT = {RDF_TYPE, RDFS_LABEL, _ALT, _FULL_TEXT}
_RECORD_LINKS = {RDF_SUBJECT, RDF_OBJECT, _DERIVED, _ATTRIBUTED}


def describe(index: PageIndex, iri: str, base_iri: str) -> list[pyoxigraph.Triple]:
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
        triples.update(t for t in index.outgoing(neighbour) if t.predicate.value == RDFS_LABEL)
    return sorted(triples, key=triple_sort_key)


@dataclass(frozen=True)
class Attribution:
    """Who a statement record attributes its fact to."""

    term: Term
    anonymous: bool


@dataclass(frozen=True)
class Support:
    """One statement record behind a fact: quotes (or summaries of a cited source, with
    where in it), attributions, sources and their citations, notes."""

    record: Term
    quotes: list[str]
    attributions: list[Attribution]
    sources: list[Term]
    notes: list[str]
    summaries: list[str] = field(default_factory=list)
    locators: list[str] = field(default_factory=list)
    citations: list[Citation] = field(default_factory=list)
    rank: str = ""  #: "preferred" or "deprecated"; "" for normal (docs/time-and-claims.md)
    rank_reasons: list[str] = field(default_factory=list)
    validity: str = ""  #: when the fact held, in words ("from 2021-02", "at 2023-02-23")


@dataclass(frozen=True)
class FactRow:
    """One fact: two cells that say what it is, and the records that support it."""

    first: Term
    second: Term
    support: list[Support]


@dataclass(frozen=True)
class RecordRow:
    """One line of a statement record's description (`Quote`, `Attribution`, ...)."""

    name: str
    kind: str  #: `quote`, `summary`, `attribution`, `citation` or `term`
    term: Term
    anonymous: bool = False
    citation: Citation | None = None  #: for a `citation` row (a source)


@dataclass(frozen=True)
class NameRow:
    """One of a resource's names: a label or an alternative label, in one language."""

    text: str
    language: str  #: "" when untagged
    alternative: bool  #: skos:altLabel rather than rdfs:label
    support: list[Support]  #: its records (names in English need none, SPEC §4)


@dataclass(frozen=True)
class LanguageLink:
    """One entry of the page's language switch."""

    language: str
    href: str
    current: bool


@dataclass
class ResourcePage:
    """Everything a resource's HTML page shows, as plain data."""

    iri: str
    label: str
    types: list[Term]
    alt_labels: list[str]
    alternates: list[tuple[str, str, str]]  #: (href, media type, name) of its other formats
    jsonld: str
    facts: list[FactRow] = field(default_factory=list)
    record: list[RecordRow] | None = None  #: set for a statement record
    full_text: str | None = None
    incoming: list[FactRow] = field(default_factory=list)
    citing: list[Term] = field(default_factory=list)
    #: a source's own description (URL, publisher, dates, language, licence): (name, value)
    citation: list[tuple[str, Term]] = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)  #: a person's positions
    disagreements: list[Disagreement] = field(default_factory=list)  #: claims side by side
    organization: OrganizationView | None = None  #: units, people, models
    chart: str | None = None  #: an SVG picture (org chart or reporting chain), trusted markup
    chart_href: str | None = None  #: the same picture as a download
    language: str = "en"  #: the language things are named in (`label` is in it if it can be)
    english_label: str | None = None  #: shown beside `label` when that is not the English one
    names: list[NameRow] = field(default_factory=list)  #: when it has a non-English name
    languages: list[LanguageLink] = field(default_factory=list)  #: the language switch


def resource_page(
    index: PageIndex,
    iri: str,
    *,
    jsonld: str,
    links: Links,
    alternates: Sequence[tuple[str, str, str]] | None = None,
    language: str = "en",
    language_href: Callable[[str], str] | None = None,
) -> ResourcePage:
    """The data of a resource's page: label, types, facts with their quotes and attributions,
    the facts that point at it, and its JSON-LD (`jsonld`, embedded as is). `alternates`
    lists (href, media type, name) of its other formats; by default the Turtle and JSON-LD
    files the static build writes beside the page. Things are named in `language` where
    they have a label in it (English otherwise), the English name beside; `language_href`
    (a language tag → the page's address in it) adds the language switch."""
    from llmboom.publication.languages import InLanguage, label_languages

    english = index.label(iri)
    if language != "en":
        index = InLanguage(index, language)
    if alternates is None:
        alternates = [
            (links.alternate(iri, ".ttl"), "text/turtle", "Turtle"),
            (links.alternate(iri, ".jsonld"), "application/ld+json", "JSON-LD"),
        ]
    full_text = index.value(iri, _FULL_TEXT)
    view = ResourcePage(
        iri=iri,
        label=index.label(iri) or links.slug(iri) or iri,
        types=[iri_term(t.value, links, index.label(t.value)) for t in index.values(iri, RDF_TYPE)],
        alt_labels=sorted(t.value for t in index.values(iri, _ALT)),
        alternates=list(alternates),
        jsonld=jsonld,
        full_text=full_text.value if full_text is not None else None,
        incoming=_incoming_rows(index, iri, links),
        citing=_citing_records(index, iri, links),
    )
    view.language = language
    if view.label != english and english is not None:
        view.english_label = english
    names = _names(index, iri, links)
    if any(name.language.lower() not in ("en", "") for name in names):
        view.names = names
    if language_href is not None:
        tags = label_languages(index.values(iri, RDFS_LABEL))
        view.languages = [LanguageLink(tag, language_href(tag), tag == language) for tag in tags]
    if index.is_statement_record(iri):
        view.record = _record_rows(index, iri, links)
        view.label = statement_title(index, iri) or view.label
    else:
        view.facts = _fact_rows(index, iri, links)
        view.disagreements = disagreements(index, iri, links, _support)
        if _is_source(index, iri):
            view.citation = _citation_rows(index, iri, links)
        view.timeline = timeline(index, iri, links)
        view.organization = organization_view(index, iri, links) or None
    return view


def render_resource_page(
    index: PageIndex,
    iri: str,
    *,
    jsonld: str,
    links: Links | None = None,
    footer: Footer | None = None,
    alternates: Sequence[tuple[str, str, str]] | None = None,
    chart_svg: str | None = None,
    chart_href: str | None = None,
    search_root: str | None = None,
    language: str = "en",
    language_href: Callable[[str], str] | None = None,
) -> str:
    """The HTML page of one resource (template `resource.html`); pure, shared with the
    server. `alternates`, `language` and `language_href` as in `resource_page`; `chart_svg`
    (from `charts.chart_svg`) is drawn inline, `chart_href` links it; `search_root` (the
    site's root, relative to the page) adds the search box."""
    view = resource_page(
        index,
        iri,
        jsonld=jsonld,
        links=links or Links(),
        alternates=alternates,
        language=language,
        language_href=language_href,
    )
    if chart_svg:
        from llmboom.publication.charts import inline_svg

        view.chart, view.chart_href = inline_svg(chart_svg), chart_href
    return render_template(
        "resource.html", title=view.label, page=view, footer=footer, search_root=search_root
    )


def _term(index: PageIndex, node, links: Links) -> Term:
    label = index.label(node.value) if hasattr(node, "value") else None
    return term_of(node, links, label)


def _support(index: PageIndex, triple, links: Links) -> list[Support]:
    """The quotes, attributions, sources and notes of the records behind one fact."""
    return [
        Support(
            record=iri_term(record, links),
            quotes=sorted(q.value for q in index.values(record, _QUOTE)),
            attributions=[
                _attribution(index, a.value, links) for a in index.values(record, _ATTRIBUTED)
            ],
            sources=[_term(index, s, links) for s in index.values(record, _DERIVED)],
            notes=[n.value for n in index.values(record, _NOTE)],
            summaries=sorted(s.value for s in index.values(record, _SUMMARY)),
            locators=sorted(s.value for s in index.values(record, _LOCATOR)),
            citations=[citation_of(index, s, links) for s in index.values(record, _DERIVED)],
            rank=_rank(index, record),
            rank_reasons=sorted(r.value for r in index.values(record, LBO + "rankReason")),
            validity=_validity(index, record),
        )
        for record in index.records_for(triple)
    ]


def _rank(index: PageIndex, record: str) -> str:
    rank = index.value(record, LBO + "rank")
    names = {LBO + "PreferredRank": "preferred", LBO + "DeprecatedRank": "deprecated"}
    return names.get(rank.value, "") if rank is not None else ""


def _validity(index: PageIndex, record: str) -> str:
    """A record's time in words: "from 2021-02", "until 2021-02", "at 2023-02-23"."""
    parts = []
    for predicate, word in (("validFrom", "from"), ("pointInTime", "at"), ("validUntil", "until")):
        value = index.value(record, LBO + predicate)
        if value is not None:
            parts.append(f"{word} {value.value}")
    return ", ".join(parts)


def _attribution(index: PageIndex, attribution: str, links: Links) -> Attribution:
    return Attribution(
        term=iri_term(attribution, links, index.label(attribution)),
        anonymous=index.is_anonymous(attribution),
    )


def _names(index: PageIndex, iri: str, links: Links) -> list[NameRow]:
    """Its labels and alternative labels: English first, then by language and text."""
    from llmboom.publication.languages import canonical_tag

    rows = [
        NameRow(
            text=term_value(t.object),
            language=canonical_tag(getattr(t.object, "language", None) or ""),
            alternative=t.predicate.value == _ALT,
            support=_support(index, t, links),
        )
        for t in index.outgoing(iri)
        if t.predicate.value in (RDFS_LABEL, _ALT)
    ]
    return sorted(
        rows, key=lambda r: (r.alternative, r.language.lower() != "en", r.language, r.text)
    )


def _is_source(index: PageIndex, iri: str) -> bool:
    return any(t.value == LBO + "Source" for t in index.values(iri, RDF_TYPE))


def _citation_rows(index: PageIndex, iri: str, links: Links) -> list[tuple[str, Term]]:
    """A source's bibliographic description, which needs no statement record (SPEC §4)."""
    rows = []
    for triple in index.outgoing(iri):
        predicate = triple.predicate.value
        if predicate in CITATION_PREDICATES:
            name = index.label(predicate) or shorten(predicate)
            rows.append((name, _term(index, triple.object, links)))
    return rows


def _unrecorded_citation(index: PageIndex, triple) -> bool:
    """A source's citation triple (its publisher, say) without a record: shown on the
    source's page as its citation, not as a fact of its publisher's."""
    return (
        triple.predicate.value in CITATION_PREDICATES
        and _is_source(index, term_value(triple.subject))
        and not index.records_for(triple)
    )


def _fact_rows(index: PageIndex, iri: str, links: Links) -> list[FactRow]:
    """Its own facts: (property, value) rows (for a source, not its citation, shown apart
    unless a statement record supports it)."""
    exempt = set(_EXEMPT)
    if _is_source(index, iri):
        exempt |= {
            t.predicate.value
            for t in index.outgoing(iri)
            if t.predicate.value in CITATION_PREDICATES and not index.records_for(t)
        }
    triples = [t for t in index.outgoing(iri) if t.predicate.value not in exempt]
    return [_row(index, t, t.predicate, t.object, links) for t in triples]


def _incoming_rows(index: PageIndex, iri: str, links: Links) -> list[FactRow]:
    """The facts that point at it (not the statement records' own links): (resource,
    property) rows."""
    triples = [
        t
        for t in index.incoming(iri)
        if not (
            t.predicate.value in _RECORD_LINKS and index.is_statement_record(term_value(t.subject))
        )
        and not _unrecorded_citation(index, t)
    ]
    return [_row(index, t, t.subject, t.predicate, links) for t in triples]


def _row(index: PageIndex, triple, first, second, links: Links) -> FactRow:
    return FactRow(
        first=_term(index, first, links),
        second=_term(index, second, links),
        support=_support(index, triple, links),
    )


def _citing_records(index: PageIndex, iri: str, links: Links) -> list[Term]:
    """Statement records that name this resource as their source or attribution."""
    records = sorted(
        {
            term_value(t.subject)
            for t in index.incoming(iri)
            if t.predicate.value in (_DERIVED, _ATTRIBUTED)
            and index.is_statement_record(term_value(t.subject))
        }
    )
    return [iri_term(r, links, index.label(r) or shorten(r)) for r in records]


_RECORD_PARTS = (
    ("Subject", RDF + "subject"),
    ("Predicate", RDF + "predicate"),
    ("Object", RDF + "object"),
    ("Source", _DERIVED),
    ("Attribution", _ATTRIBUTED),
    ("Quote", _QUOTE),
    ("Summary", _SUMMARY),
    ("Where in the source", _LOCATOR),
    ("Note", _NOTE),
)


def _record_rows(index: PageIndex, iri: str, links: Links) -> list[RecordRow]:
    """A statement record: the fact it supports, its quote, source, attribution and note."""
    rows = []
    for name, predicate in _RECORD_PARTS:
        for value in index.values(iri, predicate):
            if predicate == _QUOTE:
                rows.append(RecordRow(name, "quote", Term(text=value.value)))
            elif predicate == _SUMMARY:
                rows.append(RecordRow(name, "summary", Term(text=value.value)))
            elif predicate == _DERIVED:
                citation = citation_of(index, value, links)
                rows.append(RecordRow(name, "citation", citation.source, citation=citation))
            elif predicate == _ATTRIBUTED:
                attribution = _attribution(index, value.value, links)
                rows.append(RecordRow(name, "attribution", attribution.term, attribution.anonymous))
            else:
                rows.append(RecordRow(name, "term", _term(index, value, links)))
    shown = {predicate for _, predicate in _RECORD_PARTS} | _EXEMPT
    for triple in index.outgoing(iri):
        if triple.predicate.value not in shown:
            predicate = triple.predicate.value
            name = index.label(predicate) or shorten(predicate)
            rows.append(RecordRow(name, "term", _term(index, triple.object, links)))
    return rows
