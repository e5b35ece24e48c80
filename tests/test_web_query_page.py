"""The query page's HTML: results as a table, only web addresses linked, text escaped."""

from __future__ import annotations

import json

from llmboom.namespaces import LBR
from llmboom.publication.html_layout import Links
from llmboom.web.query_page import error_html, render_query_page, results_html

LINKS = Links(base_iri=LBR, resource_prefix="/id/", resource_suffix="", ontology_page="/ontology")


def bindings(*rows: dict) -> bytes:
    names = sorted({name for row in rows for name in row})
    return json.dumps({"head": {"vars": names}, "results": {"bindings": list(rows)}}).encode()


def test_resources_link_to_their_pages_and_literals_are_escaped():
    html = results_html(
        "bindings",
        bindings(
            {
                "x": {"type": "uri", "value": LBR + "baidu"},
                "y": {"type": "literal", "value": "<script>alert(1)</script>"},
            }
        ),
        LINKS,
    )
    assert '<a href="/id/baidu" title="https://w3id.org/llmboom/id/baidu">lbr:baidu</a>' in html
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert '<p class="note" id="row-count">1 rows</p>' in html


def test_iris_that_are_not_web_addresses_are_not_links():
    for iri in ("javascript:alert(1)", "file:///etc/passwd", "data:text/html,hi"):
        html = results_html("bindings", bindings({"x": {"type": "uri", "value": iri}}), LINKS)
        assert "<a " not in html
        assert "&lt;" + iri.split(":")[0] in html


def test_ask_and_graph_results():
    assert ">true<" in results_html("boolean", b'{"head":{},"boolean":true}', LINKS)
    graph = results_html("graph", b"<a:b> <c:d> <e:f> .\n", LINKS)
    assert '<pre class="graph" id="results">&lt;a:b&gt;' in graph


def test_truncation_is_said():
    html = results_html(
        "bindings", bindings({"x": {"type": "literal", "value": "1"}}), LINKS, truncated=True
    )
    assert 'id="truncated"' in html


def test_page_keeps_the_query_and_escapes_it(project):
    from llmboom.queries import named_queries

    page = render_query_page(
        named_queries(project),
        endpoint="/sparql",
        query="SELECT * WHERE { ?s ?p '</textarea><b>' }",
        results=error_html("query:1:5: <bad>"),
    )
    assert "&lt;/textarea&gt;&lt;b&gt;" in page
    assert page.count('class="example"') == len(named_queries(project))
    assert "&lt;bad&gt;" in page
    assert "<script" not in page  # no script, nothing fetched from elsewhere
