"""A source as a page cites it: its name, a link to where it is published, its publisher and
date ("Notable AI Models — epoch.ai, Epoch AI, 4 December 2026")."""

from __future__ import annotations

from dataclasses import dataclass

from llmboom.namespaces import LBO
from llmboom.publication.html_layout import Links, Term, external_term, iri_term, term_of
from llmboom.publication.page_index import PageIndex

_URL = "https://schema.org/url"
_PUBLISHED_BY, _DATE = LBO + "publishedBy", LBO + "publicationDate"
_HEADLINE, _CONSULTED = LBO + "headline", LBO + "consulted"


@dataclass(frozen=True)
class Citation:
    """One source of a statement record, with what a reader needs to find it."""

    source: Term  #: the source's own page
    url: Term | None  #: where it is published (schema:url), linked; None for held texts
    publisher: Term | None
    date: Term | None
    consulted: bool = False  #: the page gives no date: `date` is the day it was consulted


def citation_of(index: PageIndex, source, links: Links) -> Citation:
    """The citation of `source` (a pyoxigraph term, usually a lbo:Source)."""
    import pyoxigraph

    if not isinstance(source, pyoxigraph.NamedNode):
        return Citation(term_of(source, links), None, None, None)
    iri = source.value
    url = index.value(iri, _URL)
    headline = index.value(iri, _HEADLINE)
    publisher = index.value(iri, _PUBLISHED_BY)
    date = index.value(iri, _DATE)
    consulted = date is None and url is not None and index.value(iri, _CONSULTED) is not None
    if consulted:
        date = index.value(iri, _CONSULTED)
    link = None
    if isinstance(url, pyoxigraph.NamedNode):
        link = external_term(url.value)
        if headline is not None:
            link = Term(text=headline.value, href=link.href, title=url.value)
    return Citation(
        source=iri_term(iri, links, index.label(iri)),
        url=link,
        publisher=(
            iri_term(publisher.value, links, index.label(publisher.value))
            if isinstance(publisher, pyoxigraph.NamedNode)
            else None
        ),
        date=term_of(date, links) if date is not None else None,
        consulted=consulted,
    )
