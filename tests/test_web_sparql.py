"""`/sparql` over HTTP: the SPARQL 1.1 Protocol with a real client (SPARQLWrapper), the
results formats, and the endpoint's safety (read-only, no SERVICE, time limit, caps)."""

from __future__ import annotations

import csv
import functools
import io
import json
import socket
import threading
import time
import urllib.parse
from concurrent.futures import ThreadPoolExecutor

import pytest

from tests.web_server import MAX_BODY, QUERY_TIMEOUT, QUEUE, WORKERS

NAMED = [
    "anonymous-only-facts",
    "bytedance-llm-provenance",
    "chinese-openai-founders",
    "model-team-leadership",
    "planned-launches",
    "reporting-chain",
    "zhu-wenjia-positions",
    "zhu-wenjia-reporting",
]
TEAMS = "SELECT ?team WHERE { ?team a lbo:Team } ORDER BY ?team"


@functools.cache
def team_count() -> int:
    """How many teams the dataset has (the article's four, and those later reports add)."""
    from llmboom.project import Project
    from llmboom.rdf.loading import load_data
    from tests.conftest import REPO

    team = "https://w3id.org/llmboom/ontology#Team"
    return len({q.subject for q in load_data(Project(REPO)) if q.object.value == team})


#: A cartesian product of the dataset with itself, three times: about 10^9 rows.
CARTESIAN = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"
#: A nested-quantifier regex over every pair of values.
REGEX = (
    "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i "
    'FILTER regex(concat(str(?c), str(?f), str(?i)), "^(a+)+$") }'
)


def get(server, query: str, accept: str = "application/sparql-results+json", **kw):
    path = "/sparql?" + urllib.parse.urlencode({"query": query})
    return server.request(path, headers={"Accept": accept}, **kw)


def rows(results: dict) -> list[dict[str, str]]:
    return [
        {name: value["value"] for name, value in binding.items()}
        for binding in results["results"]["bindings"]
    ]


@pytest.mark.parametrize("name", NAMED)
def test_sparqlwrapper_gets_what_llmboom_query_gives(web_server, run_cli, project, name):
    from SPARQLWrapper import JSON, POST, SPARQLWrapper

    from llmboom.sparql.named_queries import get_named_query

    expected = run_cli("query", "--name", name, "--format", "json")
    assert expected.exit_code == 0, expected.output
    client = SPARQLWrapper(web_server.url + "/sparql")
    client.setQuery(get_named_query(project, name).text)
    client.setReturnFormat(JSON)
    got = client.query().convert()
    assert rows(got) == rows(json.loads(expected.stdout))
    assert rows(got)  # every competency question has an answer
    client.setMethod(POST)
    assert rows(client.query().convert()) == rows(got)


def test_three_ways_to_send_a_query(web_server):
    by_get = get(web_server, TEAMS)
    form = urllib.parse.urlencode({"query": TEAMS}).encode()
    by_form = web_server.request(
        "/sparql",
        method="POST",
        data=form,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "application/json"},
    )
    direct = web_server.request(
        "/sparql",
        method="POST",
        data=TEAMS.encode(),
        headers={"Content-Type": "application/sparql-query; charset=utf-8"},
    )
    for reply in (by_get, by_form, direct):
        assert reply.status == 200
        assert reply.media_type == "application/sparql-results+json"
    assert rows(json.loads(by_get.body)) == rows(json.loads(by_form.body))
    assert rows(json.loads(by_get.body)) == rows(json.loads(direct.body))
    assert len(rows(json.loads(by_get.body))) == team_count() >= 4


def test_results_formats_by_accept(web_server):
    xml = get(web_server, TEAMS, "application/sparql-results+xml")
    assert xml.media_type == "application/sparql-results+xml"
    assert xml.text.count("<result>") == team_count()
    table = get(web_server, TEAMS, "text/csv")
    assert table.media_type == "text/csv"
    assert len(list(csv.reader(io.StringIO(table.text)))) == team_count() + 1  # and the header
    tsv = get(web_server, TEAMS, "text/tab-separated-values")
    assert tsv.text.splitlines()[0] == "?team"
    ask = get(web_server, "ASK { lbr:zhu-wenjia lbo:reportsTo lbr:shouzi-chew }")
    assert json.loads(ask.body)["boolean"] is True
    assert get(web_server, TEAMS, "image/png").status == 406


