"""`llmboom serve` on the command line: `--get` answers in-process; start-up errors are one
line and exit 2."""

from __future__ import annotations

import signal
import socket
import subprocess
import sys
import time

import pytest
import rdflib

from tests.conftest import REPO


def test_get_answers_one_request(run_cli):
    result = run_cli("serve", "--get", "/id/baidu", "--accept", "text/turtle")
    assert result.exit_code == 0, result.output
    graph = rdflib.Graph().parse(data=result.stdout, format="turtle")
    assert (rdflib.URIRef("https://w3id.org/llmboom/id/baidu"), None, None) in graph


def test_get_of_a_missing_page_is_an_error(run_cli):
    result = run_cli("serve", "--get", "/id/no-such-thing")
    assert result.exit_code == 2
    assert (
        result.stderr
        == "Error: GET /id/no-such-thing: HTTP 404: no resource 'no-such-thing' in this dataset\n"
    )


def test_a_taken_port_is_one_line(run_cli):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        result = run_cli("serve", "--port", str(port))
    assert result.exit_code == 2
    assert result.stderr.startswith(f"Error: cannot listen on 127.0.0.1:{port}: ")
    assert len(result.stderr.splitlines()) == 1
    assert "choose a free port: --port N, or make run PORT=N" in result.stderr


@pytest.mark.slow
def test_ctrl_c_stops_the_server_with_exit_2() -> None:
    """A real SIGINT to a serving process: it stops, says so in one line, exits 2 (the exit
    code table's Ctrl-C), and frees its port."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [sys.executable, "-m", "llmboom", "--root", str(REPO), "serve", "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    ready = process.stderr.readline()
    assert ready.startswith("Serving "), ready
    with socket.create_connection(("127.0.0.1", port), timeout=10):
        pass  # it answers
    process.send_signal(signal.SIGINT)
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 2
    assert stderr == "Error: interrupted\n"
    assert stdout == ""
    time.sleep(0.1)
    with socket.socket() as again:
        again.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as the server does
        again.bind(("127.0.0.1", port))  # nobody listens there any more
