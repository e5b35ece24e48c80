"""`llmboom serve` over HTTP: resources by content negotiation, the ontology, the dataset's
description, downloads, the home page. Every RDF answer is parsed and compared, as a graph,
with what the library says the resource's document is."""

from __future__ import annotations

import pytest
import rdflib
from rdflib.compare import isomorphic, to_isomorphic

from llmboom.namespaces import LBR
from tests.test_web_negotiation import TABLE

RDFLIB_FORMATS = {
    "text/turtle": "turtle",
    "application/ld+json": "json-ld",
    "application/n-triples": "nt",
    "application/rdf+xml": "xml",
}
MEDIA_TYPES = {
    "html": "text/html",
    "turtle": "text/turtle",
    "jsonld": "application/ld+json",
    "nt": "application/n-triples",
    "xml": "application/rdf+xml",
}


@pytest.fixture(scope="module")
def expected_documents(project, data_quads):
    """slug → the resource's document as the library describes it (an rdflib graph)."""
    from llmboom.publication.graph_index import GraphIndex
    from llmboom.publication.resource_pages import describe
    from llmboom.rdf.loading import load_ontology, to_rdflib_graph

    index = GraphIndex(data_quads, load_ontology(project))

    def document(slug: str) -> rdflib.Graph:
        return to_rdflib_graph(describe(index, LBR + slug, LBR))

    return document


def parsed(reply) -> rdflib.Graph:
    graph = rdflib.Graph()
    graph.parse(data=reply.body, format=RDFLIB_FORMATS[reply.media_type])
    return graph


def assert_same_graph(got: rdflib.Graph, expected: rdflib.Graph) -> None:
    if isomorphic(got, expected):
        return
    got_c, expected_c = to_isomorphic(got), to_isomorphic(expected)
    missing = sorted(str(t) for t in expected_c - got_c)[:5]
    added = sorted(str(t) for t in got_c - expected_c)[:5]
    raise AssertionError(f"graphs differ; missing {missing}; added {added}")


@pytest.mark.parametrize(("accept", "expected"), TABLE)
def test_content_negotiation_over_http(web_server, expected_documents, accept, expected):
    headers = {} if accept is None else {"Accept": accept}
    reply = web_server.request("/id/bytedance", headers=headers)
    # a page also depends on Accept-Language (the language it names things in)
    assert reply.headers.get("vary") == (
        "Accept, Accept-Language" if expected == "html" else "Accept"
    )
    if expected is None:
        assert reply.status == 406
        return
    assert reply.status == 200, reply.body[:300]
    assert reply.media_type == MEDIA_TYPES[expected]
    if expected == "html":
        assert '<h1 lang="en">ByteDance</h1>' in reply.text
    else:
        assert_same_graph(parsed(reply), expected_documents("bytedance"))


@pytest.mark.parametrize("slug", ["zhu-wenjia", "bytedance-language-model-team", "article"])
@pytest.mark.parametrize("suffix", [".ttl", ".jsonld", ".nt", ".rdf"])
def test_suffixes_give_the_same_graph(web_server, expected_documents, slug, suffix):
    reply = web_server.request(f"/id/{slug}{suffix}", headers={"Accept": "text/html"})
    assert reply.status == 200
    assert "vary" not in reply.headers  # the suffix decides, not the Accept header
    assert_same_graph(parsed(reply), expected_documents(slug))


def test_statement_records_are_resources_too(web_server, expected_documents, data_quads):
    record = next(
        q.subject.value
        for q in data_quads
        if q.predicate.value.endswith("#quote") and q.subject.value.startswith(LBR)
    )
    slug = record[len(LBR) :]
    reply = web_server.request(f"/id/{slug}", headers={"Accept": "text/turtle"})
    assert_same_graph(parsed(reply), expected_documents(slug))


