"""The published pages in a real browser (headless Chromium), served over real HTTP: links
lead where they say, quotes and anonymous sources show, the embedded JSON-LD parses, and no
relative link is broken."""

from __future__ import annotations

import urllib.error
import urllib.request
from collections import defaultdict
from collections.abc import Iterator
from typing import TYPE_CHECKING
from urllib.parse import urldefrag

import pytest

from llmboom.dataset import Dataset
from llmboom.namespaces import LBR, RDFS
from llmboom.publication import build
from tests.browser import TIMEOUT, browser_or_skip, chromium, serve_folder

pytestmark = pytest.mark.external

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver

#: Pages whose links are all followed.
LINK_CHECKED_PAGES = (
    "index.html",
    "ontology.html",
    "id/zhu-wenjia.html",
    "id/bytedance-language-model-team.html",
    "id/s-zhu-wenjia-reports-to-shouzi-chew.html",
    "id/attribution-person-familiar-with-the-matter.html",
)


@pytest.fixture(scope="module")
def driver() -> Iterator[WebDriver]:
    browser_or_skip()
    with chromium() as browser:
        yield browser


@pytest.fixture(scope="module")
def site(driver, project, tmp_path_factory) -> Iterator[str]:
    """The publication, built once, served over HTTP: its base URL."""
    out = tmp_path_factory.mktemp("browser") / "dist"
    build(project, out)
    with serve_folder(out) as base:
        yield base


def by_css(driver: WebDriver, selector: str) -> list:
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, selector)


def click_and_wait(driver: WebDriver, element, expected_url: str) -> None:
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    element.click()
    WebDriverWait(driver, TIMEOUT).until(expected_conditions.url_to_be(expected_url))


def status(url: str) -> int:
    """The HTTP status of GET `url`, ignoring any proxy settings (it is a local server)."""
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(url, timeout=TIMEOUT) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def test_landing_page_indexes_resources_that_link_to_their_pages(driver, site: str) -> None:
    driver.get(site + "index.html")
    classes = by_css(driver, "li.class a.class-index")
    assert len(classes) >= 5
    people = next(link for link in classes if link.get_attribute("href").endswith("Person.html"))
    click_and_wait(driver, people, site + "class-Person.html")
    links = by_css(driver, "ul.members li a")
    assert len(links) >= 5
    for link in links:
        assert link.get_attribute("href").startswith(site + "id/")
        assert link.is_displayed()
    chosen = next(link for link in links if link.text == "Zhu Wenjia")
    click_and_wait(driver, chosen, site + "id/zhu-wenjia.html")
    assert by_css(driver, "h1")[0].text == "Zhu Wenjia"


def shown_events(driver: WebDriver) -> list[tuple[str, str]]:
    """(date, text) of every event the timeline page shows, top to bottom."""
    return [
        (li.get_attribute("data-date"), li.text)
        for li in by_css(driver, "li.event")
        if li.is_displayed()
    ]


def test_the_timeline_lists_the_events_of_2023_in_order(driver, site: str, project) -> None:
    from llmboom.history.timeline import timeline_events
    from llmboom.store.embedded import EmbeddedStore

    store = EmbeddedStore.in_memory(project).oxigraph
    expected = [e for e in timeline_events(store, project) if e.year == "2023"]
    assert len(expected) > 1  # an order to check
    driver.get(site + "index.html")
    click_and_wait(driver, by_css(driver, "#timeline-link")[0], site + "timeline.html")
    # the events of 2023 may span pages of the timeline (200 events a page): walk them all
    in_2023: list[tuple[str, list[str], bool, str]] = []  # (date, records, shown, text)
    every: list[str] = []
    while True:
        for li in by_css(driver, "#year-2023 li.event"):
            records = li.get_attribute("data-records").split()
            in_2023.append((li.get_attribute("data-date"), records, li.is_displayed(), li.text))
        every += [date for date, _ in shown_events(driver)]
        later = by_css(driver, "nav.pages a[rel=next]")
        if not later:
            break
        click_and_wait(driver, later[0], site + later[0].get_attribute("href").rsplit("/", 1)[-1])
    dates = [date for date, _, _, _ in in_2023]
    assert len(dates) > 1 and dates == sorted(dates)  # a year before its months, …
    assert set(dates) == {e.date for e in expected}
    shown = {r for _, records, _, _ in in_2023 for r in records}
    assert shown == {e.record for e in expected}  # every event of 2023, each in its place
    for event in expected:  # (a record may date its fact and its value: two events)
        _, _, displayed, text = next(
            item for item in in_2023 if event.record in item[1] and item[0] == event.date
        )
        assert displayed
        assert event.subject_label in text and event.event in text
    assert every == sorted(every)  # the whole timeline in date order, page after page


