"""The timeline page: the dataset's dated events in date order, each with its source.

Rendered from `TimelineEvent`s (`llmboom.history.timeline`) by the build (`timeline.html`, then
`timeline-2.html`, … of `PAGE_SIZE` events each) and by the server (`/timeline`, filtered
by `?organization=` and `?person=`, paged by `?page=`). A page lists at most `PAGE_SIZE`
events and links the previous and next ones, so it does not grow with the dataset.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from itertools import groupby
from typing import TYPE_CHECKING

from llmboom.namespaces import XSD
from llmboom.publication.html_layout import Footer, Links, Term, iri_term, literal_term
from llmboom.publication.templating import render_template

if TYPE_CHECKING:
    from llmboom.history.timeline import TimelineEvent

#: Events on one page.
PAGE_SIZE = 200
#: The build's first timeline page; page N > 1 is `timeline-N.html`.
TIMELINE_PAGE = "timeline.html"
_DATATYPES = {4: XSD + "gYear", 7: XSD + "gYearMonth", 10: XSD + "date"}


@dataclass(frozen=True)
class Fact:
    """One fact of an event: the property's label and the value, when it is not the date."""

    event: str
    value: Term | None
    when: str  #: "date", "point in time", "from" or "until"


@dataclass(frozen=True)
class EventView:
    """What happened to one subject on one date: its dated facts, their sources and
    records (the sources often report several facts of one event, such as a hire's holder,
    organization and role)."""

    date: Term
    date_value: str
    subject: Term
    facts: list[Fact]
    sources: list[Term]
    records: list[Term]
    record_iris: str  #: the statement records, space-separated
    parties: str  #: the slugs (or IRIs) of everyone involved, space-separated


@dataclass(frozen=True)
class YearView:
    year: str
    events: list[EventView]


@dataclass(frozen=True)
class TimelinePage:
    """Everything a timeline page shows."""

    years: list[YearView]
    total: int  #: events in the whole (filtered) timeline
    first: int  #: number of this page's first event (1-based)
    page: int
    pages: int
    previous: str | None  #: href of the previous page
    next: str | None
    organization: str  #: the filter as given ("" for none)
    person: str
    filter_form: bool  #: True where filters are answered (the server)
    query_href: str | None  #: the SPARQL query behind the page, when served


def event_views(events: Sequence[TimelineEvent], links: Links) -> list[EventView]:
    """The events, one view per subject and date (consecutive rows of the query), with
    their terms linked through `links`; facts, sources and records each listed once."""
    views = []
    for (date, subject), rows in groupby(events, key=lambda e: (e.date, e.subject)):
        group = list(rows)
        first = group[0]
        facts: dict[tuple, Fact] = {}
        sources: dict[str, Term] = {}
        records: dict[str, Term] = {}
        parties: dict[str, None] = {}
        for event in group:
            value = None
            if event.object_is_iri:
                value = iri_term(event.object, links, event.object_label)
            elif event.when != "date":  # a fact whose value is not the date of the event
                value = Term(text=event.object)
            fact = Fact(event.event, value, event.when)
            facts.setdefault((event.event, event.object), fact)
            if event.source is not None:
                sources.setdefault(event.source, iri_term(event.source, links, event.source_label))
            records.setdefault(event.record, iri_term(event.record, links, "statement"))
            parties.update(dict.fromkeys(links.slug(p) or p for p in event.parties))
        views.append(
            EventView(
                date=literal_term(date, datatype=_DATATYPES.get(len(date))),
                date_value=date,
                subject=iri_term(subject, links, first.subject_label),
                facts=list(facts.values()),
                sources=list(sources.values()),
                records=list(records.values()),
                record_iris=" ".join(records),
                parties=" ".join(parties),
            )
        )
    return views


def timeline_page(
    events: Sequence[TimelineEvent],
    links: Links,
    *,
    page: int = 1,
    href: Callable[[int], str],
    organization: str = "",
    person: str = "",
    filter_form: bool = False,
    query_href: str | None = None,
) -> TimelinePage:
    """Page `page` (from 1) of `events` (grouped by `event_views`); `href(n)` links page n."""
    views = event_views(events, links)
    pages = max(1, -(-len(views) // PAGE_SIZE))
    page = min(max(1, page), pages)
    start = (page - 1) * PAGE_SIZE
    shown = views[start : start + PAGE_SIZE]
    by_year = groupby(shown, key=lambda v: v.date_value[:4])
    years = [YearView(year, list(group)) for year, group in by_year]
    return TimelinePage(
        years=years,
        total=len(views),
        first=start + 1,
        page=page,
        pages=pages,
        previous=href(page - 1) if page > 1 else None,
        next=href(page + 1) if page < pages else None,
        organization=organization,
        person=person,
        filter_form=filter_form,
        query_href=query_href,
    )


def render_timeline_page(
    view: TimelinePage, *, footer: Footer | None, search_root: str | None, home: str
) -> str:
    """The HTML of a timeline page (template `timeline.html`)."""
    return render_template(
        "timeline.html",
        title="Timeline",
        page=view,
        footer=footer,
        search_root=search_root,
        home=home,
    )


def static_page_name(page: int) -> str:
    """The build's file of timeline page `page`."""
    return TIMELINE_PAGE if page == 1 else f"timeline-{page}.html"
