"""HTTP validators over a real server and client: every answer to a GET carries a strong
ETag, Last-Modified and the operator's Cache-Control; If-None-Match and If-Modified-Since
answer 304; an applied submission changes every ETag, and no answer made from older data is
served after it (queries and applies interleaved)."""

from __future__ import annotations

import json
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.submission_support import PREFIXES, copy_project, submit_cli
from tests.web_server import Server, running_server

TOKEN = "token-for-the-cache-tests"
CACHE_CONTROL = "public, max-age=5"
JSON_RESULTS = {"Accept": "application/sparql-results+json"}
COUNT_ORGANIZATIONS = "SELECT (COUNT(DISTINCT ?o) AS ?n) WHERE { ?o a lbo:Organization }"


def sparql(query: str) -> str:
    return "/sparql?" + urllib.parse.urlencode({"query": query})


#: (path, request headers): a page, a download, a Turtle document (suffix and negotiated),
#: a SPARQL GET, the home page, the ontology, the query page.
ANSWERS = [
    ("/id/bytedance", {"Accept": "text/html"}),
    ("/dataset.ttl", {}),
    ("/id/bytedance.ttl", {}),
    ("/id/zhu-wenjia", {"Accept": "text/turtle"}),
    (sparql(COUNT_ORGANIZATIONS), JSON_RESULTS),
    ("/", {"Accept": "text/html"}),
    ("/ontology", {"Accept": "text/turtle"}),
    ("/sparql", {"Accept": "text/html"}),
]


@pytest.mark.parametrize(("path", "headers"), ANSWERS)
def test_answers_carry_validators_and_304_when_unchanged(web_server, path, headers):
    first = web_server.request(path, headers=headers)
    assert first.status == 200, first.body[:200]
    tag = first.headers["etag"]
    assert tag.startswith('"') and not tag.startswith("W/"), tag  # strong
    assert first.headers["cache-control"] == "no-cache"  # the default
    assert "last-modified" in first.headers
    again = web_server.request(path, headers={**headers, "If-None-Match": tag})
    assert again.status == 304 and again.body == b""
    assert again.headers["etag"] == tag
    assert again.headers.get("vary") == first.headers.get("vary")
    listed = web_server.request(path, headers={**headers, "If-None-Match": f'"x", W/{tag}'})
    assert listed.status == 304
    since = web_server.request(
        path, headers={**headers, "If-Modified-Since": first.headers["last-modified"]}
    )
    assert since.status == 304
    other = web_server.request(path, headers={**headers, "If-None-Match": '"another"'})
    assert other.status == 200 and other.body == first.body
    assert other.headers["etag"] == tag  # the same answer, the same tag


def test_each_representation_has_its_own_tag(web_server):
    html = web_server.request("/id/bytedance", headers={"Accept": "text/html"})
    turtle = web_server.request("/id/bytedance", headers={"Accept": "text/turtle"})
    assert "Accept" in html.headers["vary"].split(", ")
    assert html.headers["etag"] != turtle.headers["etag"]
    csv = web_server.request(sparql(COUNT_ORGANIZATIONS), headers={"Accept": "text/csv"})
    json_ = web_server.request(sparql(COUNT_ORGANIZATIONS), headers=JSON_RESULTS)
    assert csv.headers["etag"] != json_.headers["etag"]
    # a client holding the HTML does not get 304 for the Turtle
    mixed = web_server.request(
        "/id/bytedance", headers={"Accept": "text/turtle", "If-None-Match": html.headers["etag"]}
    )
    assert mixed.status == 200 and mixed.media_type == "text/turtle"


def test_errors_and_old_dates_are_not_304(web_server):
    missing = web_server.request("/id/no-such-thing")
    assert missing.status == 404 and "etag" not in missing.headers
    page = web_server.request("/id/bytedance")
    old = web_server.request(
        "/id/bytedance", headers={"If-Modified-Since": "Mon, 01 Jan 1990 00:00:00 GMT"}
    )
    assert old.status == 200
    nonsense = web_server.request("/id/bytedance", headers={"If-Modified-Since": "yesterday"})
    assert nonsense.status == 200
    # If-None-Match wins over If-Modified-Since (RFC 9110, 13.1.3)
    both = web_server.request(
        "/id/bytedance",
        headers={"If-None-Match": '"other"', "If-Modified-Since": page.headers["last-modified"]},
    )
    assert both.status == 200


def test_metrics_are_not_cached(web_server):
    reply = web_server.request("/metrics")
    assert reply.status == 200 and "etag" not in reply.headers
    assert reply.headers["cache-control"] == "no-store"


# -- a server whose data changes ----------------------------------------------------------


