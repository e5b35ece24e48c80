"""The parts of a resource page that read the graph for people rather than list triples:
a person's positions as a timeline, an organization's units, people and models, and the
title of a statement record ("Zhu Wenjia reports to Shouzi Chew")."""

from __future__ import annotations

from dataclasses import dataclass

from llmboom.namespaces import LBO, RDF, shorten
from llmboom.publication.html_layout import Links, Term, iri_term, term_of
from llmboom.publication.page_index import PageIndex
from llmboom.rdf.terms import term_value

_HOLDER, _IN = LBO + "holder", LBO + "inOrganization"
_PREVIOUS, _CURRENT = LBO + "previousPosition", LBO + "current"
_START, _END, _ROLE = LBO + "startDate", LBO + "endDate", LBO + "roleTitle"
_PARTS = (
    ("Units", LBO + "partOf"),
    ("Teams it leads", LBO + "ledBy"),
    ("Owns", LBO + "ownedBy"),
)


@dataclass(frozen=True)
class TimelineEntry:
    """One position of a person, as a line of their timeline."""

    position: Term
    role: str | None
    organization: Term | None
    start: Term | None
    end: Term | None
    status: str  #: `current`, `former`, or `` when the sources do not say


@dataclass(frozen=True)
class Member:
    """Someone in an organization, and in what capacity."""

    person: Term
    role: str
    status: str


@dataclass(frozen=True)
class OrganizationView:
    """What sits inside an organization, who works there, what it announced."""

    parts: list[tuple[str, list[Term]]]  #: (heading, units)
    people: list[Member]
    models: list[Term]

    def __bool__(self) -> bool:
        return bool(self.parts or self.people or self.models)


def _term(index: PageIndex, node, links: Links) -> Term:
    return term_of(node, links, index.label(node.value) if hasattr(node, "value") else None)


def _subjects(index: PageIndex, iri: str, predicate: str) -> list[str]:
    return [term_value(t.subject) for t in index.incoming(iri) if t.predicate.value == predicate]


def status_of(index: PageIndex, position: str) -> str:
    """`current`, `former`, or `` when the sources do not say."""
    current = index.value(position, _CURRENT)
    if current is not None and current.value in {"true", "1"}:
        return "current"
    if (current is not None) or index.value(position, _END) is not None:
        return "former"
    if _subjects(index, position, _PREVIOUS):  # a later position followed it
        return "former"
    return ""


def _step(index: PageIndex, position: str) -> int:
    """How many positions lead up to this one along `lbo:previousPosition`."""
    seen: set[str] = set()
    current = index.value(position, _PREVIOUS)
    while current is not None and current.value not in seen:
        seen.add(current.value)
        current = index.value(current.value, _PREVIOUS)
    return len(seen)


def timeline(index: PageIndex, person: str, links: Links) -> list[TimelineEntry]:
    """The positions `person` holds or held, earliest first (the `previousPosition` chain,
    then the start date)."""
    positions = _subjects(index, person, _HOLDER)

    def key(position: str) -> tuple:
        start = index.value(position, _START)
        return (_step(index, position), start.value if start is not None else "", position)

    entries = []
    for position in sorted(positions, key=key):
        role = index.value(position, _ROLE)
        organization = index.value(position, _IN)
        start, end = index.value(position, _START), index.value(position, _END)
        entries.append(
            TimelineEntry(
                position=iri_term(position, links, index.label(position)),
                role=role.value if role is not None else None,
                organization=_term(index, organization, links) if organization else None,
                start=_term(index, start, links) if start is not None else None,
                end=_term(index, end, links) if end is not None else None,
                status=status_of(index, position),
            )
        )
    return entries


def organization_view(index: PageIndex, iri: str, links: Links) -> OrganizationView:
    """The units, teams and platforms under an organization (one level), the people in it
    (position holders, heads, founders) and the models it announced or developed."""

    def terms(iris) -> list[Term]:
        unique = sorted(set(iris), key=lambda i: ((index.label(i) or i).casefold(), i))
        return [iri_term(i, links, index.label(i)) for i in unique]

    parts = [(h, terms(_subjects(index, iri, p))) for h, p in _PARTS]
    people: list[Member] = []
    for position in _subjects(index, iri, _IN):
        role = index.value(position, _ROLE)
        for holder in index.values(position, _HOLDER):
            people.append(
                Member(
                    person=_term(index, holder, links),
                    role=role.value if role is not None else "position",
                    status=status_of(index, position),
                )
            )
    for head in _subjects(index, iri, LBO + "headOf"):
        people.append(Member(iri_term(head, links, index.label(head)), "head", ""))
    for founder in index.values(iri, LBO + "founder"):
        people.append(Member(_term(index, founder, links), "founder", ""))
    models = [t.value for t in index.values(iri, LBO + "announcedModel")]
    models += _subjects(index, iri, LBO + "developedBy")
    people.sort(key=lambda m: (m.person.text.casefold(), m.role))
    return OrganizationView(
        parts=[(h, ts) for h, ts in parts if ts], people=people, models=terms(models)
    )


def statement_title(index: PageIndex, record: str) -> str | None:
    """ "Zhu Wenjia reports to Shouzi Chew": the fact a statement record supports, in words."""
    parts = {p: index.value(record, RDF + p) for p in ("subject", "predicate", "object")}
    if any(value is None for value in parts.values()):
        return None
    import pyoxigraph

    words = []
    for value in parts.values():
        if isinstance(value, pyoxigraph.NamedNode):
            words.append(index.label(value.value) or shorten(value.value))
        else:
            words.append(term_of(value, Links()).text)  # a literal: its text, dates in words
    return " ".join(words)


@dataclass(frozen=True)
class Claim:
    """One side of a disagreement: a value and the records that claim it."""

    value: Term
    support: list  #: `resource_pages.Support` of each record


@dataclass(frozen=True)
class Disagreement:
    """Where sources disagree about one property of a resource (docs/time-and-claims.md):
    several values of a single-valued property, or a value whose record was re-ranked."""

    property: Term
    claims: list[Claim]


def disagreements(index: PageIndex, iri: str, links: Links, support) -> list[Disagreement]:
    """The resource's disagreements, each with every claim side by side (`support(index,
    triple, links)` gives a claim's records)."""
    single_valued: set[str] = getattr(index, "single_valued", set())
    by_property: dict[str, list] = {}
    for triple in index.outgoing(iri):
        by_property.setdefault(triple.predicate.value, []).append(triple)
    found = []
    for predicate, triples in sorted(by_property.items()):
        claims = [Claim(_term(index, t.object, links), support(index, t, links)) for t in triples]
        ranked = any(s.rank for claim in claims for s in claim.support)
        if (predicate in single_valued and len(triples) > 1) or ranked:
            found.append(Disagreement(iri_term(predicate, links, index.label(predicate)), claims))
    return found
