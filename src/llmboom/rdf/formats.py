"""The one table of RDF formats: name ↔ file suffix ↔ rdflib format ↔ media type.

Every command that reads or writes RDF (and, later, the server) looks formats up here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from llmboom.errors import FormatError


@dataclass(frozen=True)
class RdfFormat:
    """One RDF serialisation format."""

    name: str  #: the name users type (`--format turtle`)
    suffix: str  #: the canonical file suffix, with its dot
    rdflib_name: str  #: the rdflib parser/serialiser name
    media_type: str  #: the IANA media type
    quads: bool = False  #: True when the format carries named graphs
    aliases: tuple[str, ...] = ()  #: other names and suffixes accepted on input
    other_media_types: tuple[str, ...] = ()  #: other media types accepted in Accept headers

    @property
    def oxigraph_format(self):  # -> pyoxigraph.RdfFormat, imported lazily
        """The matching pyoxigraph format."""
        import pyoxigraph

        return pyoxigraph.RdfFormat.from_media_type(self.media_type)


FORMATS: tuple[RdfFormat, ...] = (
    RdfFormat("turtle", ".ttl", "turtle", "text/turtle", aliases=("ttl",)),
    RdfFormat(
        "nt",
        ".nt",
        "nt",
        "application/n-triples",
        aliases=("ntriples", "n-triples"),
    ),
    RdfFormat("nq", ".nq", "nquads", "application/n-quads", quads=True, aliases=("nquads",)),
    RdfFormat("trig", ".trig", "trig", "application/trig", quads=True),
    RdfFormat(
        "xml",
        ".rdf",
        "xml",
        "application/rdf+xml",
        aliases=("rdfxml", "rdf/xml", "owl"),
    ),
    RdfFormat("jsonld", ".jsonld", "json-ld", "application/ld+json", aliases=("json-ld",)),
)

FORMAT_NAMES: tuple[str, ...] = tuple(f.name for f in FORMATS)


def by_name(name: str) -> RdfFormat:
    """Look a format up by name, alias or suffix (`turtle`, `ttl`, `.ttl`)."""
    key = name.lower().lstrip(".")
    for fmt in FORMATS:
        if key == fmt.name or key in fmt.aliases or key == fmt.suffix.lstrip("."):
            return fmt
    raise FormatError(f"unknown RDF format {name!r}; choose one of {', '.join(FORMAT_NAMES)}")


def by_media_type(media_type: str) -> RdfFormat:
    """Look a format up by media type (parameters such as `; charset=utf-8` are ignored)."""
    key = media_type.split(";")[0].strip().lower()
    for fmt in FORMATS:
        if key == fmt.media_type or key in fmt.other_media_types:
            return fmt
    raise FormatError(f"unsupported media type {media_type!r}")


def by_path(path: str | Path) -> RdfFormat:
    """Guess a file's format from its suffix."""
    suffix = Path(path).suffix
    if not suffix:
        raise FormatError(f"{path}: cannot tell the RDF format without a file suffix")
    try:
        return by_name(suffix)
    except FormatError:
        raise FormatError(
            f"{path}: unknown RDF file suffix {suffix!r}; use one of "
            + ", ".join(f.suffix for f in FORMATS)
        ) from None
