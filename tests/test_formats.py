"""The one table of RDF formats."""

from __future__ import annotations

import pytest

from llmboom.errors import FormatError
from llmboom.rdf.formats import FORMATS, by_media_type, by_name, by_path


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("turtle", "turtle"),
        ("ttl", "turtle"),
        (".ttl", "turtle"),
        ("TTL", "turtle"),
        ("ntriples", "nt"),
        ("nquads", "nq"),
        ("rdf", "xml"),
        ("json-ld", "jsonld"),
        ("trig", "trig"),
    ],
)
def test_by_name_accepts_names_aliases_and_suffixes(key: str, expected: str) -> None:
    assert by_name(key).name == expected


def test_by_media_type_ignores_parameters() -> None:
    assert by_media_type("text/turtle; charset=utf-8").name == "turtle"
    assert by_media_type("application/ld+json").name == "jsonld"


def test_by_path_and_unknown_suffix() -> None:
    assert by_path("data/x.nq").quads
    with pytest.raises(FormatError, match=r"x\.csv: unknown RDF file suffix"):
        by_path("x.csv")


def test_every_format_maps_to_pyoxigraph_with_the_same_media_type() -> None:
    for fmt in FORMATS:
        assert fmt.oxigraph_format.media_type == fmt.media_type


def test_names_suffixes_and_media_types_are_unique() -> None:
    for attribute in ("name", "suffix", "media_type"):
        values = [getattr(f, attribute) for f in FORMATS]
        assert len(values) == len(set(values)), attribute
