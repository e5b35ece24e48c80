"""`llmboom serve` in a real browser (headless Chromium): the home page, a resource page with
its quotes, attributions and neighbours' links, and the query page running a named query.
A screenshot of each is kept in the test's temporary folder."""

from __future__ import annotations

import json
import urllib.parse
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from tests.browser import TIMEOUT, browser_or_skip, chromium

pytestmark = pytest.mark.external

if TYPE_CHECKING:
    from selenium.webdriver.remote.webdriver import WebDriver


@pytest.fixture(scope="module")
def driver() -> Iterator[WebDriver]:
    browser_or_skip()
    with chromium() as browser:
        yield browser


def by_css(driver: WebDriver, selector: str) -> list:
    from selenium.webdriver.common.by import By

    return driver.find_elements(By.CSS_SELECTOR, selector)


def wait_for(driver: WebDriver, selector: str):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    locator = (By.CSS_SELECTOR, selector)
    return WebDriverWait(driver, TIMEOUT).until(
        expected_conditions.presence_of_element_located(locator)
    )


def test_home_page(driver, web_server, tmp_path):
    driver.get(web_server.url + "/")
    assert driver.find_element("css selector", "h1").text
    license_link = by_css(driver, 'a[rel="license"]')
    assert license_link and license_link[0].get_attribute("href").startswith("http")
    query = wait_for(driver, "#query")
    assert query.is_displayed()
    endpoint = by_css(driver, 'a[href$="/sparql"]')
    assert endpoint and endpoint[0].is_displayed()
    driver.save_screenshot(str(tmp_path / "home.png"))
    index = by_css(driver, "li.class a.class-index")[0]
    index_url = index.get_attribute("href")
    index.click()
    wait_for(driver, "ul.members")
    assert driver.current_url == index_url
    first = by_css(driver, "ul.members li a")[0]
    target = first.get_attribute("href")
    first.click()
    wait_for(driver, "h1")
    assert driver.current_url == target
    assert "/id/" in target


def test_the_served_timeline_lists_2023_in_order_and_filters(driver, web_server):
    driver.get(web_server.url + "/")
    by_css(driver, "#timeline-link")[0].click()
    wait_for(driver, "#timeline-filter")
    assert driver.current_url == web_server.url + "/timeline"
    in_2023 = [li.get_attribute("data-date") for li in by_css(driver, "#year-2023 li.event")]
    assert len(in_2023) > 1 and in_2023 == sorted(in_2023)
    total = len(by_css(driver, "li.event"))
    field = by_css(driver, 'input[name="organization"]')[0]
    field.send_keys("baidu")
    field.submit()
    wait_for(driver, "#timeline-count")
    assert "organization=baidu" in driver.current_url
    shown = by_css(driver, "li.event")
    assert shown and len(shown) < total
    assert all("Baidu" in li.text for li in shown)


def test_resource_page_shows_quotes_attributions_and_neighbours(driver, web_server, tmp_path):
    driver.get(web_server.url + "/id/bytedance-language-model-team")
    assert "language model team" in driver.find_element("css selector", "h1").text.lower()
    quotes = by_css(driver, "#facts blockquote.quote")
    assert quotes and all(q.is_displayed() and q.text for q in quotes)
    attributions = by_css(driver, "#facts .attr")
    assert any("familiar with the matter" in a.text for a in attributions)
    assert by_css(driver, "#facts .anon")  # anonymous sources are marked
    driver.save_screenshot(str(tmp_path / "resource.png"))
    neighbour = next(
        a
        for a in by_css(driver, "#facts td a")
        if a.get_attribute("href").startswith(web_server.url + "/id/")
    )
    href = neighbour.get_attribute("href")
    neighbour.click()
    wait_for(driver, "#facts, #referenced-by")
    assert driver.current_url == href
    assert driver.find_element("css selector", "h1").text


def test_query_page_runs_a_named_query(driver, web_server, tmp_path):
    driver.get(web_server.url + "/sparql")
    examples = by_css(driver, "a.example")
    assert len(examples) >= 8
    example = next(a for a in examples if a.get_attribute("data-name") == "reporting-chain")
    example.click()
    table = wait_for(driver, "table#results")
    assert driver.current_url == web_server.url + "/queries/reporting-chain"
    cells = [td.text for td in table.find_elements("css selector", "tbody tr td")]
    assert any(cell.startswith("Zhu Wenjia") for cell in cells)
    header = [th.text for th in table.find_elements("css selector", "thead th")]
    assert header == ["person", "member", "memberLabel", "depth"]
    # the parameter's field: another person, run with the button
    field = driver.find_element("css selector", "input#param-person")
    assert field.get_attribute("value") == "shouzi-chew"
    field.clear()
    field.send_keys("zhu-wenjia")
    driver.find_element("css selector", "#run").click()
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.wait import WebDriverWait

    WebDriverWait(driver, 10).until(expected_conditions.url_contains("person=zhu-wenjia"))
    wait_for(driver, "#row-count")
    sent = urllib.parse.urlsplit(driver.current_url)
    assert sent.path == "/queries/reporting-chain"
    assert urllib.parse.parse_qs(sent.query) == {"person": ["zhu-wenjia"]}  # as-of left empty
    download = next(a for a in by_css(driver, "#downloads a") if a.text == "JSON").get_attribute(
        "href"
    )
    members = json.loads(web_server.request(download.removeprefix(web_server.url)).body)
    rows = len(members["results"]["bindings"])
    assert rows > 1
    assert driver.find_element("css selector", "#row-count").text == f"{rows} rows"
    driver.save_screenshot(str(tmp_path / "query-named.png"))
    # the query's own text, from the query page, typed over and run with the button
    driver.get(web_server.url + "/sparql")
    textarea = driver.find_element("css selector", "textarea#query")
    own_query = "SELECT ?team WHERE { ?team a lbo:Team } ORDER BY ?team"
    textarea.clear()
    textarea.send_keys(own_query)
    driver.find_element("css selector", "#run").click()
    wait_for(driver, "#row-count")
    # as many rows as the protocol endpoint answers for the same query
    answer = web_server.request(
        "/sparql?" + urllib.parse.urlencode({"query": own_query}),
        headers={"Accept": "application/sparql-results+json"},
    )
    teams = json.loads(answer.body)["results"]["bindings"]
    assert len(teams) > 1
    assert driver.find_element("css selector", "#row-count").text == f"{len(teams)} rows"
    link = by_css(driver, "table#results tbody a")[0]
    assert link.get_attribute("href").startswith(web_server.url + "/id/")
    driver.save_screenshot(str(tmp_path / "query-typed.png"))


def test_query_page_shows_errors(driver, web_server):
    driver.get(web_server.url + "/sparql?query=SELECT+%3Fx+WHERE+%7B")
    error = wait_for(driver, "#error")
    assert "query:1:" in error.text
