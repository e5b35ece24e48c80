"""Counts that describe the dataset: classes, properties, statement records, sources,
attributions, and how many facts rest only on anonymous informants."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from llmboom.cli.terminal import safe_lines
from llmboom.namespaces import (
    CITATION_PREDICATES,
    LBO,
    PROV,
    RDF,
    RDF_STATEMENT,
    RDF_TYPE,
    needs_no_record,
    shorten,
)
from llmboom.rdf.terms import term_value

if TYPE_CHECKING:
    import pyoxigraph

_SOURCE = LBO + "Source"
_ATTRIBUTION = LBO + "Attribution"


@dataclass(frozen=True)
class Stats:
    """What `compute_stats` counts. IRIs are full; `to_dict` shortens them to `prefix:local`.

    A *fact* is a triple that is not part of a statement record and not one of the
    descriptive triples the provenance rule exempts (type, labels, a source's text and its
    citation: URL, headline, publisher, dates, language, licence), nor a submission's
    bookkeeping (`lbo:Submission`, `lbo:Contributor`). A fact
    *with provenance* is asserted and described by at least one statement record
    (rdf:subject/predicate/object).
    A fact rests *only on anonymous attributions* when every one of its records is
    attributed, and only to attributions marked `lbo:anonymous true`.
    """

    triples: int
    subjects: int
    classes: dict[str, int] = field(default_factory=dict)  #: class IRI → asserted instances
    #: class IRI → instances including those of its sub-classes (RDFS entailment)
    classes_with_subclasses: dict[str, int] = field(default_factory=dict)
    properties: dict[str, int] = field(default_factory=dict)  #: property IRI → triples
    statements: int = 0  #: statement records (rdf:Statement nodes)
    #: triples outside statement records, other than descriptive ones (types, English names)
    facts: int = 0
    facts_with_provenance: int = 0
    unasserted_statements: int = 0  #: records whose triple is not in the data
    sources: int = 0  #: lbo:Source nodes and objects of prov:wasDerivedFrom
    attributions: int = 0  #: lbo:Attribution nodes and objects of lbo:attributedTo
    anonymous_attributions: int = 0
    anonymous_only_facts: int = 0

    @property
    def anonymous_share(self) -> float:
        """Share of the facts with provenance that rest only on anonymous attributions."""
        if not self.facts_with_provenance:
            return 0.0
        return self.anonymous_only_facts / self.facts_with_provenance

    def to_dict(self) -> dict[str, Any]:
        """A JSON-ready dict; classes and properties keyed by `prefix:local`, sorted."""
        return {
            "triples": self.triples,
            "subjects": self.subjects,
            "statements": self.statements,
            "facts": self.facts,
            "facts_with_provenance": self.facts_with_provenance,
            "unasserted_statements": self.unasserted_statements,
            "sources": self.sources,
            "attributions": self.attributions,
            "anonymous_attributions": self.anonymous_attributions,
            "anonymous_only_facts": self.anonymous_only_facts,
            "anonymous_share": round(self.anonymous_share, 4),
            "classes": _short_sorted(self.classes),
            "classes_with_subclasses": _short_sorted(self.classes_with_subclasses),
            "properties": _short_sorted(self.properties),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def to_text(self) -> str:
        """A short human-readable report."""
        data = self.to_dict()
        rows = [
            ("triples", f"{self.triples}"),
            ("subjects", f"{self.subjects}"),
            ("statement records", f"{self.statements}"),
            ("facts", f"{self.facts}"),
            ("  with provenance", f"{self.facts_with_provenance}"),
            ("  only on anonymous", f"{self.anonymous_only_facts} ({self.anonymous_share:.1%})"),
            ("unasserted records", f"{self.unasserted_statements}"),
            ("sources", f"{self.sources}"),
            ("attributions", f"{self.attributions} ({self.anonymous_attributions} anonymous)"),
        ]
        width = max(len(label) for label, _ in rows)
        lines = [f"{label.ljust(width)}  {value}" for label, value in rows]
        lines += ["", "instances by class: asserted rdf:type, and with sub-classes' instances"]
        lines += _table(data["classes_with_subclasses"], asserted=data["classes"])
        lines += ["", "triples by property"]
        lines += _table(data["properties"])
        return safe_lines(lines)


def _short_sorted(counts: dict[str, int]) -> dict[str, int]:
    """Keyed by `prefix:local`; most frequent first, then by name."""
    items = sorted(((shorten(k), v) for k, v in counts.items()), key=lambda kv: (-kv[1], kv[0]))
    return dict(items)


def _table(counts: dict[str, int], asserted: dict[str, int] | None = None) -> list[str]:
    """`name  count` rows; with `asserted`, `name  asserted[name]  count` (0 when absent)."""
    width = max((len(k) for k in counts), default=0)
    if asserted is None:
        return [f"  {name.ljust(width)}  {count:>7}" for name, count in counts.items()]
    return [
        f"  {name.ljust(width)}  {asserted.get(name, 0):>7}  {count:>7}"
        for name, count in counts.items()
    ]


def compute_stats(
    quads: Iterable[pyoxigraph.Quad], ontology: Iterable[pyoxigraph.Quad] = ()
) -> Stats:
    """Count the dataset's classes, properties, records, sources and attributions.

    Graph names are ignored and duplicate triples counted once. Class counts are of asserted
    `rdf:type` triples; `classes_with_subclasses` also counts, under each class of
    `ontology`, the instances of its sub-classes.
    """
    from llmboom.rdf.entailment import hierarchies

    triples = {(q.subject, q.predicate, q.object) for q in quads}
    typed: dict[str, set] = {}
    properties: Counter[str] = Counter()
    subjects = set()
    for s, p, o in triples:
        subjects.add(s)
        properties[p.value] += 1
        if p.value == RDF_TYPE:
            typed.setdefault(term_value(o), set()).add(s)

    records = typed.get(RDF_STATEMENT, set())
    about: dict[Any, dict[str, list]] = {r: {} for r in records}
    sources = set(typed.get(_SOURCE, ()))
    attributions = set(typed.get(_ATTRIBUTION, ()))
    anonymous = set()
    for s, p, o in triples:
        if s in about:
            about[s].setdefault(p.value, []).append(o)
            if p.value == PROV + "wasDerivedFrom":
                sources.add(o)
            elif p.value == LBO + "attributedTo":
                attributions.add(o)
        if p.value == LBO + "anonymous" and term_value(o) == "true":
            anonymous.add(s)

    bookkeeping = typed.get(LBO + "Submission", set()) | typed.get(LBO + "Contributor", set())
    cited = typed.get(_SOURCE, set())
    facts = {
        t
        for t in triples
        if t[0] not in records
        and t[0] not in bookkeeping
        and not needs_no_record(t[1].value, t[2])
        and not (t[0] in cited and t[1].value in CITATION_PREDICATES)
    }
    records_of: dict[tuple, list[dict[str, list]]] = {}
    unasserted = 0
    for props in about.values():
        parts = [props.get(RDF + k, []) for k in ("subject", "predicate", "object")]
        if not all(len(part) == 1 for part in parts):
            unasserted += 1
            continue
        fact = (parts[0][0], parts[1][0], parts[2][0])
        if fact in facts:
            records_of.setdefault(fact, []).append(props)
        elif fact not in triples:  # (a record of an exempt triple, such as a citation's date)
            unasserted += 1

    def anonymous_only(fact_records: list[dict[str, list]]) -> bool:
        for props in fact_records:
            given = props.get(LBO + "attributedTo", [])
            if not given or not all(a in anonymous for a in given):
                return False
        return True

    superclasses, _ = hierarchies(ontology)
    with_subclasses: dict[str, set] = {c: set(members) for c, members in typed.items()}
    for cls, members in typed.items():
        for parent in superclasses.get(cls, ()):
            with_subclasses.setdefault(parent, set()).update(members)

    return Stats(
        triples=len(triples),
        subjects=len(subjects),
        classes={c: len(members) for c, members in typed.items()},
        classes_with_subclasses={c: len(members) for c, members in with_subclasses.items()},
        properties=dict(properties),
        statements=len(records),
        facts=len(facts),
        facts_with_provenance=len(records_of),
        unasserted_statements=unasserted,
        sources=len(sources),
        attributions=len(attributions),
        anonymous_attributions=len(attributions & anonymous),
        anonymous_only_facts=sum(1 for rs in records_of.values() if anonymous_only(rs)),
    )
