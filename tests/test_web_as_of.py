"""`?as-of=DATE` on a real `llmboom serve`: /sparql, resource pages and downloads answer with
the dataset as known to hold on DATE, say what they rest on (`X-LLMBoom-As-Of`), and pages
carry a date picker. The article's timeline, as in tests/test_snapshot.py."""

from __future__ import annotations

import json
from urllib.parse import urlencode

from llmboom.namespaces import LBO, LBR

BOSS = "SELECT ?boss WHERE { lbr:zhu-wenjia lbo:reportsTo ?boss }"
HOLDS = "SELECT ?position WHERE { ?position lbo:holder lbr:zhu-wenjia }"
JSON = {"Accept": "application/sparql-results+json"}


def _values(web_server, query: str, as_of: str | None = None) -> tuple[set[str], dict]:
    params = {"query": query} | ({"as-of": as_of} if as_of else {})
    reply = web_server.request("/sparql?" + urlencode(params), headers=JSON)
    assert reply.status == 200, reply.text
    rows = json.loads(reply.text)["results"]["bindings"]
    return {value["value"] for row in rows for value in row.values()}, reply.headers


def test_sparql_as_of_follows_the_article_timeline(web_server, data_quads) -> None:
    bosses, headers = _values(web_server, BOSS, "2016-06-01")
    assert bosses == set()
    assert headers["x-llmboom-as-of"].startswith("as of 2016-06-01: ")
    assert "docs/time-and-claims.md" in headers["x-llmboom-as-of"]
    assert _values(web_server, HOLDS, "2016-06-01")[0] == {LBR + "zhu-wenjia-toutiao"}
    assert LBR + "zhu-wenjia-toutiao-ceo" in _values(web_server, HOLDS, "2020-06-01")[0]
    assert _values(web_server, BOSS, "2022-06-01")[0] == {LBR + "shouzi-chew"}
    heads = "SELECT ?head WHERE { ?head lbo:reportsTo lbr:zhu-wenjia }"
    assert _values(web_server, heads, "2022-06-01")[0] == set()
    assert {
        LBR + "head-of-bytedance-language-model-team",
        LBR + "head-of-bytedance-image-model-team",
    } <= _values(web_server, heads, "2023-02-23")[0]
    assert _values(web_server, BOSS, "2023-02-23")[0] == {LBR + "shouzi-chew"}  # the article's
    # without a date, the whole dataset: the article's line and those later reports add
    whole, headers = _values(web_server, BOSS)
    assert "x-llmboom-as-of" not in headers
    assert LBR + "shouzi-chew" in whole
    assert whole == {
        q.object.value
        for q in data_quads
        if q.subject.value == LBR + "zhu-wenjia" and q.predicate.value == LBO + "reportsTo"
    }


def test_sparql_as_of_in_a_posted_form(web_server) -> None:
    body = urlencode({"query": BOSS, "as-of": "2016-06-01"}).encode()
    reply = web_server.request(
        "/sparql",
        method="POST",
        data=body,
        headers={**JSON, "Content-Type": "application/x-www-form-urlencoded"},
    )
    assert reply.status == 200
    assert json.loads(reply.text)["results"]["bindings"] == []


def test_a_bad_date_is_a_400(web_server) -> None:
    for path in ("/sparql?query=ASK%7B%7D&as-of=2016-13-01", "/id/zhu-wenjia?as-of=yesterday"):
        reply = web_server.request(path, headers=JSON)
        assert reply.status == 400, path
        assert "as-of date" in reply.text


def test_resource_page_as_of_has_the_note_and_the_date_picker(web_server) -> None:
    reply = web_server.request("/id/zhu-wenjia?as-of=2016-06-01", headers={"Accept": "text/html"})
    assert reply.status == 200
    assert reply.headers["x-llmboom-as-of"].startswith("as of 2016-06-01: ")
    assert '<input type="date" name="as-of" value="2016-06-01">' in reply.text
    assert "as of 2016-06-01: " in reply.text
    assert "Shouzi Chew" not in reply.text
    today = web_server.request("/id/zhu-wenjia", headers={"Accept": "text/html"})
    assert '<input type="date" name="as-of" value="">' in today.text
    assert "Shouzi Chew" in today.text


def test_resource_rdf_and_downloads_as_of(web_server) -> None:
    turtle = web_server.request("/id/zhu-wenjia.nt?as-of=2016-06-01")
    assert turtle.status == 200 and f"<{LBO}reportsTo>" not in turtle.text
    assert f"<{LBO}reportsTo>" in web_server.request("/id/zhu-wenjia.nt").text
    dump = web_server.request("/dataset.nt?as-of=2016-06-01")
    assert dump.status == 200
    assert dump.text.startswith("# as of 2016-06-01: ")
    assert f"<{LBO}reportsTo>" not in dump.text
    assert f"<{LBR}zhu-wenjia-toutiao> <{LBO}holder> <{LBR}zhu-wenjia>" in dump.text
    assert dump.headers["x-llmboom-as-of"].startswith("as of 2016-06-01: ")


def test_the_query_page_has_a_date_picker_and_says_what_it_rests_on(web_server) -> None:
    params = urlencode({"query": BOSS, "as-of": "2016-06-01"})
    reply = web_server.request("/sparql?" + params, headers={"Accept": "text/html"})
    assert reply.status == 200
    assert '<input type="date" name="as-of" id="as-of" value="2016-06-01">' in reply.text
    assert "as of 2016-06-01: " in reply.text
    empty = web_server.request("/sparql", headers={"Accept": "text/html"})
    assert '<input type="date" name="as-of" id="as-of" value="">' in empty.text


def test_links_of_a_snapshot_page_keep_its_date(web_server) -> None:
    """A reader browsing the dataset as of a date stays there: every link to a page of the
    server carries the date, except the picker's way back to the whole dataset."""
    import re

    for path in ("/id/zhu-wenjia?as-of=2016-06-01", "/?as-of=2016-06-01"):
        page = web_server.request(path, headers={"Accept": "text/html"}).text
        local = re.findall(r'href="((?![a-z]+:|//|#)[^"]+)"', page)
        resources = [h for h in local if h.lstrip("/").startswith("id/") and h != path]
        assert resources, path
        back = path.split("?")[0]
        undated = [href for href in local if "as-of=2016-06-01" not in href]
        assert undated == [back], (path, undated)
        followed = "/" + resources[0].lstrip("/").replace("&amp;", "&")
        reply = web_server.request(followed, headers={"Accept": "text/html"})
        assert reply.headers["x-llmboom-as-of"].startswith("as of 2016-06-01: ")
    today = web_server.request("/id/zhu-wenjia", headers={"Accept": "text/html"}).text
    assert "as-of=" not in "".join(re.findall(r'href="([^"]*)"', today))
