"""A table and its mapping → the triples of a submission: the facts of each row, a statement
record for each (citing the copy of the table, with the mapping's summary), the citation,
the attribution, and for a later copy the re-ranking of values it supersedes.

Only what the dataset lacks is produced: a fact already recorded from a copy of the same
table is left alone (re-importing a copy is a no-op); a single-valued fact whose value
changed gets the new value as preferred and the old records deprecated, with reasons.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Final

from llmboom.errors import InputError
from llmboom.importing.cell_values import cell_values
from llmboom.importing.csv_table import Cell, Dialect, TableError, read_table
from llmboom.importing.entities import EntityIndex, slugify
from llmboom.importing.mapping import DATATYPES, Column, Mapping
from llmboom.namespaces import LBO, PROV, RDF, RDFS, XSD
from llmboom.rdf.terms import Term, term_value

if TYPE_CHECKING:
    import pyoxigraph

SCHEMA_URL: Final = "https://schema.org/url"
DCTERMS_LICENSE: Final = "http://purl.org/dc/terms/license"
SUPERSEDED: Final = "superseded in a later copy"
_NUMERIC = {XSD + "decimal", XSD + "double", XSD + "integer"}


@dataclass
class ImportPlan:
    """What an import adds, and figures about it."""

    quads: list[pyoxigraph.Quad] = field(default_factory=list)
    rows: int = 0  #: rows of the table the mapping selected
    models: set[str] = field(default_factory=set)  #: resources of the rows' main entity column
    matched: set[str] = field(default_factory=set)  #: existing resources a name resolved to
    minted: set[str] = field(default_factory=set)  #: resources this import mints
    facts: int = 0  #: new facts (each with its record)
    records: int = 0  #: new statement records (facts already held get none)
    superseded: int = 0  #: older records deprecated by a changed value


@dataclass(frozen=True)
class _Held:
    record: str
    obj: Term
    rank: str | None


def plan_import(
    mapping: Mapping,
    table: Path,
    retrieved: dt.date,
    dataset: list[pyoxigraph.Quad],
    ontology: list[pyoxigraph.Quad],
    base_iri: str,
    progress: Callable[[int, int], None] | None = None,
) -> ImportPlan:
    """The triples importing `table` (a copy retrieved on `retrieved`) adds to `dataset`.
    Raises `TableError` (FILE:LINE:COLUMN) for a malformed file or cell, before anything
    is produced."""
    import pyoxigraph

    rows = list(_selected_rows(mapping, table))
    entities = EntityIndex.of(dataset, ontology, base_iri)
    held = _held_from_copies(dataset, mapping.source.url)
    builder = _Builder(mapping, retrieved, base_iri, entities, held)
    for count, (line_cells, values) in enumerate(rows, 1):
        builder.row(line_cells, values)
        if progress is not None:
            progress(count, len(rows))
    plan = builder.plan
    plan.rows = len(rows)
    if plan.records:
        plan.quads[:0] = builder.citation(dataset)
    del pyoxigraph
    return plan


def _selected_rows(mapping: Mapping, table: Path) -> Iterator[tuple[dict[str, Cell], dict]]:
    """(cells by column name, values by column name) of each row the filter keeps. The
    whole file's structure is checked (quotes, cell counts); the cells of every row the
    filter keeps are checked against their datatypes (rows left out are not read further:
    another country's data quirks do not stop an import)."""
    dialect = Dialect(delimiter=mapping.delimiter, quote=mapping.quote, encoding=mapping.encoding)
    header, records = read_table(table, dialect)
    positions = {cell.text.strip(): index for index, cell in enumerate(header)}
    missing = [c.title for c in mapping.columns if c.title not in positions]
    if missing:
        raise TableError(
            str(table),
            1,
            1,
            f"the header lacks the mapped column(s) {', '.join(map(repr, missing))}",
        )
    rows = list(records)  # the whole file parses before anything is produced
    for record in rows:
        cells = {c.name: record[positions[c.title]] for c in mapping.columns}
        wanted = mapping.filter_contains
        if mapping.filter_column is not None and wanted is not None:
            column = mapping.column(mapping.filter_column)
            kept = cell_values(cells[column.name], column, str(table))
            if not any(wanted in v for v in kept):
                continue
        values = {c.name: cell_values(cells[c.name], c, str(table)) for c in mapping.columns}
        yield cells, values


def _held_from_copies(dataset: list[pyoxigraph.Quad], url: str) -> dict[tuple, list[_Held]]:
    """(subject, predicate) → the records citing a copy of the same table (a source whose
    schema:url is `url`), with their objects and ranks."""
    import pyoxigraph

    copies = {
        term_value(q.subject)
        for q in dataset
        if q.predicate.value == SCHEMA_URL
        and isinstance(q.object, pyoxigraph.NamedNode)
        and q.object.value == url
    }
    if not copies:
        return {}
    parts: dict[str, dict[str, Term]] = defaultdict(dict)
    citing: set[str] = set()
    for q in dataset:
        predicate = q.predicate.value
        if predicate == PROV + "wasDerivedFrom" and term_value(q.object) in copies:
            citing.add(term_value(q.subject))
        elif predicate in (RDF + "subject", RDF + "predicate", RDF + "object", LBO + "rank"):
            parts[term_value(q.subject)][predicate] = q.object
    held: dict[tuple, list[_Held]] = defaultdict(list)
    for record in citing:
        p = parts[record]
        if {RDF + "subject", RDF + "predicate", RDF + "object"} <= p.keys():
            rank = p.get(LBO + "rank")
            key = (term_value(p[RDF + "subject"]), term_value(p[RDF + "predicate"]))
            held[key].append(_Held(record, p[RDF + "object"], term_value(rank) if rank else None))
    return held


def _same(a: Term, b: Term) -> bool:
    """RDF term equality, numbers compared by value (stores normalise their lexical form)."""
    import pyoxigraph

    if (
        isinstance(a, pyoxigraph.Literal)
        and isinstance(b, pyoxigraph.Literal)
        and a.datatype.value in _NUMERIC
        and b.datatype.value in _NUMERIC
    ):
        try:
            return Decimal(a.value) == Decimal(b.value)
        except ArithmeticError:
            return False
    return a == b


class _Builder:
    def __init__(self, mapping, retrieved, base_iri, entities: EntityIndex, held) -> None:
        import pyoxigraph

        self.o = pyoxigraph
        self.mapping = mapping
        self.retrieved = retrieved.isoformat()
        self.base = base_iri
        self.entities = entities
        self.held: dict[tuple, list[_Held]] = held
        self.plan = ImportPlan()
        self.source = self._iri(mapping.source.slug.format(retrieved=self.retrieved))
        self.attribution = self._iri(mapping.attribution.slug)
        self.deprecated: set[str] = set()
        self.seen_facts: set[tuple] = set()

    # -- terms --------------------------------------------------------------------------------
    def _iri(self, slug: str) -> pyoxigraph.NamedNode:
        return self.o.NamedNode(self.base + slug)

    def _named(self, iri: str) -> pyoxigraph.NamedNode:
        return self.o.NamedNode(iri)

    def _add(self, s, p: str, o) -> None:
        self.plan.quads.append(self.o.Quad(s, self.o.NamedNode(p), o))

    def _literal(self, value: str, column: Column) -> Term:
        if column.datatype == "anyURI":
            return self.o.NamedNode(value)
        datatype = DATATYPES[column.datatype]
        if datatype is None:
            return self.o.Literal(value, language="en")
        return self.o.Literal(value, datatype=self.o.NamedNode(datatype))

    # -- rows ---------------------------------------------------------------------------------
    def row(self, cells: dict[str, Cell], values: dict[str, list[str]]) -> None:
        resolved: dict[str, list[str]] = {}
        for column in self.mapping.columns:
            if column.entity is not None:
                resolved[column.name] = [
                    self._entity(name, column, values, cells[column.name])
                    for name in values[column.name]
                ]
        main = self.mapping.columns[0].name if self.mapping.columns[0].entity else None
        if main:
            self.plan.models.update(resolved[main])
        locator = None
        if self.mapping.locator:
            locator = self.mapping.locator.format(
                **{name: ", ".join(v) for name, v in values.items()}
            )
        for column in self.mapping.columns:
            if column.property is None or column.suppress:
                continue
            subjects = resolved[column.about]
            objects: list[Term]
            if column.value is not None:
                objects = [self._named(i) for i in resolved[column.value]]
            else:
                objects = [self._literal(v, column) for v in values[column.name]]
            extra = None
            if column.record_property and values[column.name]:
                datatype = DATATYPES[column.datatype] or XSD + "string"
                extra = (
                    column.record_property,
                    self.o.Literal(values[column.name][0], datatype=self.o.NamedNode(datatype)),
                )
            for subject in subjects:
                for obj in objects:
                    self._fact(self._named(subject), column, obj, extra, locator)

    def _entity(self, name: str, column: Column, values, cell: Cell) -> str:
        spec = column.entity
        assert spec is not None
        loose = column.separator is not None  # lists of organizations: match loosely
        found = self.entities.resolve(name, spec.match_class, loose=loose)
        if not found.minted:
            if found.iri not in self.plan.minted:
                self.plan.matched.add(found.iri)
            return found.iri
        self.plan.minted.add(found.iri)
        cls = spec.cls
        wanted, when = spec.when_contains, spec.when_column
        row_says = wanted is not None and any(wanted in v for v in values.get(when or "", []))
        if spec.narrower and row_says:
            cls = spec.narrower
        subject = self._named(found.iri)
        self._add(subject, RDF + "type", self._named(cls))
        self._add(subject, RDFS + "label", self.o.Literal(name, language="en"))
        return found.iri

    def _fact(self, subject, column: Column, obj, extra, locator) -> None:
        prop, summary = column.property, column.summary
        assert prop is not None  # the caller passes the columns with a property only
        if summary is None:
            raise InputError(
                str(self.mapping.path), f"column {column.title!r} states facts but has no summary"
            )
        key = (subject.value, prop)
        if (key, obj) in self.seen_facts:
            return
        self.seen_facts.add((key, obj))
        earlier = self.held.get(key, [])
        if any(_same(h.obj, obj) for h in earlier):
            return  # already recorded from a copy of this table
        rank = None
        if column.single_valued and earlier:
            rank = LBO + "PreferredRank"
            for old in earlier:
                if old.rank != LBO + "DeprecatedRank" and old.record not in self.deprecated:
                    self.deprecated.add(old.record)
                    record = self._named(old.record)
                    self._add(record, LBO + "rank", self._named(LBO + "DeprecatedRank"))
                    self._add(record, LBO + "rankReason", self.o.Literal(SUPERSEDED, language="en"))
                    self.plan.superseded += 1
        predicate = self._named(prop)
        self._add(subject, prop, obj)
        record = self._iri(self._record_slug(subject.value, prop, obj))
        self._add(record, RDF + "type", self._named(RDF + "Statement"))
        self._add(record, RDF + "subject", subject)
        self._add(record, RDF + "predicate", predicate)
        self._add(record, RDF + "object", obj)
        self._add(record, PROV + "wasDerivedFrom", self.source)
        self._add(record, LBO + "summary", self.o.Literal(summary, language="en"))
        if locator:
            self._add(record, LBO + "locator", self.o.Literal(locator))
        self._add(record, LBO + "attributedTo", self.attribution)
        if extra is not None:
            self._add(record, extra[0], extra[1])
        if rank is not None:
            self._add(record, LBO + "rank", self._named(rank))
            reason = f"the value in the latest copy of the table ({self.retrieved})"
            self._add(record, LBO + "rankReason", self.o.Literal(reason, language="en"))
        self.plan.facts += 1
        self.plan.records += 1

    def _record_slug(self, subject: str, predicate: str, obj) -> str:
        local = predicate.rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        own = subject[len(self.base) :] if subject.startswith(self.base) else slugify(subject)
        digest = hashlib.sha256(
            f"{subject}\n{predicate}\n{obj}\n{self.source.value}".encode()
        ).hexdigest()[:8]
        return f"s-{own}-{slugify(local)}-{digest}"

    # -- the citation ------------------------------------------------------------------------
    def citation(self, dataset: list[pyoxigraph.Quad]) -> list[pyoxigraph.Quad]:
        """The source (this copy), its publisher and the attribution, where new."""
        existing = {term_value(q.subject) for q in dataset}
        spec, o = self.mapping.source, self.o
        quads: list[pyoxigraph.Quad] = []

        def add(s, p: str, obj) -> None:
            quads.append(o.Quad(s, o.NamedNode(p), obj))

        date = o.Literal(self.retrieved, datatype=o.NamedNode(XSD + "date"))
        publisher = self._iri(spec.publisher_slug)
        if publisher.value not in existing:
            add(publisher, RDF + "type", o.NamedNode(LBO + "Organization"))
            add(publisher, RDFS + "label", o.Literal(spec.publisher_label, language="en"))
        if self.source.value not in existing:
            s = self.source
            add(s, RDF + "type", o.NamedNode(LBO + "Source"))
            add(
                s,
                RDFS + "label",
                o.Literal(spec.label.format(retrieved=self.retrieved), language="en"),
            )
            add(s, SCHEMA_URL, o.NamedNode(spec.url))
            add(s, LBO + "headline", o.Literal(spec.headline, language="en"))
            add(s, LBO + "publishedBy", publisher)
            add(s, LBO + "publicationDate", date)
            add(
                s,
                LBO + "language",
                o.Literal(spec.language, datatype=o.NamedNode(XSD + "language")),
            )
            add(s, LBO + "consulted", date)
            if spec.license:
                add(s, DCTERMS_LICENSE, o.NamedNode(spec.license))
        if self.attribution.value not in existing:
            a, att = self.attribution, self.mapping.attribution
            anonymous = o.Literal(
                "true" if att.anonymous else "false", datatype=o.NamedNode(XSD + "boolean")
            )
            add(a, RDF + "type", o.NamedNode(LBO + "Attribution"))
            add(a, RDFS + "label", o.Literal(att.label, language="en"))
            add(a, LBO + "anonymous", anonymous)
            record = self._iri(self._record_slug(a.value, LBO + "anonymous", anonymous))
            add(record, RDF + "type", o.NamedNode(RDF + "Statement"))
            add(record, RDF + "subject", a)
            add(record, RDF + "predicate", o.NamedNode(LBO + "anonymous"))
            add(record, RDF + "object", anonymous)
            add(record, PROV + "wasDerivedFrom", self.source)
            add(record, LBO + "summary", o.Literal(att.summary, language="en"))
            add(record, LBO + "attributedTo", a)
        return quads
