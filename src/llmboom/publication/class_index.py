"""The index of resources by class: pages of at most `PAGE_SIZE` names each.

The landing page lists the classes with their counts; each class links the first page of
its index (`class-Team.html`), which links the next (`class-Team-2.html`, …), so every
resource is reachable by links and no page grows with the dataset. The build writes these
pages beside `index.html`; the server serves the same files (its whole-dataset documents).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from llmboom.publication.html_layout import Footer, Links, Term, iri_term
from llmboom.publication.templating import render_template

if TYPE_CHECKING:
    from llmboom.publication.page_index import PageIndex

#: Names on one page of a class's index.
PAGE_SIZE = 300


@dataclass(frozen=True)
class ClassIndexPage:
    """One page of a class's index."""

    name: str  #: the class's name
    heading: Term
    members: list[Term]
    total: int
    first: int  #: number of this page's first member (1-based)
    page: int
    pages: int
    previous: str | None
    next: str | None


def class_index_pages(
    index: PageIndex,
    base_iri: str,
    links: Links,
    *,
    footer: Footer | None,
    search_root: str | None,
    home: str = "index.html",
) -> Iterator[tuple[str, str]]:
    """(file name, HTML) of every page of every class's index, members by label."""
    from llmboom.publication.landing_page import (
        _anchor,
        _class_name,
        index_page_name,
        resources_by_class,
    )

    for cls, members in resources_by_class(index, base_iri).items():
        anchor = _anchor(cls)
        name = _class_name(index, cls)
        heading = iri_term(cls, links, index.label(cls)) if cls else Term(text=name)
        pages = max(1, -(-len(members) // PAGE_SIZE))
        for page in range(1, pages + 1):
            start = (page - 1) * PAGE_SIZE
            view = ClassIndexPage(
                name=name,
                heading=heading,
                members=[
                    iri_term(iri, links, index.label(iri) or links.slug(iri))
                    for iri in members[start : start + PAGE_SIZE]
                ],
                total=len(members),
                first=start + 1,
                page=page,
                pages=pages,
                previous=index_page_name(anchor, page - 1) if page > 1 else None,
                next=index_page_name(anchor, page + 1) if page < pages else None,
            )
            html = render_template(
                "class_index.html",
                title=name,
                page=view,
                footer=footer,
                search_root=search_root,
                home=home,
            )
            yield index_page_name(anchor, page), html
