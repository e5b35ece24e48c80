"""The readable parts of resource pages: timelines, organizations, statement titles, dates."""

from __future__ import annotations

import pytest

from llmboom.namespaces import LBR
from llmboom.publication.graph_index import GraphIndex
from llmboom.publication.html_layout import Links, date_in_words, literal_term
from llmboom.publication.page_sections import organization_view, statement_title, timeline
from llmboom.publication.resource_pages import render_resource_page
from tests.test_publication_pages import parse_strict


@pytest.fixture(scope="module")
def index(project, article_quads) -> GraphIndex:
    """The article's facts: the expected sections are read off the article."""
    from llmboom.rdf.loading import load_ontology

    return GraphIndex(article_quads, load_ontology(project))


@pytest.mark.parametrize(
    ("value", "words"),
    [
        ("2021-02", "February 2021"),
        ("2023-02-23", "23 February 2023"),
        ("2015", "2015"),
        ("2021-13", None),
        ("Feb 2021", None),
    ],
)
def test_dates_in_words(value: str, words: str | None) -> None:
    assert date_in_words(value) == words


def test_a_date_literal_is_shown_in_words_with_its_value_kept() -> None:
    term = literal_term("2021-02", datatype="http://www.w3.org/2001/XMLSchema#gYearMonth")
    assert (term.text, term.datetime, term.datatype) == ("February 2021", "2021-02", None)
    tagged = literal_term("CEO", language="en")
    assert (tagged.text, tagged.language) == ("CEO", "en")


def test_zhu_wenjias_timeline_is_in_order_with_dates_and_status(index) -> None:
    entries = timeline(index, LBR + "zhu-wenjia", Links())
    assert [e.position.href for e in entries] == [
        "./zhu-wenjia-baidu-chief-architect.html",
        "./zhu-wenjia-toutiao.html",
        "./zhu-wenjia-toutiao-ceo.html",
        "./zhu-wenjia-tiktok-technical-director.html",
        "./zhu-wenjia-tiktok-head-of-product-technology.html",
    ]
    assert [e.start.text if e.start else None for e in entries] == [
        None, "2015", "2019", "February 2021", None,
    ]  # fmt: skip
    assert entries[2].end.text == "February 2021"
    assert [e.status for e in entries] == ["former"] * 4 + ["current"]


def test_an_organization_shows_its_units_people_and_models(index) -> None:
    bytedance = organization_view(index, LBR + "bytedance", Links())
    parts = {heading: [t.text for t in terms] for heading, terms in bytedance.parts}
    assert "ByteDance search department" in parts["Units"]
    assert parts["Owns"] == ["Douyin", "TikTok", "Toutiao", "Volcano Engine"]
    assert "ByteDance's large language model" in [m.text for m in bytedance.models]
    tiktok = organization_view(index, LBR + "tiktok", Links())
    people = {(m.person.text, m.role, m.status) for m in tiktok.people}
    assert ("Zhu Wenjia", "head of product technology", "current") in people
    assert ("Zhu Wenjia", "technical director", "former") in people
    assert not organization_view(index, LBR + "zhu-wenjia", Links())


def test_a_statement_record_is_titled_by_its_fact(index) -> None:
    record = LBR + "s-zhu-wenjia-reports-to-shouzi-chew"
    assert statement_title(index, record) == "Zhu Wenjia reports to Shouzi Chew"
    html = render_resource_page(index, record, jsonld="{}")
    assert next(parse_strict(html).iter("h1")).text == "Zhu Wenjia reports to Shouzi Chew"
    assert statement_title(index, LBR + "zhu-wenjia") is None


def test_person_page_lists_positions_before_the_facts(index) -> None:
    html = render_resource_page(index, LBR + "zhu-wenjia", jsonld="{}")
    tree = parse_strict(html)
    items = [li for li in tree.iter("li") if "position" in (li.get("class") or "")]
    assert len(items) == 5
    assert html.index('id="timeline"') < html.index('id="facts"')
