"""`/queries/<name>` on a real server: a named query's page with a field per parameter, its
answer bound as `llmboom query --name … --param …` binds it, and download links."""

from __future__ import annotations

import json
import urllib.parse

import html5lib

from llmboom.project import Project

HTML = {"Accept": "text/html"}
SPARQL_JSON = {"Accept": "application/sparql-results+json"}


def _tree(text: str):
    return html5lib.HTMLParser(strict=True, namespaceHTMLElements=False).parse(text)


def _fields(tree) -> dict[str, str]:
    return {
        e.get("name"): e.get("value")
        for e in tree.iter("input")
        if (e.get("id") or "").startswith("param-")
    }


def _bound_answer(web_server, project: Project, name: str, values: dict[str, str]) -> bytes:
    """The answer of /sparql to the named query's text bound as the library binds it."""
    from llmboom.sparql.named_queries import bound_query_text, get_named_query

    text = bound_query_text(get_named_query(project, name), values, project.base_iri)
    reply = web_server.request(
        "/sparql?" + urllib.parse.urlencode({"query": text}), headers=SPARQL_JSON
    )
    assert reply.status == 200
    return reply.body


def test_the_page_has_a_field_per_parameter_and_answers_with_them(web_server, project) -> None:
    values = {"organization": "bytedance", "date": "2016-06-01"}
    reply = web_server.request(
        "/queries/organization-chart?" + urllib.parse.urlencode(values), headers=HTML
    )
    assert reply.status == 200
    tree = _tree(reply.text)
    assert _fields(tree) == values
    rows = int(next(p for p in tree.iter("p") if p.get("id") == "row-count").text.split()[0])
    download = web_server.request(
        "/queries/organization-chart.json?" + urllib.parse.urlencode(values)
    )
    assert download.status == 200
    assert download.media_type == "application/sparql-results+json"
    assert download.body == _bound_answer(web_server, project, "organization-chart", values)
    assert len(json.loads(download.body)["results"]["bindings"]) == rows
    # the chart of the article's date is another one
    later = web_server.request("/queries/organization-chart.json?organization=bytedance")
    assert later.body == _bound_answer(
        web_server, project, "organization-chart", {"organization": "bytedance"}
    )
    assert later.body != download.body
    links = {
        a.text: a.get("href")
        for a in next(p for p in tree.iter("p") if p.get("id") == "downloads").iter("a")
    }
    assert set(links) == {"CSV", "TSV", "JSON", "XML"}
    csv = web_server.request(links["CSV"])
    assert csv.media_type == "text/csv"
    assert csv.text.splitlines()[0].startswith("organization,date,node")
    assert len(csv.text.splitlines()) == rows + 1


def test_a_required_parameter_left_empty_shows_the_form_and_runs_nothing(web_server) -> None:
    reply = web_server.request("/queries/organization-chart", headers=HTML)
    assert reply.status == 200
    tree = _tree(reply.text)
    assert _fields(tree) == {"organization": "", "date": "2023-02-23"}
    field = next(e for e in tree.iter("input") if e.get("id") == "param-organization")
    assert field.get("required") is not None
    assert not [t for t in tree.iter("table") if t.get("id") == "results"]
    assert not [p for p in tree.iter("p") if p.get("id") == "downloads"]
    download = web_server.request("/queries/organization-chart.csv")
    assert download.status == 400
    assert (
        download.text
        == "Error: organization-chart: give organization=VALUE (a value the query needs)\n"
    )


def test_a_bad_value_is_refused_on_the_page_and_never_run(web_server) -> None:
    reply = web_server.request("/queries/reporting-chain?person=x%3E%20%7D", headers=HTML)
    assert reply.status == 400
    tree = _tree(reply.text)
    error = next(p for p in tree.iter("p") if p.get("id") == "error")
    assert "is not a slug" in "".join(error.itertext())
    assert _fields(tree) == {"person": "x> }"}
    assert web_server.request("/queries/reporting-chain.csv?person=x%3E").status == 400
    assert web_server.request("/queries/no-such-query").status == 404
    too_long = web_server.request("/queries/" + "x" * 300)  # longer than a file name can be
    assert too_long.status == 404 and too_long.text.startswith("Error: no named query")
    assert web_server.request("/queries/reporting-chain.exe").status == 404


def test_as_of_fills_the_date_parameter(web_server, project) -> None:
    dated = web_server.request(
        "/queries/organization-chart.json?organization=bytedance&as-of=2016-06-01"
    )
    assert dated.status == 200
    bindings = json.loads(dated.body)["results"]["bindings"]
    dates = {row["date"]["value"] for row in bindings if "date" in row}
    assert dates == {"2016-06-01"}


def test_the_query_page_links_each_named_query_to_its_page(web_server, project) -> None:
    from llmboom.sparql.named_queries import named_queries

    tree = _tree(web_server.request("/sparql", headers=HTML).text)
    hrefs = {
        a.get("data-name"): a.get("href") for a in tree.iter("a") if a.get("class") == "example"
    }
    assert hrefs == {q.name: f"/queries/{q.name}" for q in named_queries(project)}
