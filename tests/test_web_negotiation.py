"""Content negotiation as a pure function: a table of Accept headers and what they get."""

from __future__ import annotations

import pytest

from llmboom.web.negotiation import RESOURCE_OFFERS, by_suffix, negotiate

CHROME = (
    "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
    "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7"
)
FIREFOX = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"

#: (Accept header, the representation chosen, or None for 406)
TABLE = [
    (None, "html"),  # no header: anything goes, the server prefers HTML
    ("", "html"),
    ("*/*", "html"),
    (CHROME, "html"),
    (FIREFOX, "html"),
    ("text/turtle", "turtle"),
    ("application/ld+json", "jsonld"),
    ('application/ld+json;profile="http://www.w3.org/ns/json-ld#compacted"', "jsonld"),
    ("application/json", "jsonld"),
    ("application/n-triples", "nt"),
    ("application/rdf+xml", "xml"),
    ("text/turtle;q=0.8, application/rdf+xml", "xml"),  # q-values beat order
    ("application/rdf+xml;q=0.9, text/turtle;q=0.8", "xml"),
    ("text/turtle;q=0.5, */*;q=0.5", "turtle"),  # equal q: the named type beats the wildcard
    ("text/html;q=0, */*", "turtle"),  # q=0 excludes; the next preference
    ("text/html;q=0.1, application/n-triples;q=0.2, */*;q=0.05", "nt"),
    ("application/*", "jsonld"),  # a subtype wildcard
    ("text/*;q=0.9, text/turtle;q=0.3", "html"),  # the most specific range sets q
    ("application/rdf+xml, text/turtle", "turtle"),  # a tie: the server's order
    ("TEXT/TURTLE", "turtle"),  # media types are case-insensitive
    ("text/turtle ; q=0.9 , application/ld+json ; q=1.0", "jsonld"),  # spaces
    ("image/png", None),
    ("text/turtle;q=0", None),
    ("application/sparql-results+json", None),
    ("text/plain, application/pdf", "nt"),  # text/plain: N-Triples, as rdflib asks for it
    ("text/csv, application/pdf", None),
    ("not a media type, text/turtle", "turtle"),  # a malformed range is ignored
]


def test_the_table_has_enough_cases():
    assert len(TABLE) >= 15


@pytest.mark.parametrize(("accept", "expected"), TABLE)
def test_negotiate(accept, expected):
    offer = negotiate(accept, RESOURCE_OFFERS)
    assert (offer.name if offer else None) == expected


@pytest.mark.parametrize(
    ("suffix", "name"),
    [(".html", "html"), (".ttl", "turtle"), (".jsonld", "jsonld"), (".nt", "nt"), (".rdf", "xml")],
)
def test_suffixes(suffix, name):
    assert by_suffix(suffix).name == name


def test_unknown_suffix():
    assert by_suffix(".exe") is None
