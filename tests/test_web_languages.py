"""Pages by language over HTTP: `/id/bytedance` names ByteDance in the language asked for
(`Accept-Language`, `?lang=`), with its English name beside.

The Chinese names come from the dataset when it has them (the research data); until then
from a fixture submission (tests/shapes/valid/labels-in-chinese.ttl, a fixture source, not
a real one) applied with `llmboom submit --apply` to a copy of the project."""

from __future__ import annotations

import html5lib
import pytest

from llmboom.namespaces import LBR, RDFS
from tests.conftest import REPO

FIXTURE = REPO / "tests" / "shapes" / "valid" / "labels-in-chinese.ttl"


def _has_chinese_name(data_quads) -> bool:
    return any(
        q.subject.value == LBR + "bytedance"
        and q.predicate.value == RDFS + "label"
        and (getattr(q.object, "language", "") or "").lower() == "zh-hans"
        for q in data_quads
    )


@pytest.fixture(scope="module")
def server(tmp_path_factory, data_quads):
    from click.testing import CliRunner

    from llmboom.cli import cli
    from tests.submission_support import copy_project
    from tests.web_server import running_server

    if _has_chinese_name(data_quads):
        root = REPO
    else:
        root = copy_project(tmp_path_factory.mktemp("names") / "project")
        applied = CliRunner().invoke(
            cli, ["--root", str(root), "submit", str(FIXTURE), "--apply", "--submitter", "fixture"]
        )
        assert applied.exit_code == 0, applied.output
    with running_server(root=root) as running:
        yield running


def _page(server, path: str, **headers: str):
    reply = server.request(path, headers={"Accept": "text/html", **headers})
    assert reply.status == 200, reply.text
    return reply, html5lib.parse(reply.text, namespaceHTMLElements=False)


def test_accept_language_zh_cn_names_bytedance_in_simplified_chinese(server) -> None:
    reply, page = _page(server, "/id/bytedance", **{"Accept-Language": "zh-CN,zh;q=0.9,en;q=0.8"})
    heading = page.find(".//h1")
    assert heading.text == "字节跳动"
    assert heading.get("lang") == "zh-Hans"
    assert page.find(".//p[@id='english-name']").text == "ByteDance"
    assert reply.headers["content-language"] == "zh-Hans"
    assert "Accept-Language" in reply.headers["vary"]


def test_lang_parameter_wins_and_the_switch_links_every_language(server) -> None:
    _, page = _page(server, "/id/bytedance?lang=zh-Hant", **{"Accept-Language": "zh-CN"})
    assert page.find(".//h1").text == "字節跳動"
    switch = page.find(".//p[@id='languages']")
    links = {a.get("hreflang"): a.get("href") for a in switch.iter("a")}
    assert links == {"en": "/id/bytedance?lang=en", "zh-Hans": "/id/bytedance?lang=zh-Hans"}


def test_without_a_preference_the_page_is_english_and_lists_every_name(server) -> None:
    reply, page = _page(server, "/id/bytedance")
    assert page.find(".//h1").text == "ByteDance"
    assert page.find(".//p[@id='english-name']") is None
    assert reply.headers["content-language"] == "en"
    names = {
        row.find("td").text: row.find("td[3]")
        for row in page.find(".//table[@id='names']").iter("tr")
        if row.find("td") is not None
    }
    assert {"ByteDance", "字节跳动", "字節跳動"} <= names.keys()
    statement_links = [a.get("href") for a in names["字节跳动"].iter("a") if a.text == "statement"]
    assert len(statement_links) == 1


def test_rdf_documents_do_not_vary_by_language(server) -> None:
    plain = server.request("/id/bytedance", headers={"Accept": "text/turtle"})
    chinese = server.request(
        "/id/bytedance", headers={"Accept": "text/turtle", "Accept-Language": "zh-CN"}
    )
    assert plain.body == chinese.body
    assert "content-language" not in chinese.headers


@pytest.mark.external
def test_in_a_browser_the_switch_and_the_search_know_every_name(server, tmp_path) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    from tests.browser import TIMEOUT, browser_or_skip, chromium

    browser_or_skip()
    with chromium() as driver:
        driver.get(server.url + "/id/bytedance")
        assert driver.find_element(By.CSS_SELECTOR, "h1").text == "ByteDance"
        driver.find_element(By.CSS_SELECTOR, '#languages a[hreflang="zh-Hans"]').click()
        WebDriverWait(driver, TIMEOUT).until(
            lambda d: d.find_element(By.CSS_SELECTOR, "h1").text == "字节跳动"
        )
        assert driver.find_element(By.CSS_SELECTOR, "#english-name").text == "ByteDance"
        driver.save_screenshot(str(tmp_path / "bytedance-zh-hans.png"))
        box = driver.find_element(By.CSS_SELECTOR, "#search-input")
        box.send_keys("字節")
        WebDriverWait(driver, TIMEOUT).until(
            lambda d: d.find_elements(By.CSS_SELECTOR, "#search-results li")
        )
        (hit,) = driver.find_elements(By.CSS_SELECTOR, "#search-results li")
        assert hit.find_element(By.CSS_SELECTOR, "a").text == "ByteDance"
        assert hit.find_element(By.CSS_SELECTOR, ".other-name").text == "(字節跳動)"
