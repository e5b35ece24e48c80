"""No query text makes a connection: SERVICE is decided on the parsed query.

A real listener on 127.0.0.1 counts connections while `llmboom query` runs the case found by
probing (a regex read `<2)SERVICE#>` as an IRI) and a generated family of variants.
"""

from __future__ import annotations

import itertools
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator

import pyoxigraph
import pytest

from llmboom.errors import QueryError
from llmboom.sparql.guard import check_read_only
from llmboom.sparql.run import run_query
from tests.conftest import REPO


class Listener:
    """A TCP listener on 127.0.0.1 that counts the connections it accepts."""

    def __init__(self) -> None:
        self.socket = socket.create_server(("127.0.0.1", 0))
        self.port = self.socket.getsockname()[1]
        self.connections = 0
        self._thread = threading.Thread(target=self._accept, daemon=True)
        self._thread.start()

    def _accept(self) -> None:
        while True:
            try:
                connection, _ = self.socket.accept()
            except OSError:
                return
            self.connections += 1
            connection.close()

    def close(self) -> None:
        self.socket.close()
        self._thread.join(timeout=5)


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def issue_case(port: int) -> str:
    return f"SELECT * WHERE {{ FILTER(1<2)SERVICE#>\n<http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}"


def service_family(port: int) -> list[str]:
    """Queries that hold a SERVICE to the listener, written every way we could think of."""
    endpoint = f"<http://127.0.0.1:{port}/sparql>"
    keywords = ["SERVICE", "service", "SeRvIcE", "SERVICE SILENT", "service\tsilent"]
    bodies = [
        "{kw} {ep} {{ ?s ?p ?o }}",
        "OPTIONAL {{ {kw} {ep} {{ ?s ?p ?o }} }}",
        "{{ SELECT ?s WHERE {{ {kw} {ep} {{ ?s ?p ?o }} }} }}",
        "?x ?y ?z FILTER EXISTS {{ {kw} {ep} {{ ?s ?p ?o }} }}",
        "?x ?y ?z MINUS {{ {kw} {ep} {{ ?x ?p ?o }} }}",
        "{{ ?x ?y ?z }} UNION {{ {kw} {ep} {{ ?s ?p ?o }} }}",
        "VALUES ?v {{ 1 }} {kw} {ep} {{ ?s ?p ?o }}",
        'BIND("SERVICE" AS ?b) {kw} {ep} {{ ?s ?p ?o }}',
        "GRAPH ?g {{ {kw} {ep} {{ ?s ?p ?o }} }}",
    ]
    disguises = [
        "{q}",
        "# SERVICE in a comment <\n{q}",
        "# a comment that opens an IRI <http://x/\n{q}",
        'PREFIX ex: <http://example.org/SERVICE#> {q} # "SERVICE"',
        "{q}\n# trailing '''",
    ]
    queries = []
    for kw, body, disguise in itertools.product(keywords, bodies, disguises[:1]):
        where = body.format(kw=kw, ep=endpoint)
        queries.append(disguise.format(q=f"SELECT * WHERE {{ {where} }}"))
    for body, disguise in itertools.product(bodies, disguises[1:]):
        where = body.format(kw="SERVICE", ep=endpoint)
        queries.append(disguise.format(q=f"SELECT * WHERE {{ {where} }}"))
    inner = f"SERVICE {endpoint} {{ ?s ?p ?o }}"
    queries += [
        issue_case(port),
        f"SELECT * WHERE {{ FILTER(1<2)service#>\n<http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ FILTER(1<2)SERVICE#>'\n<http://127.0.0.1:{port}/x> {{ ?s ?p ?o }} }}",
        f'SELECT * WHERE {{ ?s ?p "a\\"b" . {inner} }}',
        f"SELECT * WHERE {{ ?s ?p '''SERVICE\n''' . {inner} }}",
        f"SELECT * WHERE {{ ?s <http://example.org/SERVICE> ?o . {inner} }}",
        f"SELECT * WHERE {{ SERVI\\u0043E {endpoint} {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ SERVICE <http://127.0.0.1:{port}/\\u0078> {{ ?s ?p ?o }} }}",
        f"PREFIX e: <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE e:x {{ ?s ?p ?o }} }}",
        f"BASE <http://127.0.0.1:{port}/> SELECT * WHERE {{ SERVICE <x> {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ VALUES ?e {{ {endpoint} }} SERVICE ?e {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ BIND({endpoint} AS ?e) SERVICE ?e {{ ?s ?p ?o }} }}",
        f"ASK {{ {inner} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ {inner} }}",
        f"DESCRIBE ?s WHERE {{ {inner} }}",
        f"SELECT (COUNT(*) AS ?n) WHERE {{ {{ SELECT * WHERE {{ {inner} }} LIMIT 1 }} }}",
        f"SELECT * WHERE {{ ?s ?p ?o FILTER NOT EXISTS {{ {inner} }} }}",
        f"SELECT * WHERE {{\n  {inner.replace(' ', chr(10))}\n}}",
    ]
    return queries


