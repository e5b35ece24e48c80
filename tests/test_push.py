"""`llmboom push` against real SPARQL servers (Oxigraph and Virtuoso processes started here),
and the remote store reading the pushed dataset back: the eight named queries answer the same
remotely as locally."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from llmboom.project import Project
from llmboom.sparql.named_queries import named_queries
from llmboom.store import ONTOLOGY_GRAPH, open_store
from tests import sparql_servers
from tests.sparql_servers import Server
from tests.test_queries import COMPETENCY_QUERIES

pytestmark = pytest.mark.external

GRAPH = "https://w3id.org/llmboom/dataset"


@pytest.fixture(scope="module", params=["oxigraph", "virtuoso"])
def server(request, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    start = getattr(sparql_servers, request.param)
    yield from start(tmp_path_factory.mktemp(request.param))


def _auth_args(server: Server) -> list[str]:
    return ["--user", server.auth[0], "--password", server.auth[1]] if server.auth else []


@pytest.fixture(scope="module")
def pushed(server: Server, project: Project) -> tuple[Server, str]:
    """The server after one push, and what push printed."""
    from click.testing import CliRunner

    from llmboom.cli import cli
    from tests.conftest import REPO

    args = ["--root", str(REPO), "push", "--endpoint", server.gsp_url, "--graph", GRAPH]
    result = CliRunner().invoke(cli, [*args, *_auth_args(server)])
    assert result.exit_code == 0, result.output
    return server, result.stdout


def test_push_reports_what_it_sent_and_counted(pushed, project: Project) -> None:
    from llmboom.rdf.loading import load_data, load_ontology

    _, output = pushed
    data = len({q.triple for q in load_data(project)})
    ontology = len({q.triple for q in load_ontology(project)})
    assert output.splitlines() == [
        f"{GRAPH}: {data} triples sent, {data} counted on the server",
        f"{ONTOLOGY_GRAPH}: {ontology} triples sent, {ontology} counted on the server",
    ]


def test_a_second_push_replaces_the_graph(pushed, run_cli) -> None:
    server, output = pushed
    result = run_cli("push", "--endpoint", server.gsp_url, "--graph", GRAPH, *_auth_args(server))
    assert result.exit_code == 0, result.output
    assert result.stdout == output


def _answers(store, text: str) -> list[tuple[str, ...]]:
    result = store.query(text)
    rows = [tuple("" if term is None else _canonical(term) for term in row) for row in result.rows]
    return sorted(rows)


_XSD = "http://www.w3.org/2001/XMLSchema#"
#: Virtuoso writes true/false as 1/0, and computed booleans as xsd:integer 1/0.
_TRUTH = {
    ("1", _XSD + "boolean"): "true",
    ("true", _XSD + "boolean"): "true",
    ("1", _XSD + "integer"): "true",
    ("0", _XSD + "boolean"): "false",
    ("false", _XSD + "boolean"): "false",
    ("0", _XSD + "integer"): "false",
}


def _canonical(term) -> str:
    """A term's value with its kind (IRI or literal, with datatype or language); booleans
    and the integers 0 and 1 by their truth value."""
    import pyoxigraph

    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return f"{term.value!r}@{term.language}"
        truth = _TRUTH.get((term.value, term.datatype.value))
        return f"boolean {truth}" if truth else f"{term.value!r}^^{term.datatype.value}"
    return str(term)


def test_named_queries_answer_the_same_remotely(pushed, project: Project) -> None:
    server, _ = pushed
    local = open_store(project)
    remote = open_store(project, endpoint=server.sparql_url, graph=GRAPH, auth=server.auth)
    # the competency questions (the parameterised queries need run_named_query's bindings)
    queries = [q for q in named_queries(project) if q.name in COMPETENCY_QUERIES]
    assert len(queries) == 8
    for query in queries:
        expected = _answers(local, query.text)
        assert expected, f"{query.name} answers nothing locally"
        assert _answers(remote, query.text) == expected, query.name
    assert len(remote) == len(local)


def test_unreachable_endpoint_is_one_line_and_exit_2(run_cli) -> None:
    port = sparql_servers.free_port()  # nothing listens there
    result = run_cli("push", "--endpoint", f"http://127.0.0.1:{port}/store")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: http://127.0.0.1:{port}/store")
    assert "unreachable" in result.stderr and result.stderr.count("\n") == 1


def test_refused_upload_is_exit_2(server: Server, run_cli) -> None:
    # a wrong password, or an endpoint path the server does not have
    args = ["--user", server.auth[0], "--password", "wrong"] if server.auth else []
    url = server.gsp_url if server.auth else server.gsp_url.replace("/store", "/nowhere/store")
    result = run_cli("push", "--endpoint", url, "--graph", GRAPH, *args)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith("Error: ") and result.stderr.count("\n") == 1


def test_unknown_server_kind_asks_for_the_query_endpoint(run_cli, tmp_path: Path) -> None:
    result = run_cli("push", "--endpoint", "http://127.0.0.1:9/some/where")
    assert result.exit_code == 2
    assert "--sparql" in result.stderr