@pytest.mark.parametrize(
    ("accept", "rdflib_format"),
    [
        ("text/turtle", "turtle"),
        ("application/n-triples", "nt"),
        ("application/ld+json", "json-ld"),
        ("application/rdf+xml", "xml"),
        ("*/*", "turtle"),
    ],
)
def test_construct_and_describe_as_rdf(web_server, accept, rdflib_format):
    import rdflib

    query = "CONSTRUCT { ?a lbo:reportsTo ?b } WHERE { ?a lbo:reportsTo ?b }"
    reply = get(web_server, query, accept)
    assert reply.status == 200
    graph = rdflib.Graph().parse(data=reply.body, format=rdflib_format)
    assert len(graph) >= 3
    described = get(web_server, "DESCRIBE lbr:baidu", accept)
    assert len(rdflib.Graph().parse(data=described.body, format=rdflib_format)) > 3


def test_bad_queries_are_400_with_a_position(web_server):
    reply = get(web_server, "SELECT ?x WHERE { ?x ?y }")
    assert reply.status == 400
    assert reply.text.startswith("Error: query:1:")
    assert web_server.request("/sparql", headers={"Accept": "application/json"}).status == 400
    two = "/sparql?query=ASK%7B%7D&query=ASK%7B%7D"
    assert web_server.request(two, headers={"Accept": "application/json"}).status == 400
    wrong = web_server.request(
        "/sparql", method="POST", data=b"ASK {}", headers={"Content-Type": "text/plain"}
    )
    assert wrong.status == 415


def test_the_row_cap_cuts_results(tmp_path):
    from tests.web_server import running_server

    with running_server("--max-rows", "3") as server:
        reply = get(server, "SELECT ?s ?p ?o WHERE { ?s ?p ?o }")
        assert reply.status == 200
        assert len(rows(json.loads(reply.body))) == 3
        assert reply.headers["x-sparql-maxrows"] == "3"


# -- safety -----------------------------------------------------------------------------


def test_updates_are_refused(web_server, data_quads):
    update = "INSERT DATA { lbr:x lbo:reportsTo lbr:y }"
    form = web_server.request(
        "/sparql",
        method="POST",
        data=urllib.parse.urlencode({"update": update}).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert form.status == 400 and "read-only" in form.text
    direct = web_server.request(
        "/sparql",
        method="POST",
        data=update.encode(),
        headers={"Content-Type": "application/sparql-update"},
    )
    assert direct.status == 400
    as_query = get(web_server, update)
    assert as_query.status == 400
    load = get(web_server, "LOAD <file:///etc/passwd>")
    assert load.status == 400
    count = get(web_server, "SELECT (COUNT(*) AS ?n) WHERE { lbr:x ?p ?o }")
    assert rows(json.loads(count.body)) == [{"n": "0"}]


def test_service_never_connects(web_server):
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(1)
    listener.settimeout(1.0)
    port = listener.getsockname()[1]
    try:
        query = f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/sparql> {{ ?s ?p ?o }} }}"
        reply = get(web_server, query)
        assert reply.status == 400 and "SERVICE" in reply.text
        silent = f"SELECT * WHERE {{ SERVICE SILENT <http://127.0.0.1:{port}/> {{ ?s ?p ?o }} }}"
        assert get(web_server, silent).status == 400
        with pytest.raises(TimeoutError):
            listener.accept()
    finally:
        listener.close()


def test_from_outside_the_dataset_reads_nothing(web_server):
    for clause in ("FROM <file:///etc/passwd>", "FROM NAMED <file:///etc/passwd>"):
        query = f"SELECT ?o {clause} WHERE {{ {{ ?s ?p ?o }} UNION {{ GRAPH ?g {{ ?s ?p ?o }} }} }}"
        reply = get(web_server, query)
        assert "root:" not in reply.text
        if reply.status == 200:
            assert "/bin/" not in reply.text
        else:
            assert reply.status == 400


@pytest.mark.parametrize("runaway", [CARTESIAN, REGEX], ids=["cartesian", "regex"])
def test_runaway_queries_are_stopped_while_others_answer(web_server, runaway):
    with ThreadPoolExecutor(max_workers=1) as pool:
        started = time.monotonic()
        slow = pool.submit(get, web_server, runaway)
        time.sleep(0.3)
        quick_start = time.monotonic()
        quick = get(web_server, TEAMS)
        quick_time = time.monotonic() - quick_start
        assert quick.status == 200 and len(rows(json.loads(quick.body))) == team_count()
        assert quick_time < 1.0
        stopped = slow.result(timeout=QUERY_TIMEOUT + 30)
        elapsed = time.monotonic() - started
    assert stopped.status == 503
    assert "time limit" in stopped.text
    assert elapsed < QUERY_TIMEOUT + 1.0
    home = web_server.request("/", timeout=5)  # the pages never waited
    assert home.status == 200


