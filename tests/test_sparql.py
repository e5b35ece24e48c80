"""Running queries: result kinds, default prefixes, read-only, one-line errors."""

from __future__ import annotations

import json
import time

import pyoxigraph
import pytest

from llmboom.errors import QueryError, QueryTimeoutError
from llmboom.namespaces import LBO, LBR
from llmboom.sparql.run import run_query

ZHU = pyoxigraph.NamedNode(LBR + "zhu-wenjia")
CHEW = pyoxigraph.NamedNode(LBR + "shouzi-chew")
REPORTS_TO = pyoxigraph.NamedNode(LBO + "reportsTo")
LABEL = pyoxigraph.NamedNode("http://www.w3.org/2000/01/rdf-schema#label")


@pytest.fixture
def store() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    store.add(pyoxigraph.Quad(ZHU, REPORTS_TO, CHEW))
    store.add(pyoxigraph.Quad(ZHU, LABEL, pyoxigraph.Literal("Zhu Wenjia", language="en")))
    return store


def test_select_gives_variables_in_order_and_none_for_unbound(store) -> None:
    result = run_query(
        store,
        "SELECT ?who ?missing ?boss WHERE {"
        " ?who lbo:reportsTo ?boss OPTIONAL { ?boss rdfs:label ?missing } }",
    )
    assert result.kind == "bindings"
    assert result.variables == ("who", "missing", "boss")
    assert result.rows == ((ZHU, None, CHEW),)
    assert result.as_dicts() == [{"who": ZHU, "boss": CHEW}]
    assert len(result) == 1


def test_select_with_no_solutions_keeps_its_variables(store) -> None:
    result = run_query(store, "SELECT ?x ?y WHERE { ?x lbo:headOf ?y }")
    assert result.variables == ("x", "y")
    assert result.rows == ()


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("ASK { lbr:zhu-wenjia lbo:reportsTo lbr:shouzi-chew }", True),
        ("ASK { lbr:shouzi-chew lbo:reportsTo lbr:zhu-wenjia }", False),
    ],
)
def test_ask_gives_a_boolean(store, query: str, expected: bool) -> None:
    result = run_query(store, query)
    assert (result.kind, result.boolean) == ("boolean", expected)


def test_construct_and_describe_give_triples(store) -> None:
    constructed = run_query(store, "CONSTRUCT { ?b lbo:manages ?w } WHERE { ?w lbo:reportsTo ?b }")
    assert constructed.kind == "graph"
    assert constructed.triples == (
        pyoxigraph.Triple(CHEW, pyoxigraph.NamedNode(LBO + "manages"), ZHU),
    )
    described = run_query(store, "DESCRIBE lbr:zhu-wenjia")
    assert set(described.triples) == {
        pyoxigraph.Triple(q.subject, q.predicate, q.object) for q in store
    }


def test_a_query_may_redeclare_a_project_prefix(store) -> None:
    query = "PREFIX lbo: <http://example.org/other#> ASK { ?s lbo:reportsTo ?o }"
    assert run_query(store, query).boolean is False


def test_queries_see_only_the_default_graph_unless_they_ask_for_a_named_graph() -> None:
    store = pyoxigraph.Store()
    graph = pyoxigraph.NamedNode("https://w3id.org/llmboom/ontology")
    store.add(pyoxigraph.Quad(ZHU, REPORTS_TO, CHEW, graph))
    assert run_query(store, "ASK { ?s ?p ?o }").boolean is False
    assert run_query(
        store, "ASK { GRAPH <https://w3id.org/llmboom/ontology> { ?s ?p ?o } }"
    ).boolean


@pytest.mark.parametrize(
    ("query", "start"),
    [
        ("SELEC", "query:1:6: syntax error near 'SELEC'"),
        ("SELECT ?x WHERE {\n  ?x lbo:reportsTo\n}", "query:3:"),
        ("ASK { ?s foo:bar ?o }", "query:1:17: unknown prefix 'foo:'"),
    ],
)
def test_syntax_errors_are_one_line_with_line_and_column(store, query: str, start: str) -> None:
    with pytest.raises(QueryError) as caught:
        run_query(store, query)
    message = str(caught.value)
    assert message.startswith(start), message
    assert "\n" not in message
    assert caught.value.exit_code == 2


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("SELECT ?x WHERE { _ }", "expected any character"),
        ("ASK { ?s ?p ?o ", "expected ',', '.', ';', '{', '{|', '}', '~' or any character"),
        ("SELECT * { ?s ?p _:}", "expected OPTIONAL, a digit, a letter or '_'"),
    ],
)
def test_syntax_errors_say_what_was_expected_in_words(store, query: str, expected: str) -> None:
    with pytest.raises(QueryError) as caught:
        run_query(store, query)
    message = str(caught.value)
    assert message.endswith(expected), message
    assert "[_]" not in message and "..=" not in message and "one of" not in message