@pytest.fixture(scope="module")
def changing_root(tmp_path_factory) -> Path:
    return copy_project(tmp_path_factory.mktemp("changing"))


@pytest.fixture(scope="module")
def changing(changing_root) -> Iterator[Server]:
    with running_server(
        "--cache-control",
        CACHE_CONTROL,
        root=changing_root,
        env={"LLMBOOM_SUBMIT_TOKEN": TOKEN},
    ) as server:
        yield server


def organization(number: int) -> bytes:
    """A submission adding one organization (a label and a type need no statement record)."""
    return (
        PREFIXES
        + f'lbr:cache-probe-{number} a lbo:Organization ; rdfs:label "Cache probe {number}"@en .\n'
    ).encode()


def apply(server: Server, body: bytes) -> None:
    reply = server.request(
        "/submissions?apply=true",
        method="POST",
        data=body,
        headers={"Content-Type": "text/turtle", "Authorization": f"Bearer {TOKEN}"},
        timeout=120,
    )
    assert reply.status == 200, reply.text
    assert json.loads(reply.body)["written"]


def organizations(server: Server) -> int:
    reply = server.request(sparql(COUNT_ORGANIZATIONS), headers=JSON_RESULTS)
    assert reply.status == 200, reply.text
    return int(json.loads(reply.body)["results"]["bindings"][0]["n"]["value"])


def test_an_apply_changes_every_etag(changing):
    before = {}
    for path, headers in ANSWERS:
        reply = changing.request(path, headers=headers)
        assert reply.status == 200, (path, reply.body[:200])
        assert reply.headers["cache-control"] == CACHE_CONTROL  # the operator's
        before[path] = reply
    apply(changing, organization(0))
    for path, headers in ANSWERS:
        old = before[path]
        reply = changing.request(path, headers={**headers, "If-None-Match": old.headers["etag"]})
        assert reply.status == 200, path  # not 304: the data changed
        assert reply.headers["etag"] != old.headers["etag"], path
        since = changing.request(
            path, headers={**headers, "If-Modified-Since": old.headers["last-modified"]}
        )
        assert since.status == 200, path  # Last-Modified moved on, even within one second
    assert "Cache probe 0" in changing.request("/dataset.ttl").text


def test_no_answer_from_older_data_after_an_apply(changing):
    """Clients query without pause while submissions are applied: every answer counts at
    least the organizations applied before the query was sent."""
    applied = [organizations(changing)]  # the count after each apply, in order
    seen: list[tuple[int, int]] = []  # (applies finished when the query was sent, count)
    done = threading.Event()
    problems: list[BaseException] = []

    def client() -> None:
        try:
            while not done.is_set():
                finished = len(applied)
                seen.append((finished, organizations(changing)))
        except BaseException as error:  # reported by the test's thread
            problems.append(error)

    clients = [threading.Thread(target=client) for _ in range(3)]
    for thread in clients:
        thread.start()
    try:
        for number in range(1, 4):
            apply(changing, organization(number))
            applied.append(applied[0] + number)
            assert organizations(changing) == applied[-1]  # at once, not from the cache
    finally:
        done.set()
        for thread in clients:
            thread.join()
    assert not problems, problems
    assert len({count for _, count in seen}) > 1  # the clients saw the data change
    stale = [(k, count) for k, count in seen if count < applied[k - 1]]
    assert not stale, f"answers from older data: {stale[:5]}"
    hits = metric(changing, "llmboom_result_cache_hits_total")
    assert hits > 0  # the cache was in use all along


def metric(server: Server, name: str) -> float:
    for line in server.request("/metrics").text.splitlines():
        if line.startswith(name + " "):
            return float(line.split()[1])
    raise AssertionError(f"no {name} in /metrics")


def test_an_apply_by_another_process_is_seen_within_seconds(changing, changing_root, tmp_path):
    """`llmboom submit --apply` run beside the server: the server notices the files changed,
    reloads, and its answers and tags follow."""
    path = sparql(COUNT_ORGANIZATIONS)
    before = changing.request(path, headers=JSON_RESULTS)
    count = int(json.loads(before.body)["results"]["bindings"][0]["n"]["value"])
    submission = tmp_path / "from-the-cli.ttl"
    submission.write_bytes(organization(99))
    result = submit_cli(changing_root, "submit", str(submission), "--apply")
    assert result.exit_code == 0, result.output
    deadline = time.monotonic() + 20
    while organizations(changing) == count:
        assert time.monotonic() < deadline, "the server did not notice the change"
        time.sleep(0.2)
    assert organizations(changing) == count + 1
    conditional = {**JSON_RESULTS, "If-None-Match": before.headers["etag"]}
    again = changing.request(path, headers=conditional)
    assert again.status == 200 and again.headers["etag"] != before.headers["etag"]
