"""A statement record citing a source whose text the project does not hold: the page shows
its summary (not as a quote), its locator, and the source as a link to where it is published,
with its publisher and date."""

from __future__ import annotations

import pyoxigraph
import pytest

from llmboom.namespaces import LBR
from llmboom.publication.citations import citation_of
from llmboom.publication.graph_index import GraphIndex
from llmboom.publication.html_layout import Links
from llmboom.publication.resource_pages import render_resource_page
from tests.conftest import REPO
from tests.test_publication_pages import parse_strict

CITATION = REPO / "tests" / "submissions" / "citation.ttl"
URL = "https://example.org/wire/example-labs-model"


@pytest.fixture(scope="module")
def index(project) -> GraphIndex:
    from llmboom.rdf.loading import load_data, load_ontology

    cited = list(pyoxigraph.parse(path=str(CITATION), format=pyoxigraph.RdfFormat.TURTLE))
    return GraphIndex(load_data(project) + cited, load_ontology(project))


def test_a_citation_has_its_link_publisher_and_date(index) -> None:
    citation = citation_of(index, pyoxigraph.NamedNode(LBR + "example-wire-report"), Links())
    assert (citation.url.href, citation.url.text) == (URL, "Example Labs unveils a model")
    assert citation.publisher.href == "./36kr.html"
    assert citation.date.text == "16 March 2023"
    held = citation_of(index, pyoxigraph.NamedNode(LBR + "article"), Links())
    # the article's text is held (its page is the source), and it links where it is published
    assert held.source.href == "./article.html"
    assert held.url is not None and held.url.href.startswith("https://pandaily.com/")
    assert held.publisher is not None and held.publisher.href == "./pandaily.html"


def test_a_fact_citing_a_report_shows_the_summary_and_the_citation(index) -> None:
    tree = parse_strict(render_resource_page(index, LBR + "example-labs", jsonld="{}"))
    rows = [r for r in tree.iter("tr") if r.get("class") == "fact"]
    row = next(r for r in rows if "announced model" in " ".join(r.itertext()))
    assert not [q for q in row.iter("blockquote")]  # a summary is not shown as a quote
    summary = next(p for p in row.iter("p") if p.get("class") == "summary")
    assert "Example Labs showed its model" in "".join(summary.itertext())
    assert "(paragraph 1)" in "".join(summary.itertext())
    link = next(a for a in row.iter("a") if a.get("class") == "external")
    assert link.get("href") == URL
    cited = "".join(next(s for s in row.iter("span") if s.get("class") == "citation").itertext())
    assert "16 March 2023" in cited and link.text in cited


def test_a_record_page_shows_its_summary_and_citation(index) -> None:
    html = render_resource_page(index, LBR + "s-example-labs-announced-model", jsonld="{}")
    tree = parse_strict(html)
    assert [a.get("href") for a in tree.iter("a") if a.get("class") == "external"] == [URL]
    assert any(p.get("class") == "summary" for p in tree.iter("p"))


def test_a_link_out_is_shown_as_a_link(index) -> None:
    tree = parse_strict(render_resource_page(index, LBR + "example-labs", jsonld="{}"))
    hrefs = {a.get("href") for a in tree.iter("a")}
    assert "http://www.wikidata.org/entity/Q4115189" in hrefs