def test_oversized_bodies_get_413(web_server):
    padding = "#" + "x" * (MAX_BODY + 10) + "\n"
    reply = web_server.request(
        "/sparql",
        method="POST",
        data=(padding + "ASK {}").encode(),
        headers={"Content-Type": "application/sparql-query"},
    )
    assert reply.status == 413
    form = urllib.parse.urlencode({"query": padding + "ASK {}"}).encode()
    reply = web_server.request(
        "/sparql",
        method="POST",
        data=form,
        headers={"Content-Type": "application/x-www-form-urlencoded"},
    )
    assert reply.status == 413


@pytest.mark.slow
def test_twenty_slow_queries_at_once_get_429s_not_a_hung_server(web_server):
    barrier = threading.Barrier(20)

    def slow(n: int):
        barrier.wait()
        # twenty different queries: identical ones would wait for one answer (result cache)
        return get(web_server, f"{CARTESIAN} LIMIT {n + 1}", timeout=60)

    started = time.monotonic()
    with ThreadPoolExecutor(max_workers=20) as pool:
        replies = list(pool.map(slow, range(20)))
    elapsed = time.monotonic() - started
    statuses = sorted(r.status for r in replies)
    refused = [r for r in replies if r.status == 429]
    assert len(refused) >= 20 - (WORKERS + QUEUE), statuses
    assert all(int(r.headers["retry-after"]) >= 1 for r in refused)
    assert set(statuses) <= {429, 503}
    # the admitted ones ran in rounds of WORKERS, each stopped at the limit
    rounds = -(-(WORKERS + QUEUE) // WORKERS)
    assert elapsed < rounds * (QUERY_TIMEOUT + 1.5) + 5
    after = get(web_server, TEAMS, timeout=30)
    assert after.status == 200


def test_the_server_sees_what_llmboom_query_sees_by_default(web_server, run_cli):
    """RDFS entailment is on for both: platforms are organizations, lbo:reportsTo is also
    org:reportsTo."""
    for query in (
        "SELECT ?x WHERE { ?x a lbo:Organization } ORDER BY ?x",
        "SELECT ?a ?b WHERE { ?a org:reportsTo ?b } ORDER BY ?a ?b",
    ):
        expected = run_cli("query", query, "--format", "json")
        assert expected.exit_code == 0, expected.output
        got = rows(json.loads(get(web_server, query).body))
        assert got == rows(json.loads(expected.stdout))
        assert got


#: The article's reporting line of Zhu Wenjia (later reports add the lines of 2025).
ZHU_BOSS = (
    "SELECT ?boss WHERE { lbr:zhu-wenjia lbo:reportsTo ?boss FILTER (?boss = lbr:shouzi-chew) }"
)


def test_provenance_true_adds_the_records_to_every_json_row(web_server):
    path = "/sparql?" + urllib.parse.urlencode({"query": ZHU_BOSS, "provenance": "true"})
    reply = web_server.request(path, headers={"Accept": "application/sparql-results+json"})
    assert reply.status == 200, reply.text
    (row,) = json.loads(reply.body)["results"]["bindings"]
    (support,) = row["@provenance"]["supports"]
    (record,) = support["records"]
    assert "report his work to TikTok CEO Shouzi Chew" in record["quote"]
    assert record["attributionLabel"] == "the article's own reporting"
    plain = get(web_server, ZHU_BOSS)
    assert "@provenance" not in json.loads(plain.body)["results"]["bindings"][0]


def test_provenance_in_a_format_that_cannot_carry_it_is_400(web_server):
    path = "/sparql?" + urllib.parse.urlencode({"query": ZHU_BOSS, "provenance": "true"})
    assert web_server.request(path, headers={"Accept": "text/csv"}).status == 400
    bad = "/sparql?" + urllib.parse.urlencode({"query": ZHU_BOSS, "provenance": "maybe"})
    assert web_server.request(bad, headers={"Accept": "application/json"}).status == 400


def test_the_query_page_shows_a_sources_column_linking_the_records(web_server):
    import html5lib

    form = urllib.parse.urlencode({"query": ZHU_BOSS, "provenance": "on"}).encode()
    reply = web_server.request(
        "/sparql",
        method="POST",
        data=form,
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": "text/html"},
    )
    assert reply.status == 200, reply.text
    document = html5lib.parse(reply.text, namespaceHTMLElements=False)
    headers = [th.text for th in document.iter("th")]
    assert headers == ["boss", "sources"]
    cell = document.find(".//td[@class='sources']")
    (link,) = cell.iter("a")
    assert link.get("href") == "/id/s-zhu-wenjia-reports-to-shouzi-chew"
    assert "Shouzi Chew" in link.get("title")
    assert document.find(".//input[@id='provenance']").get("checked") is not None
