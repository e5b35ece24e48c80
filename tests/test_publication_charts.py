"""Charts drawn by Graphviz: what they contain (pure), that dot draws them deterministically,
and that hostile labels stay text."""

from __future__ import annotations

import pyoxigraph
import pytest

from llmboom.namespaces import LBO, LBR, RDF, RDFS
from llmboom.publication.charts import (
    chart_source,
    inline_svg,
    organization_chart,
    render_svg,
    reporting_chain,
)
from llmboom.publication.graph_index import GraphIndex
from llmboom.publication.html_layout import Links
from tests.conftest import dot_or_skip


@pytest.fixture(scope="module")
def index(project, article_quads) -> GraphIndex:
    """The article's facts: the expected charts are read off the article."""
    from llmboom.rdf.loading import load_ontology

    return GraphIndex(article_quads, load_ontology(project))


def slugs(edges) -> set[tuple[str, str, str, bool]]:
    return {(a[len(LBR) :], b[len(LBR) :], label, anon) for a, b, label, anon in edges}


def test_bytedances_chart_has_its_teams_heads_and_reporting_lines(index) -> None:
    chart = organization_chart(index, LBR + "bytedance")
    edges = slugs(chart.edges)
    assert ("bytedance-search-department", "bytedance-language-model-team", "leads", True) in edges
    assert ("bytedance-language-model-team", "head-of-bytedance-language-model-team", "head",
            False) in edges  # fmt: skip
    assert ("zhu-wenjia", "head-of-bytedance-image-model-team", "reports to", False) in edges
    assert ("bytedance", "tiktok", "owns", False) in edges
    assert ("bytedance", "volcano-engine", "owns", True) in edges  # anonymous only
    held = {(a, b) for a, b, label, _ in edges if label == "technical director"}
    assert not held, "former positions are not in the chart"


def test_a_reporting_chain_goes_up_and_down(index) -> None:
    chart = reporting_chain(index, LBR + "zhu-wenjia")
    assert slugs(chart.edges) == {
        ("shouzi-chew", "zhu-wenjia", "reports to", False),
        ("zhu-wenjia", "head-of-bytedance-image-model-team", "reports to", False),
        ("zhu-wenjia", "head-of-bytedance-language-model-team", "reports to", False),
    }
    assert reporting_chain(index, LBR + "openai") is None
    assert organization_chart(index, LBR + "zhu-wenjia") is None


def test_dot_draws_the_same_svg_twice_with_a_link_per_box(index) -> None:
    dot_or_skip()
    source = chart_source(index, organization_chart(index, LBR + "bytedance"), Links())
    first, second = render_svg(source), render_svg(source)
    assert first == second
    assert 'xlink:href="./bytedance-language-model-team.html"' in first
    element = inline_svg(first)
    assert element.startswith("<svg") and "<!--" not in element and "<?xml" not in element


def test_hostile_labels_stay_text_in_the_chart() -> None:
    dot_or_skip()
    n = pyoxigraph.NamedNode
    hostile = '"];</title><script>alert(1)</script>\\N'
    quads = [
        pyoxigraph.Quad(n(LBR + "a"), n(LBO + "reportsTo"), n(LBR + "b")),
        pyoxigraph.Quad(n(LBR + "a"), n(RDFS + "label"), pyoxigraph.Literal(hostile)),
        pyoxigraph.Quad(n(LBR + "a"), n(RDF + "type"), n(LBO + "Person")),
    ]
    index = GraphIndex(quads)
    svg = render_svg(chart_source(index, reporting_chain(index, LBR + "a"), Links()))
    assert "<script" not in svg
    assert "&lt;script&gt;" in svg
