"""`GET /timeline` on a real server: the events in date order, filtered by organization
and person, paged; a bad filter is 400."""

from __future__ import annotations

import html
import re

from tests.test_publication_pages import parse_strict


def events(reply) -> list[tuple[str, str]]:
    page = parse_strict(reply.body)
    return [
        (li.get("data-date"), li.get("data-records"))
        for li in page.iter("li")
        if li.get("class") == "event"
    ]


def test_the_timeline_page_lists_events_in_date_order(web_server):
    reply = web_server.request("/timeline", headers={"Accept": "text/html"})
    assert reply.status == 200 and reply.media_type == "text/html"
    shown = events(reply)
    assert len(shown) > 3
    assert [date for date, _ in shown] == sorted(date for date, _ in shown)
    assert "etag" in reply.headers
    home = web_server.request("/", headers={"Accept": "text/html"}).text
    assert 'href="/timeline"' in home and 'class="latest-events"' in home


def test_filters_by_organization_and_person(web_server, project):
    from llmboom.history.timeline import timeline_events
    from llmboom.namespaces import LBR
    from llmboom.store.embedded import EmbeddedStore

    def records(path: str) -> set[str]:
        """The records of every page from `path` on, following the "later events" links."""
        found: set[str] = set()
        for _ in range(100):
            reply = web_server.request(path, headers={"Accept": "text/html"})
            found |= {r for _, records in events(reply) for r in records.split()}
            following = re.search(r'<a rel="next" href="([^"]+)"', reply.text)
            if following is None:
                return found
            path = html.unescape(following.group(1))
        raise AssertionError(f"more than 100 pages from {path}")

    every = timeline_events(EmbeddedStore.in_memory(project).oxigraph, project)
    assert records("/timeline") == {e.record for e in every}
    for query, slug in (("organization=baidu", "baidu"), ("person=zhu-wenjia", "zhu-wenjia")):
        kept = records(f"/timeline?{query}")
        assert kept and len(kept) < len(every)
        assert kept == {e.record for e in every if LBR + slug in e.parties}


def test_a_bad_filter_or_page_is_400(web_server):
    assert web_server.request("/timeline?organization=no%20such%3E").status == 400
    assert web_server.request("/timeline?page=x").status == 400


def test_class_index_pages_are_served_and_linked_from_home(web_server):
    home = web_server.request("/").text
    hrefs = re.findall(r'class="class-index" href="([^"]+)"', home)
    assert hrefs
    page = web_server.request("/" + hrefs[0])
    assert page.status == 200 and 'class="members"' in page.text
