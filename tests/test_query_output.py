"""Rendering results: the aligned table, the SPARQL results formats, RDF for triples."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pyoxigraph
import pytest

from llmboom.errors import FormatError
from llmboom.namespaces import LBO, LBR, XSD
from llmboom.sparql.named_queries import NamedQuery
from llmboom.sparql.output import (
    cell_text,
    media_type,
    render,
    render_query_list,
)
from llmboom.sparql.run import QueryResult, run_query

ZHU = pyoxigraph.NamedNode(LBR + "zhu-wenjia")
CHEW = pyoxigraph.NamedNode(LBR + "shouzi-chew")
REPORTS_TO = pyoxigraph.NamedNode(LBO + "reportsTo")
SIZE = pyoxigraph.NamedNode(LBO + "approximateSize")
TEAM = pyoxigraph.NamedNode(LBR + "bytedance-language-model-team")
LABEL = pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


@pytest.fixture(scope="module")
def store() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.add(pyoxigraph.Quad(ZHU, REPORTS_TO, CHEW))
    store.add(pyoxigraph.Quad(ZHU, LABEL, pyoxigraph.Literal("Zhu Wenjia", language="en")))
    store.add(
        pyoxigraph.Quad(
            TEAM, SIZE, pyoxigraph.Literal("10", datatype=pyoxigraph.NamedNode(XSD + "integer"))
        )
    )
    return store


SELECT = (
    "SELECT ?person ?label ?size WHERE {"
    " { ?person lbo:reportsTo ?boss OPTIONAL { ?person rdfs:label ?label } }"
    " UNION { ?person lbo:approximateSize ?size } } ORDER BY ?person"
)


@pytest.fixture(scope="module")
def bindings(store) -> QueryResult:
    return run_query(store, SELECT)


def test_table_is_aligned_with_shortened_iris_and_blank_unbound_cells(bindings) -> None:
    lines = render(bindings, "table").splitlines()
    assert lines == [
        "person                             label       size",
        "---------------------------------  ----------  ----",
        "lbr:bytedance-language-model-team                10",
        "lbr:zhu-wenjia                     Zhu Wenjia",
    ]


def test_table_of_an_ask_result_is_one_word(store) -> None:
    assert render(run_query(store, "ASK { ?s lbo:reportsTo ?o }"), "table") == "true\n"
    assert render(run_query(store, "ASK { ?s lbo:headOf ?o }"), "table") == "false\n"


def test_table_of_an_empty_result_still_shows_the_header(store) -> None:
    text = render(run_query(store, "SELECT ?a ?bb WHERE { ?a lbo:headOf ?bb }"), "table")
    assert text == "a  bb\n-  --\n"


def test_json_is_sparql_results_json(bindings) -> None:
    document = json.loads(render(bindings, "json"))
    assert document["head"]["vars"] == ["person", "label", "size"]
    first, second = document["results"]["bindings"]
    assert first == {
        "person": {"type": "uri", "value": TEAM.value},
        "size": {"type": "literal", "value": "10", "datatype": XSD + "integer"},
    }
    assert second["label"] == {"type": "literal", "value": "Zhu Wenjia", "xml:lang": "en"}


@pytest.mark.parametrize("fmt", ["xml", "tsv", "json"])
def test_results_formats_read_back_to_the_same_solutions(bindings, fmt: str) -> None:
    text = render(bindings, fmt)
    parsed = pyoxigraph.parse_query_results(
        text.encode(), pyoxigraph.QueryResultsFormat.from_extension(fmt)
    )
    assert [v.value for v in parsed.variables] == list(bindings.variables)
    assert [tuple(s[i] for i in range(3)) for s in parsed] == list(bindings.rows)


def test_csv_has_a_header_and_plain_values(bindings) -> None:
    records = list(csv.reader(io.StringIO(render(bindings, "csv"))))
    assert records == [
        ["person", "label", "size"],
        [TEAM.value, "", "10"],
        [ZHU.value, "Zhu Wenjia", ""],
    ]


def test_ask_in_json_and_xml(store) -> None:
    result = run_query(store, "ASK { ?s lbo:reportsTo ?o }")
    assert json.loads(render(result, "json"))["boolean"] is True
    assert "<boolean>true</boolean>" in render(result, "xml")


@pytest.mark.parametrize("fmt", ["turtle", "table"])
def test_triples_as_turtle_use_only_the_prefixes_they_need(store, fmt: str) -> None:
    result = run_query(store, "DESCRIBE lbr:zhu-wenjia")
    text = render(result, fmt)
    assert "@prefix lbr: <https://w3id.org/llmboom/id/> ." in text
    assert "@prefix schema:" not in text
    parsed = set(pyoxigraph.parse(text.encode(), pyoxigraph.RdfFormat.TURTLE))
    assert {pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in parsed} == set(
        result.triples
    )


@pytest.mark.parametrize(
    ("fmt", "rdf_format"),
    [
        ("nt", pyoxigraph.RdfFormat.N_TRIPLES),
        ("xml", pyoxigraph.RdfFormat.RDF_XML),
        ("jsonld", pyoxigraph.RdfFormat.JSON_LD),
    ],
)
def test_triples_in_other_rdf_formats_read_back(store, fmt: str, rdf_format) -> None:
    result = run_query(store, "CONSTRUCT WHERE { ?s lbo:reportsTo ?o }")
    parsed = list(pyoxigraph.parse(render(result, fmt).encode(), rdf_format))
    assert [pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in parsed] == list(
        result.triples
    )


@pytest.mark.parametrize(
    ("query", "fmt", "hint"),
    [
        ("CONSTRUCT WHERE { ?s ?p ?o }", "csv", "CONSTRUCT/DESCRIBE"),
        ("SELECT * WHERE { ?s ?p ?o }", "turtle", "SELECT/ASK"),
        ("ASK { ?s ?p ?o }", "nt", "SELECT/ASK"),
    ],
)
def test_a_format_that_does_not_fit_the_result_is_refused(store, query, fmt, hint) -> None:
    with pytest.raises(FormatError, match=hint):
        render(run_query(store, query), fmt)


@pytest.mark.parametrize(
    ("query", "fmt", "expected"),
    [
        ("SELECT * WHERE { ?s ?p ?o }", "json", "application/sparql-results+json"),
        ("ASK { ?s ?p ?o }", "xml", "application/sparql-results+xml"),
        ("SELECT * WHERE { ?s ?p ?o }", "csv", "text/csv"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "turtle", "text/turtle"),
        ("CONSTRUCT WHERE { ?s ?p ?o }", "xml", "application/rdf+xml"),
        ("DESCRIBE lbr:zhu-wenjia", "jsonld", "application/ld+json"),
    ],
)
def test_media_types(store, query: str, fmt: str, expected: str) -> None:
    assert media_type(run_query(store, query), fmt) == expected


def test_cell_text() -> None:
    assert cell_text(None) == ""
    assert cell_text(pyoxigraph.NamedNode("http://example.org/x")) == "<http://example.org/x>"
    assert cell_text(pyoxigraph.BlankNode("b1")) == "_:b1"
    assert cell_text(pyoxigraph.Literal("two\nlines")) == "two lines"


def _named(name: str, title: str, description: str) -> NamedQuery:
    return NamedQuery(name, title, description, "ASK {}", Path(f"queries/{name}.rq"))


def test_query_list_as_table_and_json() -> None:
    queries = [_named("a", "First", "One."), _named("longer-name", "Second", "Two.")]
    assert render_query_list(queries, "table") == "a            First\nlonger-name  Second\n"
    entries = json.loads(render_query_list(queries, "json"))
    assert entries[1] == {
        "name": "longer-name",
        "title": "Second",
        "description": "Two.",
        "path": str(Path("queries/longer-name.rq")),
        "parameters": [],
    }
    with pytest.raises(FormatError):
        render_query_list(queries, "turtle")


def test_query_list_shows_parameters() -> None:
    from llmboom.sparql.named_queries import QueryParameter

    person = QueryParameter("person", "iri", None, "Whose.")
    day = QueryParameter("date", "date", "2023-02-23", "When.")
    query = NamedQuery("q", "T", "D.", "ASK {}", Path("q.rq"), (person, day))
    assert render_query_list([query], "table") == (
        "q  T\n"
        "     --param person=<iri> (required): Whose.\n"
        "     --param date=<date> = 2023-02-23: When.\n"
    )
    assert json.loads(render_query_list([query], "json"))[0]["parameters"][1] == {
        "name": "date",
        "type": "date",
        "default": "2023-02-23",
        "description": "When.",
    }