def test_link_headers_and_alternate_links(web_server):
    reply = web_server.request("/id/baidu")
    link = reply.headers["link"]
    alternates = {
        ".ttl": "text/turtle",
        ".jsonld": "application/ld+json",
        ".nt": "application/n-triples",
        ".rdf": "application/rdf+xml",
    }
    for suffix, media_type in alternates.items():
        assert f'</id/baidu{suffix}>; rel="alternate"; type="{media_type}"' in link
        assert f'<link rel="alternate" type="{media_type}" href="/id/baidu{suffix}">' in reply.text
    assert reply.headers["content-location"] == "/id/baidu.html"


def test_resource_page_links_neighbours_to_server_paths(web_server):
    page = web_server.request("/id/zhu-wenjia").text
    assert 'href="/id/shouzi-chew"' in page  # the person he reports to
    assert 'href="/ontology#reportsTo"' in page
    assert 'class="quote"' in page and 'class="attr"' in page
    assert ".html" not in page.split('href="/id/', 1)[1].split('"', 1)[0]


@pytest.mark.parametrize("path", ["/id/no-such-thing", "/id/no-such-thing.ttl", "/id/Bad_Slug"])
def test_unknown_resources_are_404(web_server, path):
    assert web_server.request(path).status == 404


def test_unknown_suffix_is_404(web_server):
    reply = web_server.request("/id/bytedance.exe")
    assert reply.status == 404
    assert ".ttl" in reply.text


def test_ontology_by_negotiation(web_server, project):
    from llmboom.rdf.loading import load_ontology, to_rdflib_graph

    page = web_server.request("/ontology", headers={"Accept": "text/html"})
    assert page.media_type == "text/html" and "reportsTo" in page.text
    expected = to_rdflib_graph(load_ontology(project))
    for media_type in RDFLIB_FORMATS:
        reply = web_server.request("/ontology", headers={"Accept": media_type})
        assert reply.status == 200 and reply.media_type == media_type
        assert reply.headers["vary"] == "Accept"
        assert_same_graph(parsed(reply), expected)


def test_dataset_description(web_server):
    from rdflib.namespace import DCAT, VOID

    reply = web_server.request("/dataset", headers={"Accept": "text/turtle"})
    assert reply.status == 200
    graph = parsed(reply)
    dataset = rdflib.URIRef("https://w3id.org/llmboom/dataset")
    assert (dataset, rdflib.RDF.type, VOID.Dataset) in graph
    assert int(graph.value(dataset, VOID.triples)) > 1000
    assert len(list(graph.objects(dataset, DCAT.distribution))) >= 6
    nt = web_server.request("/dataset", headers={"Accept": "application/n-triples"})
    assert_same_graph(parsed(nt), graph)
    browser = web_server.request("/dataset", headers={"Accept": "text/html"})
    assert browser.status == 200 and "<h1>" in browser.text  # followed the 303 to /


def test_downloads_match_the_dataset(web_server, data_graph):
    downloads = {
        "dataset.ttl": "text/turtle",
        "dataset.nt": "application/n-triples",
        "dataset.jsonld": "application/ld+json",
    }
    for name, media_type in downloads.items():
        reply = web_server.request("/" + name)
        assert reply.status == 200 and reply.media_type == media_type
        assert_same_graph(parsed(reply), data_graph)
    assert web_server.request("/nothing.ttl").status == 404


def test_home_page_says_what_licence_and_how_to_query(web_server):
    reply = web_server.request("/")
    assert reply.status == 200 and reply.media_type == "text/html"
    page = reply.text
    assert 'rel="license"' in page
    assert 'id="query"' in page and "/sparql" in page
    assert 'href="dataset.ttl"' in page


def test_openapi_description_is_valid(web_server):
    import json

    from openapi_spec_validator import validate

    reply = web_server.request("/openapi.json")
    document = json.loads(reply.body)
    validate(document)
    for path in ["/id/{slug}", "/sparql", "/ontology", "/dataset", "/submissions"]:
        assert path in document["paths"]


def test_cors_is_off_unless_enabled(web_server):
    origin = {"Origin": "https://example.org"}
    assert (
        "access-control-allow-origin" not in web_server.request("/id/baidu", headers=origin).headers
    )
    from tests.web_server import running_server

    with running_server("--cors-origin", "https://example.org") as server:
        reply = server.request("/id/baidu", headers=origin)
        assert reply.headers["access-control-allow-origin"] == "https://example.org"
        other = server.request("/id/baidu", headers={"Origin": "https://elsewhere.example"})
        assert "access-control-allow-origin" not in other.headers


