"""What every page shows, as plain data the templates render: links, terms, the footer.

The pages are Jinja2 templates (`publication/templates/`, see `templating.py`) with
autoescaping; this module turns IRIs and literals into `Term`s, so templates never decide
what is a link. Only http(s) IRIs become links: anything else (`javascript:`, `data:`, a
`urn:`) is shown as text, so a hostile IRI in the data can never become an `href`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from llmboom.namespaces import LBO, LBR, XSD, shorten

if TYPE_CHECKING:
    from llmboom.publication.metadata import DatasetMetadata

_LINKABLE_SCHEMES = ("http://", "https://")


def is_linkable(iri: str) -> bool:
    """True for http(s) IRIs: the only ones a page links to."""
    return iri.lower().startswith(_LINKABLE_SCHEMES)


@dataclass(frozen=True)
class Term:
    """An RDF term as a page shows it: text, maybe a link, maybe a language or datatype."""

    text: str
    href: str | None = None  #: None: shown as text, not linked
    title: str | None = None  #: the full IRI when the text is a label
    language: str | None = None  #: a literal's language tag, shown as a small tag
    datatype: str | None = None  #: a literal's datatype (short form), when not xsd:string
    datetime: str | None = None  #: a date's lexical form, when `text` says it in words


@dataclass(frozen=True)
class Footer:
    """The line at the foot of every page: the publication, its version and licence."""

    home: str  #: the landing page's href, e.g. `../index.html`
    title: str
    version: str
    issued: str
    license: Term

    @classmethod
    def of(cls, metadata: DatasetMetadata, home: str) -> Footer:
        """The footer of a page whose landing page is at `home`."""
        return cls(
            home=home,
            title=metadata.title,
            version=metadata.version,
            issued=metadata.issued,
            license=external_term(metadata.license),
        )


@dataclass(frozen=True)
class Links:
    """How pages link to resources and ontology terms.

    The static build links `./<slug>.html` and `../ontology.html#Term`; the server may link
    `/id/<slug>` and `/ontology#Term` instead.
    """

    base_iri: str = LBR
    resource_prefix: str = "./"
    resource_suffix: str = ".html"
    ontology_page: str = "../ontology.html"

    def slug(self, iri: str) -> str | None:
        """The slug of a resource IRI, or None when the IRI is not a resource."""
        if iri.startswith(self.base_iri) and len(iri) > len(self.base_iri):
            return iri[len(self.base_iri) :]
        return None

    def href(self, iri: str) -> str | None:
        """Where a link to `iri` points; None when it must not be a link (not http(s))."""
        slug = self.slug(iri)
        if slug is not None:
            return f"{self.resource_prefix}{slug}{self.resource_suffix}"
        if iri.startswith(LBO):
            return f"{self.ontology_page}#{iri[len(LBO) :]}"
        return iri if is_linkable(iri) else None

    def alternate(self, iri: str, suffix: str) -> str:
        """The link to another representation of a resource (`.ttl`, `.jsonld`, `.svg`)."""
        return f"{self.resource_prefix}{self.slug(iri)}{suffix}"


def iri_term(iri: str, links: Links, label: str | None = None) -> Term:
    """A link to `iri` showing its label (if any), else its short form."""
    return Term(
        text=label if label else shorten(iri),
        href=links.href(iri),
        title=iri if label else None,
    )


def external_term(iri: str) -> Term:
    """An IRI shown in full, linked only when it is http(s)."""
    return Term(text=iri, href=iri if is_linkable(iri) else None)


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")  # fmt: skip
_DATE_TYPES = {XSD + "date", XSD + "gYearMonth", XSD + "gYear"}


def date_in_words(value: str) -> str | None:
    """`2021-02` → `February 2021`, `2023-02-23` → `23 February 2023`, `2015` → `2015`;
    None when `value` is not such a date."""
    parts = value.split("-")
    if not parts[0].isdigit() or len(parts[0]) != 4 or len(parts) > 3:
        return None
    if not all(p.isdigit() and len(p) == 2 for p in parts[1:]):
        return None
    if len(parts) == 1:
        return parts[0]
    month = int(parts[1])
    if not 1 <= month <= 12:
        return None
    words = f"{_MONTHS[month - 1]} {parts[0]}"
    return f"{int(parts[2])} {words}" if len(parts) == 3 else words


def literal_term(value: str, language: str | None = None, datatype: str | None = None) -> Term:
    """A literal: its text, and its language tag or (non-string) datatype; dates in words."""
    if datatype in _DATE_TYPES and (words := date_in_words(value)) is not None:
        return Term(text=words, title=f"{value} ({shorten(datatype)})", datetime=value)
    shown = None if not datatype or datatype == XSD + "string" or language else shorten(datatype)
    return Term(text=value, language=language or None, datatype=shown)


def esc(text: object) -> str:
    """Escape text for HTML content and double-quoted attributes (for pages written as
    strings, like the server's query page; templates escape by themselves)."""
    import html

    return html.escape(str(text), quote=True)


def page(
    title: str, body: str, *, head: str = "", footer: Footer | None = None, lang: str = "en"
) -> str:
    """A complete page in the publication's layout (`base.html`) around `body` and `head`,
    which are trusted HTML (escape what goes into them with `esc`)."""
    from markupsafe import Markup

    from llmboom.publication.templating import render_template

    return render_template(
        "page.html", title=title, body=Markup(body), head=Markup(head), footer=footer, lang=lang
    )


def term_of(node, links: Links, label: str | None = None) -> Term:
    """A pyoxigraph term (named node, literal, blank node) as a `Term`."""
    import pyoxigraph

    if isinstance(node, pyoxigraph.NamedNode):
        return iri_term(node.value, links, label)
    if isinstance(node, pyoxigraph.Literal):
        return literal_term(node.value, node.language, node.datatype.value)
    return Term(text=str(node))