def test_errors_name_the_query_source(store) -> None:
    with pytest.raises(QueryError, match=r"^queries/broken\.rq:2:"):
        run_query(store, "# a comment\nSELEC", source="queries/broken.rq")


@pytest.mark.parametrize(
    ("update", "line"),
    [
        ("INSERT DATA { lbr:a lbo:reportsTo lbr:b }", 1),
        ("# delete everything\nPREFIX ex: <http://example.org/>\nDELETE WHERE { ?s ?p ?o }", 3),
        ("drop all", 1),
        ("LOAD <http://example.org/data.ttl>", 1),
        ("CLEAR DEFAULT", 1),
    ],
)
def test_updates_are_refused_and_change_nothing(store, update: str, line: int) -> None:
    before = set(store)
    with pytest.raises(QueryError) as caught:
        run_query(store, update)
    assert str(caught.value).startswith(f"query:{line}: SPARQL Update")
    assert "read-only" in str(caught.value)
    assert set(store) == before


def test_service_is_refused_before_any_network_access(store) -> None:
    query = "SELECT * WHERE {\n  SERVICE <http://example.org/sparql> { ?s ?p ?o }\n}"
    with pytest.raises(QueryError, match=r"^query: SERVICE is not allowed"):
        run_query(store, query)


CARTESIAN = "SELECT * WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"


@pytest.fixture
def big_store() -> pyoxigraph.Store:
    store = pyoxigraph.Store()
    p = pyoxigraph.NamedNode("http://example.org/p")
    store.extend(
        pyoxigraph.Quad(pyoxigraph.NamedNode(f"http://example.org/{i}"), p, pyoxigraph.Literal(i))
        for i in range(200)
    )
    return store


def test_a_query_past_its_time_limit_is_stopped(big_store) -> None:
    started = time.monotonic()
    with pytest.raises(QueryTimeoutError, match=r"^query: the query did not finish within 0.5 s"):
        run_query(
            big_store,
            "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
            timeout=0.5,
        )
    assert time.monotonic() - started < 3


def test_the_worker_gives_the_same_answer_as_in_process(store) -> None:
    query = (
        "SELECT ?who ?boss ?name WHERE { ?who lbo:reportsTo ?boss "
        " OPTIONAL { ?who rdfs:label ?name } }"
    )
    assert run_query(store, query, timeout=10) == run_query(store, query)


def test_errors_from_the_worker_keep_their_class_and_message(store) -> None:
    with pytest.raises(QueryError, match=r"^query:1:6: syntax error near 'SELEC'"):
        run_query(store, "SELEC", timeout=10)


@pytest.mark.parametrize("timeout", [None, 10])
def test_max_rows_keeps_that_many_and_says_so(big_store, timeout) -> None:
    capped = run_query(big_store, "SELECT ?s WHERE { ?s ?p ?o }", max_rows=7, timeout=timeout)
    assert (len(capped.rows), capped.truncated) == (7, True)
    assert len(json.loads(capped.results_json)["results"]["bindings"]) == 7
    exact = run_query(big_store, "SELECT ?s WHERE { ?s ?p ?o }", max_rows=200, timeout=timeout)
    assert (len(exact.rows), exact.truncated) == (200, False)
    graph = run_query(big_store, "CONSTRUCT WHERE { ?s ?p ?o }", max_rows=3, timeout=timeout)
    assert (len(graph.triples), graph.truncated) == (3, True)


def test_results_json_matches_pyoxigraphs_writer() -> None:
    query = (
        'SELECT * WHERE { VALUES (?x ?y ?z ?w) { (1 "a"@en <http://x> UNDEF) '
        '("s" UNDEF UNDEF UNDEF) }'
        ' BIND(<<( <http://a> <http://b> "c" )>> AS ?t) }'
    )
    store = pyoxigraph.Store()
    expected = store.query(query).serialize(format=pyoxigraph.QueryResultsFormat.JSON)
    assert json.loads(run_query(store, query).results_json) == json.loads(expected)