def test_the_listener_does_see_an_unguarded_service_call(listener: Listener) -> None:
    """Control: pyoxigraph itself connects, so a zero count below means the guard held."""
    before = listener.connections
    with pytest.raises(OSError):
        list(pyoxigraph.Store().query(issue_case(listener.port)))
    assert listener.connections == before + 1


def test_the_service_family_makes_no_connection_and_exits_2(listener: Listener, run_cli) -> None:
    family = service_family(listener.port)
    assert len(family) >= 60
    before = listener.connections
    outcomes = [run_cli("query", query, "--timeout", "10") for query in family]
    assert listener.connections == before, "a query reached the listener"
    failures = [
        (query, result.exit_code, result.stderr)
        for query, result in zip(family, outcomes, strict=True)
        if result.exit_code != 2 or not result.stderr.startswith("Error: ")
    ]
    assert not failures
    assert all("SERVICE" in result.stderr for result in outcomes)
    refused = sum("SERVICE is not allowed" in result.stderr for result in outcomes)
    assert refused >= len(family) - 10  # the others: rdflib cannot read them, refused too


def test_the_exact_case_from_the_report_through_the_installed_command(listener: Listener) -> None:
    before = listener.connections
    done = subprocess.run(
        [sys.executable, "-m", "llmboom", "--root", str(REPO), "query", issue_case(listener.port)],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert listener.connections == before
    assert done.returncode == 2
    assert done.stderr.startswith("Error: query: SERVICE is not allowed"), done.stderr
    assert "Traceback" not in done.stderr


@pytest.mark.parametrize(
    "query",
    [
        'SELECT ?service WHERE { ?service rdfs:label "SERVICE" }',
        "SELECT * WHERE { ?s <http://example.org/SERVICE> ?o } # SERVICE in a comment",
        "PREFIX ex: <http://example.org/> SELECT * WHERE { ?s ex:SERVICE ?o }",
        "SELECT * WHERE { ?s rdfs:label '''a\nSERVICE <x> {}''' }",
        "SELECT * WHERE { FILTER(1<2) } # SERVICE <http://127.0.0.1:9/x> { ?s ?p ?o }",
    ],
)
def test_the_word_service_elsewhere_is_fine(query: str) -> None:
    check_read_only(query)
    run_query(pyoxigraph.Store(), query, timeout=10)


def test_a_query_that_cannot_be_checked_is_refused() -> None:
    with pytest.raises(QueryError, match=r"^query:1:\d+: cannot check this query for SERVICE"):
        check_read_only("SELECT ?service WHERE { ?service ?p ")


def test_the_common_query_does_not_load_the_parser() -> None:
    program = (
        "import sys\n"
        "from llmboom.sparql.guard import check_read_only\n"
        "check_read_only('SELECT ?s WHERE { ?s a lbo:Person } # no keyword here')\n"
        "print(sorted(m for m in ('rdflib', 'pyparsing') if m in sys.modules))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"
