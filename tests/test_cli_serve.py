"""`llmboom serve` on the command line: `--get` answers in-process; start-up errors are one
line and exit 2."""

from __future__ import annotations

import socket

import rdflib


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
