"""The `timeline` named query and `llmboom.history.timeline`: dated events from the statement
records, in date order, filtered by organization and person."""

from __future__ import annotations

import pytest

from llmboom.errors import QueryParameterError
from llmboom.history.timeline import counts_by_source, latest, timeline_events
from llmboom.namespaces import LBR


@pytest.fixture(scope="module")
def store(project):
    from llmboom.store.embedded import EmbeddedStore

    return EmbeddedStore.in_memory(project).oxigraph


def test_every_dated_fact_with_a_record_is_an_event_in_date_order(store, project, data_graph):
    events = timeline_events(store, project)
    dates = [e.date for e in events]
    assert dates == sorted(dates)
    # independently: the statement records whose object is a date (sources' dates aside)
    rows = data_graph.query(
        """SELECT ?record WHERE {
             ?record a rdf:Statement ; rdf:predicate ?p ; rdf:object ?o .
             FILTER (DATATYPE(?o) IN (xsd:date, xsd:gYear, xsd:gYearMonth)
                     && ?p NOT IN (lbo:publicationDate, lbo:consulted)) }""",
        initNs={
            "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
            "xsd": "http://www.w3.org/2001/XMLSchema#",
            "lbo": "https://w3id.org/llmboom/ontology#",
        },
    )
    assert {str(r[0]) for r in rows} <= {e.record for e in events}
    assert len([e for e in events if e.year == "2023"]) > 1
    starts = [e for e in events if e.subject == LBR + "zhu-wenjia-toutiao"]
    assert ("2015", "start date") in [(e.date, e.event) for e in starts]
    assert starts[0].source == LBR + "article" and starts[0].source_label
    assert LBR + "zhu-wenjia" in starts[0].parties  # the position's holder


@pytest.mark.parametrize(
    ("organization", "person", "involved"),
    [
        ("baidu", None, "baidu"),
        (None, "zhu-wenjia", "zhu-wenjia"),
        ("bytedance", None, "bytedance"),
    ],
)
def test_filters_keep_the_events_involving_them(store, project, organization, person, involved):
    every = timeline_events(store, project)
    kept = timeline_events(store, project, organization=organization, person=person)
    assert kept and len(kept) < len(every)
    assert all(LBR + involved in e.parties for e in kept)
    assert kept == [e for e in every if LBR + involved in e.parties]


def test_a_malformed_filter_is_refused(store, project):
    with pytest.raises(QueryParameterError):
        timeline_events(store, project, organization="not a slug>")


def test_latest_and_counts_by_source(store, project):
    events = timeline_events(store, project)
    newest = latest(events, 3)
    assert len(newest) == 3 and newest[0].date == max(e.date for e in events)
    sources = counts_by_source(store)
    records = {s.source: s.records for s in sources}
    assert records[LBR + "article"] > 100
    assert [s.records for s in sources] == sorted((s.records for s in sources), reverse=True)
