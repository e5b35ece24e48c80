"""`POST /submissions` checks run in killable workers: a time limit, an admission cap (429 with
Retry-After), and JSON-LD whose contexts would cost minutes refused at once (413), on a real
`llmboom serve`."""

from __future__ import annotations

import threading
import time

from tests.conftest import REPO
from tests.test_jsonld_bounds import scoped_context_jsonld
from tests.web_server import Reply, Server, running_server

SECOND_SOURCE = REPO / "tests" / "submissions" / "second-source.ttl"
TURTLE = {"Content-Type": "text/turtle"}


def many_organizations(count: int) -> bytes:
    """A valid submission of `count` new organizations, each with a model and a statement
    record: checking it takes about a second per 1500 (parsing and validation)."""
    text = SECOND_SOURCE.read_text(encoding="utf-8")
    for i in range(count):
        org, model = f"lbr:pool-org-{i}", f"lbr:pool-org-{i}-model"
        text += (
            f'\n{org} a lbo:Organization ; rdfs:label "Pool organization {i}"@en ;\n'
            f"    lbo:announcedModel {model} .\n"
            f'{model} a lbo:LanguageModel ; rdfs:label "Pool model {i}"@en .\n'
            f"lbr:s-pool-{i} a rdf:Statement ; rdf:subject {org} ;\n"
            f"    rdf:predicate lbo:announcedModel ; rdf:object {model} ;\n"
            "    prov:wasDerivedFrom lbr:example-daily-report ;\n"
            '    lbo:quote "building a large language model"@en ;\n'
            "    lbo:attributedTo lbr:attribution-example-daily .\n"
        )
    return text.encode()


def submit(server: Server, body: bytes, headers: dict[str, str] = TURTLE) -> Reply:
    return server.request("/submissions", method="POST", headers=headers, data=body, timeout=120)


def test_scoped_context_json_ld_is_refused_at_once() -> None:
    body = scoped_context_jsonld()
    with running_server("--max-body", "2000000") as server:
        started = time.monotonic()
        reply = submit(server, body, {"Content-Type": "application/ld+json"})
        seconds = time.monotonic() - started
        assert submit(server, SECOND_SOURCE.read_bytes()).status == 200  # still serving
    assert reply.status == 413, reply.text
    assert '"too-large"' in reply.text and "JSON-LD contexts too costly" in reply.text
    assert seconds < 10


def test_a_check_past_the_time_limit_is_stopped() -> None:
    body = many_organizations(3000)
    with running_server("--max-body", "4000000", "--submission-timeout", "0.3") as server:
        started = time.monotonic()
        reply = submit(server, body)
        seconds = time.monotonic() - started
        assert server.request("/openapi.json").status == 200
    assert reply.status == 413, reply.text
    assert reply.text.startswith("Error: checking the submission took longer than 0.3 s")
    assert seconds < 10


def test_checks_beyond_the_admission_limit_get_429_with_retry_after() -> None:
    slow, small = many_organizations(3000), SECOND_SOURCE.read_bytes()
    limits = ("--submission-workers", "1", "--submission-queue", "0")
    with running_server("--max-body", "4000000", *limits) as server:
        assert submit(server, small).status == 200  # the worker is up
        replies: list[Reply] = []
        senders = [
            threading.Thread(target=lambda: replies.append(submit(server, slow))) for _ in range(3)
        ]
        for sender in senders:
            sender.start()
        for sender in senders:
            sender.join()
    statuses = sorted(reply.status for reply in replies)
    assert statuses[0] == 200 and statuses[-1] == 429, statuses  # one checked, others refused
    refused = next(reply for reply in replies if reply.status == 429)
    assert refused.headers["retry-after"].isdigit()
    assert "submission checks are running or waiting (the limit is 1)" in refused.text
