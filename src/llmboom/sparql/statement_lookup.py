"""The statement records of a triple, read from a pyoxigraph store: source, date, quote or
summary, attribution, anonymous or not, and the validity and rank qualifiers when present.

A triple without records of its own that RDFS entailment added (`org:reportsTo` from
`lbo:reportsTo`, by the ontology's `rdfs:subPropertyOf`) is traced to the asserted
sub-property triple that has them. Types, English labels and statement records' own triples
carry no records (SPEC §4): `Found.note` says so. Reads use `quads_for_pattern` only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from llmboom.namespaces import LBO, PROV, RDF, RDF_STATEMENT, RDF_TYPE, RDFS

if TYPE_CHECKING:
    import pyoxigraph

#: Optional qualifiers of a statement record that are copied into its description.
_QUALIFIERS: Final = {
    "validFrom": LBO + "validFrom",
    "validUntil": LBO + "validUntil",
    "pointInTime": LBO + "pointInTime",
    "rank": LBO + "rank",
    "rankReason": LBO + "rankReason",
    "locator": LBO + "locator",
}


@dataclass(frozen=True)
class Record:
    """One statement record, as a row's provenance shows it."""

    statement: str
    sources: tuple[str, ...] = ()
    source_labels: tuple[str, ...] = ()
    dates: tuple[str, ...] = ()  #: each source's publication date ("" when it has none)
    quote: str | None = None
    summary: str | None = None
    attribution: str | None = None
    attribution_label: str | None = None
    anonymous: bool = False
    qualifiers: tuple[tuple[str, str], ...] = ()  #: validity, rank, locator when given

    def as_dict(self) -> dict[str, Any]:
        """The record as JSON."""
        data: dict[str, Any] = {"statement": self.statement, "sources": list(self.sources)}
        if self.source_labels:
            data["sourceLabels"] = list(self.source_labels)
        if any(self.dates):
            data["dates"] = list(self.dates)
        for key in ("quote", "summary", "attribution"):
            if getattr(self, key) is not None:
                data[key] = getattr(self, key)
        if self.attribution_label is not None:
            data["attributionLabel"] = self.attribution_label
        data["anonymous"] = self.anonymous
        data.update(dict(self.qualifiers))
        return data


@dataclass(frozen=True)
class Found:
    """What `RecordLookup.lookup` found for a triple."""

    records: tuple[Record, ...]
    #: the asserted triple an entailed one comes from (N-Triples terms)
    via: tuple[str, str, str] | None = None
    note: str | None = None  #: why there are no records, when there are none


class RecordLookup:
    """Statement records of triples, read through `quads_for_pattern` on the store."""

    def __init__(self, store: pyoxigraph.Store) -> None:
        import pyoxigraph

        from llmboom.namespaces import ONTOLOGY_IRI
        from llmboom.rdf.entailment import hierarchies

        self._store = store
        self._ox = pyoxigraph
        ontology = store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(ONTOLOGY_IRI))
        _, supers = hierarchies(ontology)
        self._subs: dict[str, set[str]] = {}
        for sub, its_supers in supers.items():
            for sup in its_supers:
                self._subs.setdefault(sup, set()).add(sub)
        self._cache: dict[str, Record] = {}

    def lookup(self, triple: tuple[str, str, str]) -> Found:
        """The records of one triple (N-Triples terms); for an entailed triple, those of
        the asserted sub-property triple it comes from; else why there are none."""
        s, p, o = (_parse_term(term) for term in triple)
        records = self._records(s, p, o)
        if records:
            return Found(records)
        for sub in sorted(self._subs.get(p.value, ())):
            sub_node = self._ox.NamedNode(sub)
            records = self._records(s, sub_node, o)
            if records:
                return Found(records, via=(str(s), str(sub_node), str(o)))
        return Found((), note=self._why_none(s, p, o))

    def _why_none(self, s: Any, p: Any, o: Any) -> str:
        ox = self._ox
        if p.value == RDF_TYPE:
            return "a type: types carry no statement records (SPEC §4)"
        if p.value == RDFS + "label" and isinstance(o, ox.Literal) and o.language == "en":
            return "the English label: it carries no statement record (SPEC §4)"
        if any(
            self._store.quads_for_pattern(s, ox.NamedNode(RDF_TYPE), ox.NamedNode(RDF_STATEMENT))
        ):
            return "part of a statement record: the record is the provenance"
        return "no statement record supports this triple"

    def _records(self, s: Any, p: Any, o: Any) -> tuple[Record, ...]:
        ox = self._ox
        default = ox.DefaultGraph()
        by_subject = {
            q.subject
            for q in self._store.quads_for_pattern(None, ox.NamedNode(RDF + "subject"), s, default)
        }
        if not by_subject:
            return ()
        statements = [
            q.subject
            for q in self._store.quads_for_pattern(None, ox.NamedNode(RDF + "object"), o, default)
            if q.subject in by_subject
            and any(
                self._store.quads_for_pattern(
                    q.subject, ox.NamedNode(RDF + "predicate"), p, default
                )
            )
        ]
        return tuple(self._record(st) for st in sorted(statements, key=str))

    def _record(self, statement: Any) -> Record:
        key = str(statement)
        if key not in self._cache:
            self._cache[key] = self._describe(statement)
        return self._cache[key]

    def _values(self, subject: Any, predicate: str) -> list[Any]:
        ox = self._ox
        quads = self._store.quads_for_pattern(
            subject, ox.NamedNode(predicate), None, ox.DefaultGraph()
        )
        return sorted((q.object for q in quads), key=str)

    def _english(self, subject: Any, predicate: str) -> str | None:
        values = self._values(subject, predicate)
        english = [v.value for v in values if getattr(v, "language", None) == "en"]
        return (english or [v.value for v in values] or [None])[0]

    def _describe(self, statement: Any) -> Record:
        sources = self._values(statement, PROV + "wasDerivedFrom")
        attribution = (self._values(statement, LBO + "attributedTo") or [None])[0]
        anonymous = attribution is not None and any(
            v.value == "true" for v in self._values(attribution, LBO + "anonymous")
        )
        qualifiers = tuple(
            (name, str(values[0].value))
            for name, iri in _QUALIFIERS.items()
            if (values := self._values(statement, iri))
        )
        labels = [self._english(source, RDFS + "label") for source in sources]
        dates = [
            next((v.value for v in self._values(source, LBO + "publicationDate")), "")
            for source in sources
        ]
        return Record(
            statement=statement.value,
            sources=tuple(source.value for source in sources),
            source_labels=tuple(label for label in labels if label is not None),
            dates=tuple(dates),
            quote=self._english(statement, LBO + "quote"),
            summary=self._english(statement, LBO + "summary"),
            attribution=attribution.value if attribution is not None else None,
            attribution_label=(
                self._english(attribution, RDFS + "label") if attribution is not None else None
            ),
            anonymous=anonymous,
            qualifiers=qualifiers,
        )


def _parse_term(text: str) -> Any:
    """A pyoxigraph term from its N-Triples form."""
    import pyoxigraph

    triple = next(
        iter(pyoxigraph.parse(f"<x:s> <x:p> {text} .", format=pyoxigraph.RdfFormat.N_TRIPLES))
    )
    return triple.object
