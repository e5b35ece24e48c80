"""`POST /submissions` over HTTP: the report of `llmboom submit` as JSON, with the status of
its outcome; applying needs the operator's bearer token, and the served data follows."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator

import pytest

from tests.submission_support import SECOND_SOURCE, copy_project, data_hashes
from tests.web_server import MAX_BODY, Server, running_server

TOKEN = "s3cret-token-for-tests"
TURTLE = {"Content-Type": "text/turtle"}
UNSUPPORTED_FACT = b"""@prefix lbo: <https://w3id.org/llmboom/ontology#> .
@prefix lbr: <https://w3id.org/llmboom/id/> .
lbr:baidu lbo:ownedBy lbr:bytedance .
"""


@pytest.fixture(scope="module")
def server(tmp_path_factory) -> Iterator[tuple[Server, object]]:
    root = copy_project(tmp_path_factory.mktemp("served"))
    with running_server(root=root, env={"LLMBOOM_SUBMIT_TOKEN": TOKEN}) as running:
        yield running, root


def post(server: Server, body: bytes, headers: dict[str, str], query: str = ""):
    return server.request("/submissions" + query, method="POST", data=body, headers=headers)


def test_an_accepted_submission_is_200_and_changes_nothing(server):
    running, root = server
    before = data_hashes(root)
    reply = post(running, SECOND_SOURCE.read_bytes(), TURTLE, "?name=second-source.ttl")
    assert reply.status == 200, reply.text
    assert reply.media_type == "application/json"
    report = json.loads(reply.body)
    assert report["outcome"] == "accepted" and report["written"] is None
    assert report["sources"] == ["second-source.ttl"]
    assert data_hashes(root) == before


def test_a_refused_submission_is_422_with_every_reason(server):
    running, _ = server
    reply = post(running, UNSUPPORTED_FACT, TURTLE)
    assert reply.status == 422
    report = json.loads(reply.body)
    assert report["outcome"] == "refused"
    results = report["validation"]["results"] if report["validation"] else report["problems"]
    assert any("statement record" in json.dumps(r) for r in results)


def test_a_syntax_error_is_400_with_its_line(server):
    running, _ = server
    reply = post(running, b"@prefix lbr: <https://w3id.org/llmboom/id/> .\nlbr:a lbr:b .\n", TURTLE)
    assert reply.status == 400
    problem = json.loads(reply.body)["problems"][0]
    assert problem["line"] == 2


def test_too_large_and_unsupported_media_types(server):
    running, _ = server
    assert post(running, b"#" * (MAX_BODY + 1), TURTLE).status == 413
    reply = post(running, UNSUPPORTED_FACT, {"Content-Type": "text/plain"})
    assert reply.status == 415


def test_applying_needs_the_token(server):
    running, root = server
    before = data_hashes(root)
    body = SECOND_SOURCE.read_bytes()
    assert post(running, body, TURTLE, "?apply=true").status == 401
    wrong = {**TURTLE, "Authorization": "Bearer not-the-token"}
    assert post(running, body, wrong, "?apply=true").status == 403
    assert data_hashes(root) == before


def test_applying_with_the_token_serves_the_new_facts(server):
    running, root = server
    assert running.request("/id/example-ai").status == 404
    headers = {**TURTLE, "Authorization": f"Bearer {TOKEN}"}
    reply = post(running, SECOND_SOURCE.read_bytes(), headers, "?apply=true&submitter=Alice")
    assert reply.status == 200, reply.text
    assert json.loads(reply.body)["written"]
    assert (root / "data" / "submissions").is_dir()
    page = running.request("/id/example-ai")
    assert page.status == 200 and "Example AI" in page.text
    query = "ASK { lbr:example-ai lbo:announcedModel lbr:example-ai-language-model }"
    answer = running.request(
        "/sparql?" + urllib.parse.urlencode({"query": query}),
        headers={"Accept": "application/sparql-results+json"},
    )
    assert json.loads(answer.body)["boolean"] is True


def test_applying_is_disabled_without_an_operator_token(web_server):
    headers = {**TURTLE, "Authorization": "Bearer anything"}
    assert post(web_server, SECOND_SOURCE.read_bytes(), headers, "?apply=true").status == 403
