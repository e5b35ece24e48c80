"""The query sandbox: SERVICE reaches no listener, by any door, with the text check on or off.

A real TCP listener on 127.0.0.1 counts the connections it accepts. The SERVICE family (the
lone-CR comment that the check and the engine once read differently, SILENT, lowercase,
nested, escapes, CR LF) goes through every way a query runs: the three SPARQL protocol forms
of a real `llmboom serve`, the HTML query page, `serve --get`, `llmboom query` and a named
query's parameters. Then the text check is switched off (`TEST_SKIP_CHECK_ENV`, an
environment variable of the server process) and the workers alone must hold: no connection.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import textwrap
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph
import pytest

from llmboom.sparql import sandbox
from llmboom.sparql.guard import TEST_SKIP_CHECK_ENV, check_read_only
from llmboom.sparql.run import run_query
from llmboom.sparql.worker import run_in_worker
from tests.conftest import REPO
from tests.test_sparql_guard import Listener
from tests.web_server import Server, running_server

pytestmark = pytest.mark.skipif(
    sandbox.unavailable_reason() is not None, reason=f"no seccomp: {sandbox.unavailable_reason()}"
)


@pytest.fixture(scope="module")
def listener() -> Iterator[Listener]:
    server = Listener()
    yield server
    server.close()


def family(port: int) -> list[str]:
    """SERVICE calls to the listener that a check reading another text would miss."""
    ep = f"<http://127.0.0.1:{port}/sparql>"
    call = f"SERVICE SILENT {ep} {{ ?s ?p ?o }}"
    return [
        f"SELECT * WHERE {{ #x\r{call}\n}}",  # the report's case: a lone CR ends the comment
        f"SELECT * WHERE {{ #x\rSERVICE {ep} {{ ?s ?p ?o }}\n}}",
        f"SELECT * WHERE {{ #x\r\n{call}\n}}",
        f"SELECT * WHERE {{ # a\r# b\r{call.lower()}\r}}",
        f"SELECT * WHERE {{ OPTIONAL {{ #\r{call}\n}} }}",
        f"SELECT * WHERE {{ {{ SELECT * WHERE {{ #\r{call}\n}} }} }}",
        f"ASK {{ FILTER EXISTS {{ #\r{call}\n}} }}",
        f"SELECT * WHERE {{ \\u0053ERVICE SILENT {ep} {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ {call} }}",
        f"PREFIX e: <http://127.0.0.1:{port}/> SELECT * WHERE {{ #\rSERVICE SILENT e:x {{}}\n}}",
    ]


def silent_calls(port: int) -> list[str]:
    """Plain SERVICE SILENT calls: what the engine runs when nothing stops the query."""
    ep = f"<http://127.0.0.1:{port}/sparql>"
    return [
        f"SELECT * WHERE {{ SERVICE SILENT {ep} {{ ?s ?p ?o }} }}",
        f"SELECT * WHERE {{ OPTIONAL {{ SERVICE SILENT {ep} {{ ?s ?p ?o }} }} }}",
        f"ASK {{ SERVICE SILENT {ep} {{ ?s ?p ?o }} }}",
        f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ SERVICE SILENT {ep} {{ ?s ?p ?o }} }}",
    ]


def ask(server: Server, form: str, query: str):
    """Send `query` in one of the protocol forms (or as a browser asks for the page)."""
    encoded = urllib.parse.urlencode({"query": query})
    if form == "get":
        return server.request("/sparql?" + encoded)
    if form == "page":
        return server.request("/sparql?" + encoded, headers={"Accept": "text/html"})
    if form == "form":
        headers = {"Content-Type": "application/x-www-form-urlencoded"}
        return server.request("/sparql", method="POST", headers=headers, data=encoded.encode())
    headers = {"Content-Type": "application/sparql-query"}
    return server.request("/sparql", method="POST", headers=headers, data=query.encode())


FORMS = ("get", "page", "form", "direct")


def test_the_listener_counts_what_the_engine_does_unchecked(listener: Listener) -> None:
    """Control: pyoxigraph in this (unsandboxed) process connects for the report's case."""
    before = listener.connections
    list(pyoxigraph.Store().query(family(listener.port)[0]))
    assert listener.connections == before + 1


