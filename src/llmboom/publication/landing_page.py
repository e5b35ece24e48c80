"""The publication's landing page (`index.html`): what the dataset is and where to get it.

It shows the metadata of `data/meta/dataset.ttl`, the downloads exactly as `void.ttl`
describes them (the same `Distribution` records: format, media type, size, SHA-256), links to
the ontology's page and the VoID description, the latest events of the timeline, the
statement records per source, and the classes with their counts, each linking its index of
resources (`class_index`: pages of at most a few hundred names). So the page does not grow
with the dataset. Statement records are counted, not listed: each resource page links the
records behind its facts.

The page is a page *about* the dataset, not a copy of it: `void.ttl` names it the dataset's
`dcat:landingPage`, not one of its `dcat:Distribution`s.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from llmboom.namespaces import LBO, ONTOLOGY_IRI, RDF_TYPE, shorten
from llmboom.publication.html_layout import Footer, Links, Term, external_term, iri_term
from llmboom.publication.templating import render_template

if TYPE_CHECKING:
    from llmboom.history.timeline import SourceCount, TimelineEvent
    from llmboom.publication.metadata import DatasetMetadata
    from llmboom.publication.page_index import PageIndex
    from llmboom.publication.timeline_page import Fact
    from llmboom.publication.void import Counts, Distribution

#: The landing page's file name, at the root of the publication.
LANDING_PAGE = "index.html"

#: Latest events shown.
LATEST = 10
#: The group of resources that have no `rdf:type` (none should: the shapes require one).
_UNTYPED = ""


def landing_links(base_iri: str) -> Links:
    """Links as seen from the root of the publication: `id/<slug>.html`, `ontology.html#T`."""
    return Links(base_iri=base_iri, resource_prefix="id/", ontology_page="ontology.html")


#: `resources_by_class` of each index still in use: the landing page, the home page and
#: the class indexes of one build ask for the same groups.
_GROUPS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def resources_by_class(index: PageIndex, base_iri: str) -> dict[str, list[str]]:
    """Every resource of `base_iri` that is not a statement record, grouped by each of its
    classes (`""` for untyped ones); classes and members in a stable order (computed once
    per index and base)."""
    known = _GROUPS.setdefault(index, {})
    if base_iri not in known:
        known[base_iri] = _resources_by_class(index, base_iri)
    return known[base_iri]


def _resources_by_class(index: PageIndex, base_iri: str) -> dict[str, list[str]]:
    groups: dict[str, list[str]] = defaultdict(list)
    for iri in index.iris(base_iri):
        if index.is_statement_record(iri):
            continue
        classes = sorted({t.value for t in index.values(iri, RDF_TYPE)}) or [_UNTYPED]
        for cls in classes:
            groups[cls].append(iri)

    def label_key(iri: str) -> tuple[str, str]:
        return ((index.label(iri) or iri).casefold(), iri)

    ordered = sorted(groups, key=lambda c: (c == _UNTYPED, *label_key(c)))
    return {cls: sorted(groups[cls], key=label_key) for cls in ordered}


def statement_record_count(index: PageIndex, base_iri: str) -> int:
    """How many statement records the dataset holds in `base_iri`."""
    return sum(1 for iri in index.iris(base_iri) if index.is_statement_record(iri))


@dataclass(frozen=True)
class DownloadGroup:
    """The files of one dataset (the data, or the ontology)."""

    title: str
    files: list[Distribution]


@dataclass(frozen=True)
class ClassGroup:
    """One class and its resources' index."""

    anchor: str
    name: str
    heading: Term
    count: int
    href: str  #: the first page of its index (`class_index`)


@dataclass(frozen=True)
class EventLine:
    """One of the latest events (`timeline_page.EventView`, shortened)."""

    date: Term
    subject: Term
    facts: list[Fact]
    sources: list[Term]


@dataclass(frozen=True)
class SourceLine:
    source: Term
    records: int


@dataclass(frozen=True)
class LandingPage:
    """Everything `index.html` shows, as plain data."""

    metadata: DatasetMetadata
    license: Term
    counts: Counts | None
    downloads: list[DownloadGroup]
    classes: list[ClassGroup]
    resource_total: int
    statement_records: int
    sparql_endpoint: str | None = None  #: when the dataset is served: where to query it
    latest_events: list[EventLine] = field(default_factory=list)
    sources: list[SourceLine] = field(default_factory=list)
    timeline_href: str | None = None