def test_the_static_timeline_filters_by_organization(driver, site: str) -> None:
    driver.get(site + "timeline.html?organization=baidu")
    shown = shown_events(driver)
    assert shown and all("Baidu" in text for _, text in shown)
    assert len(shown) < len(by_css(driver, "li.event"))  # the others are hidden


def test_resource_page_quotes_links_and_json_ld(driver, site: str, project) -> None:
    page = site + "id/zhu-wenjia.html"
    driver.get(page)
    rows = by_css(driver, "tr.fact")  # its own facts, then the facts that point at it
    assert len(rows) >= 5
    assert len(by_css(driver, "#facts tr.fact")) >= 2
    for row in rows:  # a quote, or a summary of a source whose text the project lacks
        quotes = row.find_elements("css selector", "blockquote.quote, p.summary")
        assert quotes, row.text
        assert all(q.is_displayed() and q.text.strip() for q in quotes), row.text
    data = driver.execute_script(
        """
        const script = document.querySelector('script[type="application/ld+json"]');
        const doc = JSON.parse(script.textContent);
        const context = doc['@context'];
        const expand = (id) => {
          const [prefix, ...rest] = id.split(':');
          return rest.length && typeof context[prefix] === 'string'
            ? context[prefix] + rest.join(':') : id;
        };
        return (doc['@graph'] || [doc]).map((node) =>
          ({id: expand(node.id || node['@id']), label: node.label || null}));
        """
    )
    nodes = {node["id"]: node for node in data}
    # a language map of his names, as the data holds them
    names = {
        q.object.language: q.object.value
        for q in Dataset(project).quads()
        if q.subject.value == LBR + "zhu-wenjia" and q.predicate.value == RDFS + "label"
    }
    assert names["en"] == "Zhu Wenjia" and len(names) > 1
    assert nodes[LBR + "zhu-wenjia"]["label"] == names
    # his reporting lines (the article's to Shouzi Chew, later reports' to others): follow
    # the article's
    bosses = [
        row.find_elements("css selector", "td")[1].find_element("css selector", "a")
        for row in by_css(driver, "#facts tr.fact")
        if row.find_elements("css selector", "td")[0].text == "reports to"
    ]
    target = next(a for a in bosses if a.get_attribute("href").endswith("/shouzi-chew.html"))
    click_and_wait(driver, target, site + "id/shouzi-chew.html")
    assert by_css(driver, "h1")[0].text == "Shouzi Chew"


def test_anonymous_sources_are_visibly_marked(driver, site: str) -> None:
    driver.get(site + "id/bytedance-language-model-team.html")
    rows = [r for r in by_css(driver, "tr.fact") if "a person familiar with the matter" in r.text]
    assert rows
    for row in rows:
        badges = row.find_elements("css selector", ".anon")
        assert badges, row.text
        badge = badges[0]
        assert badge.is_displayed()
        assert badge.text == "anonymous"
        assert badge.value_of_css_property("background-color") not in ("", "rgba(0, 0, 0, 0)")


def test_an_ontology_fragment_lands_on_its_term(driver, site: str) -> None:
    driver.get(site + "ontology.html#OrganizationalUnit")
    sections = by_css(driver, "#OrganizationalUnit")
    assert len(sections) == 1
    assert sections[0].is_displayed()
    top, height = driver.execute_script(
        "const r = document.getElementById('OrganizationalUnit').getBoundingClientRect();"
        "return [r.top, window.innerHeight];"
    )
    # -1: the scroll position may land a fraction of a pixel past the element's top edge
    assert -1 < top < height, "the browser scrolled to the term"


def test_no_relative_link_is_broken(driver, site: str) -> None:
    fragments: dict[str, set[str]] = defaultdict(set)
    targets: set[str] = set()
    for page in LINK_CHECKED_PAGES:
        driver.get(site + page)
        hrefs = driver.execute_script(
            "return Array.from(document.querySelectorAll('a[href]'), (a) => a.href);"
        )
        local = [h for h in hrefs if h.startswith(site)]
        assert local, page
        for href in local:
            url, fragment = urldefrag(href)
            targets.add(url)
            if fragment:
                fragments[url].add(fragment)
    assert len(targets) > 50
    broken = sorted(url for url in targets if status(url) != 200)
    assert broken == []
    assert site + "ontology.html" in fragments
    for url, ids in sorted(fragments.items()):
        driver.get(url)
        missing = driver.execute_script(
            "return arguments[0].filter((id) => !document.getElementById(id));", sorted(ids)
        )
        assert missing == [], f"{url} has no element with these ids"


