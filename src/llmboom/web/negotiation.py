"""Content negotiation: which representation answers an `Accept` header (RFC 9110 §12.5.1).

A pure function over a table of offers. `python-mimeparse` parses the header and finds, for
each media type offered, the most specific media range that matches it and that range's
q-value. The offer with the highest q wins; among equal q-values the one matched by the more
specific range (`text/turtle` beats `*/*`), then the server's order. A range with `q=0`
excludes what it matches. A missing or empty header means `*/*`; ranges that cannot be parsed
are ignored; media types are compared case-insensitively.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from llmboom.rdf.formats import by_name


@dataclass(frozen=True)
class Offer:
    """One representation a resource can be sent in."""

    name: str  #: `html`, or a format name of llmboom.rdf.formats
    media_type: str  #: what the response's Content-Type says
    suffix: str  #: the URL suffix that asks for it without negotiation (`.ttl`)
    title: str  #: for people (links in pages)
    accepted: tuple[str, ...] = ()  #: other media types in Accept that select it


def _rdf_offer(name: str, title: str, *accepted: str) -> Offer:
    fmt = by_name(name)
    return Offer(fmt.name, fmt.media_type, fmt.suffix, title, accepted)


HTML = Offer("html", "text/html", ".html", "HTML")
#: What a resource (and the ontology) can be sent as, in the server's order of preference.
RESOURCE_OFFERS: tuple[Offer, ...] = (
    HTML,
    _rdf_offer("turtle", "Turtle"),
    _rdf_offer("jsonld", "JSON-LD", "application/json"),
    _rdf_offer("nt", "N-Triples", "text/plain"),  # N-Triples before its own media type
    _rdf_offer("xml", "RDF/XML"),
)


def by_suffix(suffix: str, offers: Sequence[Offer] = RESOURCE_OFFERS) -> Offer | None:
    """The offer a URL suffix (`.ttl`) names, or None."""
    for offer in offers:
        if offer.suffix == suffix:
            return offer
    return None


def parse_accept(header: str | None) -> list[tuple[str, str, dict[str, str]]]:
    """The media ranges of an Accept header, as mimeparse parses them; bad ranges dropped."""
    from mimeparse import MimeTypeParseException, parse_media_range

    ranges = []
    for part in (header or "").split(","):
        if not part.strip():
            continue
        try:
            ranges.append(parse_media_range(part.strip().lower()))
        except (MimeTypeParseException, ValueError):
            continue
    return ranges or [("*", "*", {"q": "1"})]


def negotiate(header: str | None, offers: Sequence[Offer]) -> Offer | None:
    """The offer that best fits `header`, or None when nothing is acceptable (406)."""
    from mimeparse import quality_and_fitness_parsed

    ranges = parse_accept(header)
    best: tuple[float, float, int] | None = None
    chosen: Offer | None = None
    for position, offer in enumerate(offers):
        # the most specific match among the offer's media types decides its q-value
        fitness, q = max(
            quality_and_fitness_parsed(media_type, ranges)[::-1]
            for media_type in (offer.media_type, *offer.accepted)
        )
        if q <= 0:
            continue
        key = (q, fitness, -position)
        if best is None or key > best:
            best, chosen = key, offer
    return chosen