def test_the_check_decides_on_the_text_that_runs() -> None:
    text = "SELECT * WHERE { #x\rSERVICE SILENT <http://127.0.0.1:9/x> { ?s ?p ?o }\n}"
    with pytest.raises(Exception, match="SERVICE is not allowed"):
        check_read_only(text)
    assert check_read_only("ASK {\r\n# c\r}") == "ASK {\n# c\n}"


def test_every_protocol_form_refuses_the_family_without_a_connection(listener: Listener) -> None:
    queries = family(listener.port)
    before = listener.connections
    with running_server() as server:
        replies = [(form, q, ask(server, form, q)) for form in FORMS for q in queries]
    assert listener.connections == before, "a query reached the listener"
    wrong = [(form, q, r.status) for form, q, r in replies if r.status != 400]
    assert not wrong
    assert all(b"SERVICE" in r.body for _, _, r in replies)


def test_serve_get_and_the_cli_refuse_the_family(listener: Listener, run_cli) -> None:
    queries = family(listener.port)
    before = listener.connections
    for query in queries:
        result = run_cli("query", query)
        assert result.exit_code == 2, result.output
        assert result.stderr.startswith("Error: query:"), result.stderr
    for query in queries[:3]:
        path = "/sparql?" + urllib.parse.urlencode({"query": query})
        result = run_cli("serve", "--get", path, "--accept", "application/sparql-results+json")
        assert result.exit_code == 2
        assert "SERVICE" in result.stderr and "Traceback" not in result.stderr
    assert listener.connections == before


def test_a_named_query_parameter_cannot_smuggle_a_service(listener: Listener, run_cli) -> None:
    before = listener.connections
    sneaky = f"x\r}} SERVICE SILENT <http://127.0.0.1:{listener.port}/> {{ ?s ?p ?o"
    for value in (sneaky, f"zhu-wenjia> }} #\rSERVICE <http://127.0.0.1:{listener.port}/>"):
        result = run_cli("query", "--name", "reporting-chain", "--param", f"person={value}")
        assert result.exit_code == 2
        assert result.stderr.startswith("Error: ") and "Traceback" not in result.stderr
    assert listener.connections == before


# --- the workers alone: the text check switched off -----------------------------------------


def test_a_forked_worker_cannot_connect_but_its_parent_can(listener: Listener) -> None:
    def connect() -> str:
        try:
            socket.create_connection(("127.0.0.1", listener.port), timeout=5).close()
        except OSError as error:
            return f"refused: {error.strerror}"
        return "connected"

    before = listener.connections
    assert run_in_worker(connect, timeout=10, no_network=True) == "refused: Operation not permitted"
    assert listener.connections == before
    assert run_in_worker(connect, timeout=10) == "connected"  # control: the listener works
    assert listener.connections == before + 1