def test_the_server_really_answers_404(site: str) -> None:
    """The link check can fail: a missing file is not a 200."""
    assert status(site + "id/no-such-resource.html") == 404
    assert status(site + "index.html") == 200


def test_a_persons_positions_are_a_dated_timeline_in_order(driver, site: str, tmp_path) -> None:
    driver.get(site + "id/zhu-wenjia.html")
    entries = by_css(driver, "#timeline li.position")
    assert len(entries) >= 5 and all(e.is_displayed() for e in entries)
    texts = [e.text for e in entries]
    # the article's five positions, in this order among those of the later reports
    expected = [
        ("Baidu search department", "chief architect", "former"),
        ("2015", "Toutiao", "former"),
        ("2019 \u2013 February 2021", "CEO", "former"),
        ("February 2021", "technical director", "former"),
        ("head of product technology", "TikTok", "current"),
    ]
    matched, start = [], 0
    for words in expected:
        later = [i for i in range(start, len(texts)) if all(w in texts[i] for w in words)]
        assert later, (words, texts[start:])
        matched.append(later[0])
        start = later[0] + 1
    dates = [e.find_elements("css selector", "time") for e in entries]
    assert [t.get_attribute("datetime") for t in dates[matched[2]]] == ["2019", "2021-02"]
    driver.save_screenshot(str(tmp_path / "zhu-wenjia-timeline.png"))
    assert (tmp_path / "zhu-wenjia-timeline.png").stat().st_size > 1000


def _svg_node(driver: WebDriver, slug: str):
    """The box of `slug` in the page's chart (Graphviz titles each node with its name)."""
    return next(
        node for node in by_css(driver, "#chart svg g.node")
        if node.find_element("css selector", "title").get_attribute("textContent") == slug
    )  # fmt: skip


def test_an_organizations_chart_shows_its_teams_heads_and_links(
    driver, site: str, tmp_path
) -> None:
    from tests.conftest import dot_or_skip

    dot_or_skip()
    driver.get(site + "id/bytedance.html")
    edges = {
        e.find_element("css selector", "title").get_attribute("textContent")
        for e in by_css(driver, "#chart svg g.edge")
    }
    for edge in (
        "bytedance-search-department->bytedance-language-model-team",
        "bytedance-intelligent-creation-team->bytedance-image-model-team",
        "bytedance-language-model-team->head-of-bytedance-language-model-team",
        "bytedance-image-model-team->head-of-bytedance-image-model-team",
        "zhu-wenjia->head-of-bytedance-language-model-team",
        "zhu-wenjia->head-of-bytedance-image-model-team",
    ):
        assert edge in edges
    team = _svg_node(driver, "bytedance-language-model-team")
    unit = _svg_node(driver, "bytedance-search-department")
    assert team.is_displayed() and unit.is_displayed()
    assert team.location["y"] > unit.location["y"], "the team is drawn under its unit"
    dashed = by_css(driver, "#chart svg g.edge path[stroke-dasharray]")
    assert dashed, "edges resting only on anonymous sources are dashed"
    download = by_css(driver, "a[href='./bytedance.svg']")
    assert download and download[0].get_attribute("download") is not None
    assert status(site + "id/bytedance.svg") == 200
    driver.save_screenshot(str(tmp_path / "bytedance-chart.png"))
    link = team.find_element("css selector", "a")
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", link)
    click_and_wait(driver, link, site + "id/bytedance-language-model-team.html")
    assert by_css(driver, "h1")[0].text == "ByteDance language model team"


def _search(driver: WebDriver, words: str) -> list:
    from selenium.webdriver.support.ui import WebDriverWait

    box = by_css(driver, "#search-input")[0]
    box.clear()
    box.send_keys(words)
    WebDriverWait(driver, TIMEOUT).until(lambda d: by_css(d, "#search-results li"))
    return by_css(driver, "#search-results a")


def test_the_search_box_finds_names_without_a_server(driver, site: str, tmp_path) -> None:
    driver.get(site + "index.html")
    found = {a.text: a.get_attribute("href") for a in _search(driver, "volcano")}
    assert found["Volcano Engine"] == site + "id/volcano-engine.html"
    driver.save_screenshot(str(tmp_path / "search-volcano.png"))
    driver.get(site + "id/bytedance.html")  # every page has the box, links from its folder
    hits = _search(driver, "zhu")
    assert hits[0].text == "Zhu Wenjia"
    driver.save_screenshot(str(tmp_path / "search-zhu.png"))
    click_and_wait(driver, hits[0], site + "id/zhu-wenjia.html")
    assert by_css(driver, "h1")[0].text == "Zhu Wenjia"
