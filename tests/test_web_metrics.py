"""`GET /metrics` on a real server: Prometheus text whose counters follow the requests."""

from __future__ import annotations

import re
import time
import urllib.parse

from llmboom.web.metrics import MEDIA_TYPE

SAMPLE = re.compile(r"^[a-z_]+(\{[a-z_]+=\"[^\"]*\"\})? -?[0-9.e+]+$")


def figures(server) -> dict[str, float]:
    reply = server.request("/metrics")
    assert reply.status == 200
    assert reply.headers["content-type"] == MEDIA_TYPE
    found = {}
    for line in reply.text.splitlines():
        if line.startswith("#"):
            assert re.match(r"^# (HELP|TYPE) [a-z_]+ ", line), line
            continue
        assert SAMPLE.match(line), line
        name, value = line.rsplit(" ", 1)
        found[name] = float(value)
    return found


def test_metrics_count_requests_hits_and_the_pool(web_server):
    query = "SELECT ?o WHERE { ?o a lbo:Organization } # metrics test"
    path = "/sparql?" + urllib.parse.urlencode({"query": query})
    headers = {"Accept": "application/sparql-results+json"}
    before = figures(web_server)
    for _ in range(3):
        assert web_server.request(path, headers=headers).status == 200
    tag = web_server.request(path, headers=headers).headers["etag"]
    assert web_server.request(path, headers={**headers, "If-None-Match": tag}).status == 304
    after = figures(web_server)
    assert after["llmboom_result_cache_hits_total"] - before["llmboom_result_cache_hits_total"] >= 3
    assert after["llmboom_result_cache_misses_total"] >= before["llmboom_result_cache_misses_total"]
    assert after["llmboom_http_not_modified_total"] == before["llmboom_http_not_modified_total"] + 1
    assert after['llmboom_http_requests_total{status="2xx"}'] >= 5
    assert 0 < after["llmboom_result_cache_entries"] <= after["llmboom_result_cache_max_entries"]
    assert 0 < after["llmboom_result_cache_bytes"] <= after["llmboom_result_cache_max_bytes"]
    assert after["llmboom_query_workers"] >= 1
    for name in ("llmboom_query_queue", "llmboom_query_timeouts_total"):
        assert name in after
    assert "llmboom_query_worker_restarts_total" in after


def test_a_timeout_counts_and_restarts_a_worker(web_server):
    from tests.test_web_sparql import CARTESIAN

    before = figures(web_server)
    path = "/sparql?" + urllib.parse.urlencode({"query": CARTESIAN + " # metrics"})
    reply = web_server.request(path, headers={"Accept": "application/sparql-results+json"})
    assert reply.status == 503
    after = figures(web_server)
    assert after["llmboom_query_timeouts_total"] == before["llmboom_query_timeouts_total"] + 1
    restarts = "llmboom_query_worker_restarts_total"
    assert after[restarts] == before[restarts] + 1
    # asked again at once: the same error, without a worker running it for the whole limit
    started = time.monotonic()
    again = web_server.request(path, headers={"Accept": "application/sparql-results+json"})
    assert again.status == 503 and again.text == reply.text
    assert time.monotonic() - started < 2
    last = figures(web_server)
    assert last["llmboom_query_timeouts_total"] == after["llmboom_query_timeouts_total"]
    served = "llmboom_result_cache_failures_served_total"
    assert last[served] == after[served] + 1