def test_live_pages_draw_charts_and_search_like_the_static_site(web_server):
    from tests.conftest import dot_or_skip

    dot_or_skip()
    page = web_server.request("/id/bytedance").text
    chart = page.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert 'href="/id/bytedance-language-model-team"' in chart  # boxes link server paths
    assert 'id="search-input" data-root="/"' in page
    assert '<script src="/search-index.js">' in page
    index = web_server.request("/search-index.js")
    assert index.status == 200
    assert '"href": "id/volcano-engine"' in index.text  # root + href = /id/volcano-engine
    assert web_server.request("/search.js").status == 200


def test_a_chart_is_served_as_the_build_writes_it(web_server, project, data_quads):
    """/id/<slug>.svg: the same SVG document as the build's id/<slug>.svg, linked from the
    page; 404 for a resource without a chart."""
    from tests.conftest import dot_or_skip

    dot_or_skip()
    from llmboom.publication.charts import chart_svg
    from llmboom.publication.graph_index import GraphIndex
    from llmboom.publication.html_layout import Links
    from llmboom.rdf.loading import load_ontology

    reply = web_server.request("/id/bytedance.svg")
    assert reply.status == 200
    assert reply.media_type == "image/svg+xml"
    index = GraphIndex(data_quads, load_ontology(project))
    built = chart_svg(index, LBR + "bytedance", Links(base_iri=LBR))
    assert built is not None
    # the build's links are relative to id/, the server's absolute: the same chart otherwise
    import re

    assert re.sub(r'href="/id/([a-z0-9-]+)"', r'href="./\1.html"', reply.text) == built
    assert 'href="/id/bytedance.svg"' in web_server.request("/id/bytedance").text
    missing = web_server.request("/id/article.svg")
    assert missing.status == 404
    assert "no chart" in missing.text


def test_a_json_ld_tree_is_served_as_the_build_writes_it(web_server, project):
    """/id/<slug>.<frame>.jsonld: the bytes of `llmboom export --frame FRAME --node SLUG`
    (and of the build's file), listed among the resource's alternates; 404 for a frame that
    does not apply."""
    from llmboom.export import export_dataset
    from llmboom.rdf.formats import by_name

    reply = web_server.request("/id/bytedance.organization.jsonld")
    assert reply.status == 200
    assert reply.media_type == "application/ld+json"
    expected = export_dataset(
        project, by_name("jsonld"), frame_name="organization", node="bytedance"
    )
    assert reply.body == expected
    assert '</id/bytedance.organization.jsonld>; rel="alternate"' in reply.headers["link"]
    assert 'href="/id/bytedance.organization.jsonld"' in web_server.request("/id/bytedance").text
    wrong = web_server.request("/id/bytedance.person.jsonld")
    assert wrong.status == 404
    assert ".organization.jsonld" in wrong.text
    assert web_server.request("/id/article.organization.jsonld").status == 404
    assert web_server.request("/id/bytedance.nosuchframe.jsonld").status == 404


@pytest.mark.slow
def test_downloads_are_the_build_files_byte_for_byte(web_server, project, tmp_path):
    """One publication, two ways to deliver it: every download of the server is the file
    `llmboom build` writes, to the byte (checksums in void.ttl included)."""
    from llmboom.publication import build

    out = tmp_path / "dist"
    build(project, out, pages="none")
    # (pages and the search index link /id/<slug> on the server, <slug>.html in the build)
    names = sorted(
        p.name
        for p in out.iterdir()
        if p.is_file() and p.suffix != ".html" and p.name[0] != "." and p.name != "search-index.js"
    )
    assert {"dataset.ttl", "dataset.jsonld", "void.ttl", "ontology.rdf", "context.jsonld"} <= set(
        names
    )
    for name in names:
        reply = web_server.request("/" + name)
        assert reply.status == 200, name
        assert reply.body == (out / name).read_bytes(), name
