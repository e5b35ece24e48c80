"""The dataset as known to hold on a date (as-of snapshots), and the truthy view.

The one definition of the semantics; docs/time-and-claims.md explains it for readers.

A *fact* is a triple that has at least one statement record (`rdf:Statement`), other than a
resource's type and names, and what the provenance itself says about its sources and
attributions (a source's publisher and date, whether an informant is anonymous). Each record
says when its fact held:

- a start: `lbo:validFrom`, else `lbo:pointInTime`, else the publication date of its source
  ("known as of": the earliest `lbo:publicationDate` of the sources it derives from; a source
  without one counts from the latest date of the sources it `lbo:cites`, a lower bound of its
  own, and failing that from the day it was `lbo:consulted`, as a reference page that gives no
  date of its own is). A year or month starts on its first day. A record with no date at all
  counts from the beginning of time.
- an end: `lbo:validUntil`, exclusive (the fact holds up to the first day of that year, month
  or day); none means open.

On date D a record *holds* when start <= D < end. For a `lbo:SingleValuedProperty`, an open
record (no end) is *superseded* on D by a record that holds on D, is ranked
`lbo:PreferredRank`, gives another value for the same subject, and started later.

The snapshot as of D keeps every triple that is not a fact (types, names, records' own
triples, sources' citations, submissions' bookkeeping), every fact with a record that holds
and is not superseded on D, and those records; it drops the other facts and their records.

The truthy view keeps, per subject and property, only the facts with the best-ranked records
among those whose validity overlaps (preferred over normal; deprecated never), and drops the
statement records. As of D, it is the truthy view of the snapshot as of D.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from llmboom.errors import LlmboomError
from llmboom.namespaces import LBO, PROV, RDF, RDFS, SKOS
from llmboom.rdf.terms import term_value

if TYPE_CHECKING:
    import pyoxigraph

#: Where the semantics are explained; every snapshot answer names it.
SEMANTICS_DOC = "docs/time-and-claims.md"
#: Predicates that never vary with time here: a resource's type and names.
_TIMELESS = frozenset({RDF + "type", RDFS + "label", SKOS + "altLabel"})
_RANKS = {LBO + "PreferredRank": 2, LBO + "NormalRank": 1, LBO + "DeprecatedRank": 0}
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?")


class AsOfError(LlmboomError):
    """An as-of date is malformed."""


def parse_as_of(text: str) -> date:
    """A date given as YYYY-MM-DD (or YYYY-MM, YYYY: its first day)."""
    match = re.fullmatch(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", text.strip())
    if match is None:
        raise AsOfError(f"as-of date {text!r} is not YYYY-MM-DD (or YYYY-MM, YYYY)")
    start = first_day(text.strip())
    if start is None:
        raise AsOfError(f"as-of date {text!r} is not a calendar date")
    return start


def first_day(lexical: str) -> date | None:
    """The first day of a gYear, gYearMonth or date's lexical form; None if it is none."""
    match = _DATE.match(lexical)
    if match is None:
        return None
    year, month, day = match.groups()
    try:
        return date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        return None


@dataclass
class Record:
    """A statement record's fact and the qualifiers that place it in time and rank."""

    node: pyoxigraph.NamedNode | pyoxigraph.BlankNode | pyoxigraph.Triple
    fact: tuple
    start: date | None = None
    end: date | None = None
    rank: int = 1
    explicit_start: bool = False
    sources: list = field(default_factory=list)

    def holds_on(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)

    def overlaps(self, other: Record) -> bool:
        lo = max(self.start or date.min, other.start or date.min)
        hi = min(self.end or date.max, other.end or date.max)
        return lo < hi or (lo == hi == date.max)


@dataclass(frozen=True)
class Snapshot:
    """What a snapshot kept and dropped; `note` is the line every answer carries."""

    as_of: date | None
    view: str
    facts_kept: int
    facts_excluded: int
    dropped_facts: frozenset  #: (subject, predicate, object) of each fact left out
    dropped_records: frozenset  #: statement records left out, with every triple about them

    def keeps(self, quad: pyoxigraph.Quad) -> bool:
        """Whether the snapshot keeps `quad`."""
        gone = self.dropped_records
        if quad.subject in gone or quad.object in gone:
            return False
        return (quad.subject, quad.predicate, quad.object) not in self.dropped_facts

    def note(self) -> str:
        when = f"as of {self.as_of.isoformat()}" if self.as_of else "all dates"
        view = ", truthy view" if self.view == "truthy" else ""
        return (
            f"{when}{view}: {self.facts_kept} facts, excluded {self.facts_excluded}; "
            f"semantics: {SEMANTICS_DOC}"
        )


#: The predicates `records_of` reads.
_READ = frozenset(
    {LBO + "publicationDate", LBO + "cites", LBO + "consulted"}
    | {RDF + "subject", RDF + "predicate", RDF + "object"}
    | {LBO + "validFrom", LBO + "validUntil", LBO + "pointInTime", LBO + "rank"}
    | {PROV + "wasDerivedFrom", RDF + "type"}
)
_KINDS = {
    RDF + "Statement": "records",
    LBO + "Source": "provenance",
    LBO + "Attribution": "provenance",
}