def test_without_the_check_a_query_worker_still_makes_no_connection(
    listener: Listener, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(TEST_SKIP_CHECK_ENV, "1")
    queries = family(listener.port) + silent_calls(listener.port)
    before = listener.connections
    results = [run_query(pyoxigraph.Store(), q, timeout=10) for q in silent_calls(listener.port)]
    assert [r.kind for r in results] == ["bindings", "bindings", "boolean", "graph"]  # ran
    with running_server(env={TEST_SKIP_CHECK_ENV: "1"}) as server:
        replies = [ask(server, form, q) for form in FORMS for q in queries]
    assert listener.connections == before, "a query worker reached the listener"
    assert sum(r.status == 200 for r in replies) >= len(FORMS) * len(silent_calls(0))
    assert all(r.status in (200, 400) for r in replies)


def test_without_the_check_the_cli_makes_no_connection(listener: Listener) -> None:
    env = {**os.environ, TEST_SKIP_CHECK_ENV: "1"}
    before = listener.connections
    for query in family(listener.port)[:3] + silent_calls(listener.port)[:1]:
        done = subprocess.run(
            [sys.executable, "-m", "llmboom", "--root", str(REPO), "query", query],
            capture_output=True,
            text=True,
            timeout=60,
            env=env,
        )
        assert "Traceback" not in done.stderr
        if "SILENT" not in query:
            assert done.returncode == 2 and "Operation not permitted" in done.stderr
    assert listener.connections == before


# --- where the platform has no seccomp --------------------------------------------------------


@pytest.fixture
def without_libseccomp(tmp_path: Path) -> dict[str, str]:
    """An environment whose `pyseccomp` cannot load, as on a system without libseccomp."""
    (tmp_path / "pyseccomp.py").write_text('raise RuntimeError("Unable to find libseccomp")\n')
    return {**os.environ, "PYTHONPATH": f"{tmp_path}{os.pathsep}{os.environ.get('PYTHONPATH', '')}"}


def _llmboom(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "llmboom", "--root", str(REPO), *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=120, env=env)


def test_serve_refuses_to_start_unsandboxed_unless_allowed(without_libseccomp) -> None:
    refused = _llmboom(without_libseccomp, "serve", "--get", "/openapi.json")
    assert refused.returncode == 2
    assert refused.stderr.count("\n") == 1, refused.stderr
    assert refused.stderr.startswith(
        "Error: the query and submission workers cannot be kept off the network"
    )
    assert "--allow-unsandboxed-queries" in refused.stderr
    allowed = _llmboom(
        without_libseccomp,
        "serve",
        "--allow-unsandboxed-queries",
        "--get",
        "/sparql?query=ASK%7B%7D",
        "--accept",
        "application/sparql-results+json",
    )
    assert allowed.returncode == 0, allowed.stderr
    assert b'"boolean":true' in allowed.stdout.encode()


def test_the_cli_warns_once_when_unsandboxed(without_libseccomp) -> None:
    done = _llmboom(without_libseccomp, "query", "ASK {}")
    assert done.returncode == 0
    assert done.stdout.strip().endswith("true") or "true" in done.stdout
    warnings = [line for line in done.stderr.splitlines() if line.startswith("Warning: ")]
    assert len(warnings) == 1 and "network sandbox" in warnings[0]


def test_the_filter_denies_every_family_of_socket() -> None:
    program = textwrap.dedent(
        """
        import socket
        from llmboom.sparql.sandbox import deny_network
        deny_network()
        for family in (socket.AF_INET, socket.AF_INET6, socket.AF_UNIX, socket.AF_NETLINK):
            try:
                socket.socket(family, socket.SOCK_DGRAM)
                print("opened", family)
            except OSError as error:
                print("denied", error.errno)
        """
    )
    done = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True)
    assert done.stdout.split("\n")[:4] == ["denied 1"] * 4, done.stdout + done.stderr


def _seccomp_filters(pid: int) -> int:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:  # it has just ended
        return -1
    return int(
        next(line.split()[1] for line in status.splitlines() if line[:16] == "Seccomp_filters:")
    )


def _descendants(pid: int) -> list[int]:
    found, pending = [], [pid]
    while pending:
        try:
            tasks = list(Path(f"/proc/{pending.pop()}/task").iterdir())
            children = [int(c) for task in tasks for c in (task / "children").read_text().split()]
        except OSError:  # it has just ended
            continue
        found += children
        pending += children
    return found


def _address_space_capped(pid: int) -> bool:
    try:
        limits = Path(f"/proc/{pid}/limits").read_text()
    except OSError:
        return False
    line = next(line for line in limits.splitlines() if line.startswith("Max address space"))
    return line.split()[3] != "unlimited"


def test_every_worker_of_a_server_runs_under_the_filter_and_a_memory_cap() -> None:
    """The query workers and the submission worker, not the server nor its fork server."""
    with running_server("--workers", "2", "--submission-workers", "1") as server:
        body = (REPO / "tests" / "submissions" / "second-source.ttl").read_bytes()
        headers = {"Content-Type": "text/turtle"}
        assert (
            server.request("/submissions", method="POST", headers=headers, data=body).status == 200
        )
        assert ask(server, "get", "ASK {}").status == 200
        base = _seccomp_filters(server.process.pid)
        deadline = time.monotonic() + 60  # the second query worker may still be loading
        while True:
            processes = _descendants(server.process.pid)
            filtered = [pid for pid in processes if _seccomp_filters(pid) > base]
            if len(filtered) >= 3 or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        capped = [pid for pid in filtered if _address_space_capped(pid)]
    assert len(filtered) == 3, (processes, filtered)
    assert capped == filtered
    assert len(processes) > len(filtered)  # the fork server is not filtered
