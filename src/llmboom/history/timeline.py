"""The timeline: every dated event of the dataset, from the `timeline` named query.

The query (`queries/timeline.rq`) derives events from the statement records, whatever the
property: a fact whose value is a date, or a fact whose record says when it held. This
module runs it (on a pyoxigraph store, or hands its bound text to the server's query pool),
reads its SPARQL JSON results into `TimelineEvent`s, and counts statement records by source
for the landing page.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from llmboom.rdf.terms import term_value

if TYPE_CHECKING:
    import pyoxigraph

    from llmboom.project import Project

#: The named query the timeline is read from.
TIMELINE_QUERY = "timeline"
#: Its value of a filter parameter that means "no filter".
ANY = "any"


@dataclass(frozen=True)
class TimelineEvent:
    """One dated fact and where it comes from."""

    date: str  #: as written: YYYY, YYYY-MM or YYYY-MM-DD
    when: str  #: "date", "point in time", "from" or "until"
    event: str  #: the property's label ("start date", "announced model", …)
    subject: str
    subject_label: str | None
    object: str  #: an IRI, or the value as text
    object_label: str | None
    object_is_iri: bool
    source: str | None
    source_label: str | None
    record: str  #: the statement record
    parties: tuple[str, ...] = ()  #: IRIs of everyone the event involves (`with_parties`)

    @property
    def year(self) -> str:
        return self.date[:4]


@dataclass(frozen=True)
class SourceCount:
    """How many statement records cite one source."""

    source: str
    label: str | None
    records: int


def timeline_query_text(
    project: Project, organization: str | None = None, person: str | None = None
) -> str:
    """The `timeline` query with its filters bound (a slug or an IRI each; None: any);
    `QueryParameterError` for a malformed value."""
    from llmboom.sparql.named_queries import bound_query_text, get_named_query

    query = get_named_query(project, TIMELINE_QUERY)
    values = {"organization": organization or ANY, "person": person or ANY}
    return bound_query_text(query, values, project.base_iri)


def events_from_json(body: bytes) -> list[TimelineEvent]:
    """The events of the query's SPARQL JSON results, in the query's order."""
    import json

    events = []
    for row in json.loads(body)["results"]["bindings"]:

        def value(name: str, row: dict = row) -> str | None:
            found = row.get(name)
            return None if found is None else found["value"]

        events.append(
            TimelineEvent(
                date=value("date") or "",
                when=value("when") or "",
                event=value("event") or "",
                subject=value("subject") or "",
                subject_label=value("subjectLabel"),
                object=value("object") or "",
                object_label=value("objectLabel"),
                object_is_iri=row.get("object", {}).get("type") == "uri",
                source=value("source"),
                source_label=value("sourceLabel"),
                record=value("record") or "",
            )
        )
    return events


def timeline_events(
    store: pyoxigraph.Store,
    project: Project,
    organization: str | None = None,
    person: str | None = None,
) -> list[TimelineEvent]:
    """Every event of the dataset in `store` (the data in the default graph, the ontology in
    its graph), in date order, filtered as `timeline_query_text` says."""
    from llmboom.namespaces import prefixes_for
    from llmboom.sparql.run import run_query

    text = timeline_query_text(project, organization, person)
    prefixes = prefixes_for(project.base_iri)
    events = events_from_json(run_query(store, text, prefixes=prefixes).results_json)
    return with_parties(store, events)


#: Who takes part in the fact of each statement record in `VALUES`: the fact's subject and
#: object, its position's holder and organization, its model's announcer (as the `timeline`
#: query's filters say).
_PARTIES = """
PREFIX lbo: <https://w3id.org/llmboom/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT DISTINCT ?record ?party WHERE {
  VALUES ?record { %s }
  { ?record rdf:subject|rdf:object ?party }
  UNION { ?record rdf:subject/(lbo:inOrganization|lbo:holder) ?party }
  UNION { ?record rdf:subject/^lbo:announcedModel ?party }
  FILTER (isIRI(?party))
}
"""
#: Records asked about in one query.
_BATCH = 2000


def with_parties(store: pyoxigraph.Store, events: list[TimelineEvent]) -> list[TimelineEvent]:
    """`events` with `parties` filled in (sorted IRIs), for a page that filters by them."""
    import dataclasses

    import pyoxigraph

    from llmboom.sparql.run import run_query

    records = sorted({e.record for e in events})
    parties: dict[str, set[str]] = {}
    for start in range(0, len(records), _BATCH):
        values = " ".join(str(pyoxigraph.NamedNode(r)) for r in records[start : start + _BATCH])
        for row in run_query(store, _PARTIES % values).as_dicts():
            parties.setdefault(term_value(row["record"]), set()).add(term_value(row["party"]))
    return [
        dataclasses.replace(e, parties=tuple(sorted(parties.get(e.record, ())))) for e in events
    ]


def latest(events: list[TimelineEvent], count: int = 100) -> list[TimelineEvent]:
    """The `count` latest events, latest first (a page groups them by date and subject)."""
    return sorted(events, key=lambda e: e.date, reverse=True)[:count]


_SOURCES = """
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?source (SAMPLE(?label) AS ?sourceLabel) (COUNT(DISTINCT ?record) AS ?records)
WHERE {
  ?record a rdf:Statement ; prov:wasDerivedFrom ?source .
  OPTIONAL { ?source rdfs:label ?label FILTER (LANGMATCHES(LANG(?label), "en")) }
}
GROUP BY ?source
ORDER BY DESC(?records) ?source
"""


def counts_by_source(store: pyoxigraph.Store, limit: int = 200) -> list[SourceCount]:
    """Statement records per source, the most cited first (at most `limit` sources)."""
    import json

    from llmboom.sparql.run import run_query

    body = run_query(store, _SOURCES + f"LIMIT {int(limit)}").results_json
    return [
        SourceCount(
            source=row["source"]["value"],
            label=row.get("sourceLabel", {}).get("value"),
            records=int(row["records"]["value"]),
        )
        for row in json.loads(body)["results"]["bindings"]
    ]