def records_of(quads: Iterable[pyoxigraph.Quad]) -> tuple[list[Record], set]:
    """Every statement record of `quads`, placed in time, and the sources and attributions
    (what is said about them is provenance, not a fact about the world that holds at a
    time). One pass over the quads, indexed in dictionaries."""
    table: dict[str, dict] = {p: defaultdict(list) for p in _READ}
    kinds: dict[str, set] = {"records": set(), "provenance": set()}
    for quad in quads:
        predicate = quad.predicate.value
        if predicate not in _READ:
            continue
        if predicate == RDF + "type":
            kind = _KINDS.get(term_value(quad.object))
            if kind is not None:
                kinds[kind].add(quad.subject)
            continue
        table[predicate][quad.subject].append(quad.object)

    def values(predicate: str) -> dict:
        return table[predicate]

    dated = {s: min(filter(None, (first_day(d.value) for d in ds)), default=None)
             for s, ds in values(LBO + "publicationDate").items()}  # fmt: skip
    for citing, cited in values(LBO + "cites").items():
        if dated.get(citing) is None:
            dates = [d for c in cited if (d := dated.get(c)) is not None]
            if dates:
                dated[citing] = max(dates)
    for source, days in values(LBO + "consulted").items():
        if dated.get(source) is None:
            dated[source] = min(filter(None, (first_day(d.value) for d in days)), default=None)
    subjects, predicates, objects = (values(RDF + n) for n in ("subject", "predicate", "object"))
    valid_from, valid_until = values(LBO + "validFrom"), values(LBO + "validUntil")
    points, ranks = values(LBO + "pointInTime"), values(LBO + "rank")
    sources = values(PROV + "wasDerivedFrom")
    records = []
    for node in kinds["records"]:
        if not (subjects.get(node) and predicates.get(node) and objects.get(node)):
            continue
        fact = (subjects[node][0], predicates[node][0], objects[node][0])
        record = Record(node, fact, sources=sources.get(node, []))
        explicit = valid_from.get(node) or points.get(node)
        if explicit:
            record.start, record.explicit_start = first_day(explicit[0].value), True
        else:
            known = [d for s in record.sources if (d := dated.get(s)) is not None]
            record.start = min(known) if known else None
        if valid_until.get(node):
            record.end = first_day(valid_until[node][0].value)
        if ranks.get(node):
            record.rank = _RANKS.get(ranks[node][0].value, 1)
        records.append(record)
    return records, kinds["provenance"]


def single_valued_properties(ontology: Iterable[pyoxigraph.Quad]) -> frozenset[str]:
    """The properties the ontology types lbo:SingleValuedProperty."""
    return frozenset(
        term_value(q.subject)
        for q in ontology
        if q.predicate.value == RDF + "type"
        and term_value(q.object) == LBO + "SingleValuedProperty"
    )


def holding(records: list[Record], day: date, single_valued: frozenset[str]) -> list[Record]:
    """The records that hold on `day` and are not superseded then."""
    live = [r for r in records if r.holds_on(day)]
    preferred: dict[tuple, list[Record]] = defaultdict(list)
    for record in live:
        if record.rank == 2 and record.fact[1].value in single_valued:
            preferred[record.fact[:2]].append(record)

    def superseded(record: Record) -> bool:
        if record.end is not None or record.fact[1].value not in single_valued:
            return False
        mine = record.start or date.min
        return any(
            other.fact[2] != record.fact[2] and (other.start or date.min) > mine
            for other in preferred.get(record.fact[:2], ())
        )

    return [r for r in live if not superseded(r)]


def best_ranked(records: list[Record]) -> list[Record]:
    """Per subject and property, the records no overlapping record outranks (deprecated
    records never count)."""
    groups: dict[tuple, list[Record]] = defaultdict(list)
    for record in records:
        if record.rank > 0:
            groups[record.fact[:2]].append(record)
    best = []
    for group in groups.values():
        for record in group:
            if not any(o.rank > record.rank and o.overlaps(record) for o in group):
                best.append(record)
    return best


def plan(
    quads: Iterable[pyoxigraph.Quad],
    single_valued: frozenset[str],
    as_of: date | None = None,
    view: str = "all",
) -> Snapshot:
    """Which facts and statement records a snapshot of `quads` (as of `as_of`, in `view`
    "all" or "truthy") drops, and the counts its note gives."""
    records, provenance = records_of(quads)

    def timeless(record: Record) -> bool:
        return record.fact[1].value in _TIMELESS or record.fact[0] in provenance

    facts = {r.fact for r in records if not timeless(r)}
    chosen = [r for r in records if not timeless(r)]
    if as_of is not None:
        chosen = holding(chosen, as_of, single_valued)
    if view == "truthy":
        chosen = best_ranked(chosen)
    kept_facts = {r.fact for r in chosen}
    kept_records = {r.node for r in chosen} | {r.node for r in records if timeless(r)}
    if view == "truthy":
        gone = {r.node for r in records}
    else:
        gone = {r.node for r in records if r.node not in kept_records}
    dropped = frozenset(facts - kept_facts)
    return Snapshot(as_of, view, len(kept_facts), len(dropped), dropped, frozenset(gone))


def snapshot_quads(
    quads: Iterable[pyoxigraph.Quad],
    ontology: Iterable[pyoxigraph.Quad],
    as_of: date | None = None,
    view: str = "all",
) -> tuple[list[pyoxigraph.Quad], Snapshot]:
    """The dataset's quads as of `as_of` (in `view`), and what the snapshot rests on."""
    quads = list(quads)
    snapshot = plan(quads, single_valued_properties(ontology), as_of, view)
    return [q for q in quads if snapshot.keeps(q)], snapshot