def landing_page(
    index: PageIndex,
    metadata: DatasetMetadata,
    distributions: Sequence[Distribution],
    *,
    base_iri: str,
    counts: Counts | None = None,
    sparql_endpoint: str | None = None,
    links: Links | None = None,
    latest_events: Sequence[TimelineEvent] = (),
    sources: Sequence[SourceCount] = (),
    timeline_href: str | None = None,
) -> LandingPage:
    """The data of the landing page. `distributions` are the records `void.ttl` is written
    from; `counts`, when given, adds the dataset's triple and entity counts; `sparql_endpoint`,
    when the dataset is served, says how to query it there; `links` replaces the links to
    `id/<slug>.html`; `latest_events`, `sources` and `timeline_href` show the timeline's
    latest events, the records per source and where the timeline is."""
    from llmboom.publication.timeline_page import event_views

    links = links or landing_links(base_iri)
    groups = resources_by_class(index, base_iri)
    classes = [
        ClassGroup(
            anchor=_anchor(cls),
            name=_class_name(index, cls),
            heading=(
                iri_term(cls, links, index.label(cls))
                if cls != _UNTYPED
                else Term(text=_class_name(index, cls))
            ),
            count=len(members),
            href=index_page_name(_anchor(cls), 1),
        )
        for cls, members in groups.items()
    ]
    events = event_views(sorted(latest_events, key=lambda e: (e.date, e.subject)), links)
    events = sorted(events, key=lambda v: v.date_value, reverse=True)[:LATEST]
    return LandingPage(
        metadata=metadata,
        license=external_term(metadata.license),
        counts=counts,
        downloads=_download_groups(distributions, metadata.iri),
        classes=classes,
        resource_total=len({iri for members in groups.values() for iri in members}),
        statement_records=statement_record_count(index, base_iri),
        sparql_endpoint=sparql_endpoint,
        latest_events=[EventLine(e.date, e.subject, e.facts, e.sources) for e in events],
        sources=[SourceLine(iri_term(s.source, links, s.label), s.records) for s in sources],
        timeline_href=timeline_href,
    )


def render_landing_page(
    index: PageIndex,
    metadata: DatasetMetadata,
    distributions: Sequence[Distribution],
    *,
    base_iri: str,
    counts: Counts | None = None,
    footer: Footer | None = None,
    sparql_endpoint: str | None = None,
    search_root: str | None = None,
    links: Links | None = None,
    latest_events: Sequence[TimelineEvent] = (),
    sources: Sequence[SourceCount] = (),
    timeline_href: str | None = None,
) -> str:
    """The HTML of `index.html` (template `landing.html`); `sparql_endpoint` adds how to
    query the served dataset, `search_root` the search box; the rest as `landing_page`."""
    view = landing_page(
        index,
        metadata,
        distributions,
        base_iri=base_iri,
        counts=counts,
        sparql_endpoint=sparql_endpoint,
        links=links,
        latest_events=latest_events,
        sources=sources,
        timeline_href=timeline_href,
    )
    return render_template(
        "landing.html", title=metadata.title, page=view, footer=footer, search_root=search_root
    )


def _download_groups(
    distributions: Sequence[Distribution], dataset_iri: str
) -> list[DownloadGroup]:
    """One group per dataset (the data, then the ontology), files in the build's order."""
    names = {dataset_iri: "The dataset", ONTOLOGY_IRI: "The ontology"}
    by_dataset: dict[str, list[Distribution]] = {}
    for distribution in distributions:
        by_dataset.setdefault(distribution.dataset, []).append(distribution)
    return [
        DownloadGroup(names.get(dataset, shorten(dataset)), files)
        for dataset, files in by_dataset.items()
    ]


def index_page_name(anchor: str, page: int) -> str:
    """The file of page `page` of the index of the class whose section id is `anchor`
    (`llmboom.publication.class_index` writes them)."""
    return f"{anchor}.html" if page == 1 else f"{anchor}-{page}.html"


def _class_name(index: PageIndex, cls: str) -> str:
    if cls == _UNTYPED:
        return "Without a class"
    return index.label(cls) or shorten(cls)


def _anchor(cls: str) -> str:
    """The section id of a class: `class-Team` for `lbo:Team`, `class-prov-Entity` else."""
    from llmboom.publication.void import token

    if cls == _UNTYPED:
        return "class-none"
    return "class-" + (cls[len(LBO) :] if cls.startswith(LBO) else token(cls))
