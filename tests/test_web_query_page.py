"""The query page (template `query.html`): results as a table, only web addresses linked,
text escaped."""

from __future__ import annotations

import json

from llmboom.namespaces import LBR
from llmboom.publication.html_layout import Links
from llmboom.web.query_page import render_query_page, result_view

LINKS = Links(base_iri=LBR, resource_prefix="/id/", resource_suffix="", ontology_page="/ontology")


def bindings(*rows: dict) -> bytes:
    names = sorted({name for row in rows for name in row})
    return json.dumps({"head": {"vars": names}, "results": {"bindings": list(rows)}}).encode()


def page_with(view) -> str:
    return render_query_page([], endpoint="/sparql", query="SELECT …", result=view)


def test_resources_link_to_their_pages_and_literals_are_escaped():
    view = result_view(
        "bindings",
        bindings(
            {
                "x": {"type": "uri", "value": LBR + "baidu"},
                "y": {"type": "literal", "value": "<script>alert(1)</script>"},
            }
        ),
        LINKS,
    )
    html = page_with(view)
    assert '<a href="/id/baidu">lbr:baidu</a>' in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert '<p class="note" id="row-count">1 rows</p>' in html


def test_iris_that_are_not_web_addresses_are_not_links():
    for iri in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,hi"):
        view = result_view("bindings", bindings({"x": {"type": "uri", "value": iri}}), LINKS)
        html = page_with(view)
        table = html.split('id="results"', 1)[1].split("</table>", 1)[0]
        assert "<a " not in table
        assert iri.split(":")[0] in table


def test_dates_and_language_tags_read_as_on_every_page():
    row = {
        "d": {
            "type": "literal",
            "value": "2021-02",
            "datatype": "http://www.w3.org/2001/XMLSchema#gYearMonth",
        },
        "l": {"type": "literal", "value": "ByteDance", "xml:lang": "en"},
    }
    html = page_with(result_view("bindings", bindings(row), LINKS))
    assert "February 2021" in html
    assert '<small class="lang" title="language">en</small>' in html


def test_ask_and_graph_results():
    assert ">true<" in page_with(result_view("boolean", b'{"head":{},"boolean":true}', LINKS))
    graph = page_with(result_view("graph", b"<a:b> <c:d> <e:f> .\n", LINKS))
    assert '<pre class="graph" id="results">&lt;a:b&gt;' in graph


def test_truncation_is_said():
    row = {"x": {"type": "literal", "value": "1"}}
    html = page_with(result_view("bindings", bindings(row), LINKS, truncated=True))
    assert 'id="truncated"' in html


def test_page_keeps_the_query_and_escapes_it(project):
    from llmboom.sparql.named_queries import named_queries

    page = render_query_page(
        named_queries(project),
        endpoint="/sparql",
        query="SELECT * WHERE { ?s ?p '</textarea><b>' }",
        error="query:1:5: <bad>",
    )
    assert "&lt;/textarea&gt;&lt;b&gt;" in page
    assert page.count('class="example"') == len(named_queries(project))
    assert "&lt;bad&gt;" in page
    assert "<script" not in page  # no script, nothing fetched from elsewhere
