"""`index.html`, the landing page: metadata, the downloads exactly as void.ttl states them,
every resource indexed by class on pages linked from it, the latest events and the records
per source, links that resolve; and void.ttl names it as landing page."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pyoxigraph
import pytest
import rdflib
from rdflib import RDF, URIRef

from llmboom.history.timeline import TimelineEvent
from llmboom.namespaces import DATASET_IRI, LBO, LBR, RDFS
from llmboom.publication import build
from llmboom.publication.class_index import PAGE_SIZE, class_index_pages
from llmboom.publication.graph_index import GraphIndex
from llmboom.publication.landing_page import landing_links, render_landing_page
from llmboom.publication.metadata import DatasetMetadata, load_metadata
from llmboom.publication.void import Distribution
from tests.test_publication_build import copy_project
from tests.test_publication_pages import parse_strict

DCAT = rdflib.Namespace("http://www.w3.org/ns/dcat#")
SPDX = rdflib.Namespace("http://spdx.org/rdf/terms#")
SITE = "https://w3id.org/llmboom/"
MEDIA = "https://www.iana.org/assignments/media-types/"


@pytest.fixture(scope="module")
def dist(project, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("landing") / "dist"
    summary = build(project, out)
    assert "index.html" in summary.files
    return out


@pytest.fixture(scope="module")
def landing(dist: Path):
    return parse_strict((dist / "index.html").read_bytes())


@pytest.fixture(scope="module")
def void(dist: Path) -> rdflib.Graph:
    return rdflib.Graph().parse(dist / "void.ttl", format="turtle")


def by_class(tree, tag: str, cls: str) -> list:
    return [e for e in tree.iter(tag) if cls in (e.get("class") or "").split()]


def by_id(tree, element_id: str):
    return next(e for e in tree.iter() if e.get("id") == element_id)


def text(element) -> str:
    return " ".join("".join(element.itertext()).split())


def test_the_metadata_comes_from_dataset_ttl(landing, project) -> None:
    metadata = load_metadata(project)
    assert text(next(landing.iter("title"))) == metadata.title
    assert text(next(landing.iter("h1"))) == metadata.title
    assert text(by_class(landing, "p", "description")[0]) == metadata.description
    facts = by_id(landing, "metadata")
    names = [text(dt) for dt in facts.iter("dt")]
    values = [dd for dd in facts.iter("dd")]
    shown = dict(zip(names, values, strict=True))
    assert text(shown["Version"]) == metadata.version
    assert next(shown["Issued"].iter("time")).get("datetime") == metadata.issued
    assert next(shown["License"].iter("a")).get("href") == metadata.license


def test_changed_metadata_changes_the_page(tmp_path: Path) -> None:
    copy = copy_project(tmp_path / "project")
    meta = copy.data_dir / "meta" / "dataset.ttl"
    source = meta.read_text(encoding="utf-8")
    meta.write_text(
        source.replace('owl:versionInfo "0.1.0"', 'owl:versionInfo "9.9.9"').replace(
            "dcterms:title \"llmboom: China's", "dcterms:title \"Renamed <b>&</b>: China's"
        ),
        encoding="utf-8",
    )
    build(copy, tmp_path / "dist")
    tree = parse_strict((tmp_path / "dist" / "index.html").read_bytes())
    assert text(next(tree.iter("h1"))).startswith("Renamed <b>&</b>: China's")
    assert not list(tree.iter("b")), "the title is escaped, not markup"
    assert "9.9.9" in text(by_id(tree, "metadata"))


def test_downloads_are_the_distributions_of_void_ttl(landing, void, dist: Path) -> None:
    rows = by_class(landing, "tr", "download")
    shown = {}
    for row in rows:
        cells = list(row.iter("td"))
        href = next(cells[0].iter("a")).get("href")
        shown[href] = {
            "format": text(cells[1]),
            "media_type": text(cells[2]),
            "bytes": int(next(cells[3].iter("data")).get("value")),
            "sha256": text(cells[4]),
        }
    assert len(shown) == len(rows), "one row per file"
    distributions = set(void.subjects(RDF.type, DCAT.Distribution))
    assert len(distributions) == len(rows) >= 13
    for distribution in distributions:
        path = str(void.value(distribution, DCAT.downloadURL))[len(SITE) :]
        row = shown[path]
        assert row["bytes"] == int(void.value(distribution, DCAT.byteSize)), path
        checksum = void.value(distribution, SPDX.checksum)
        assert row["sha256"] == str(void.value(checksum, SPDX.checksumValue)), path
        assert MEDIA + row["media_type"] == str(void.value(distribution, DCAT.mediaType)), path
        data = (dist / path).read_bytes()
        assert (row["bytes"], row["sha256"]) == (len(data), hashlib.sha256(data).hexdigest())
    formats = {path: row["format"] for path, row in shown.items()}
    assert formats["dataset.ttl"] == "Turtle"
    assert formats["ontology.rdf"] == "RDF/XML"
    assert formats["dataset.jsonld"] == "JSON-LD"


def test_void_names_the_page_as_landing_page_not_as_a_distribution(void) -> None:
    page = URIRef(SITE + "index.html")
    assert set(void.objects(URIRef(DATASET_IRI), DCAT.landingPage)) == {page}
    assert (None, DCAT.downloadURL, page) not in void
    assert (None, DCAT.accessURL, page) not in void


def test_it_links_the_ontology_page_and_void(landing) -> None:
    hrefs = {a.get("href") for a in landing.iter("a")}
    assert {"ontology.html", "void.ttl", "context.jsonld"} <= hrefs


def class_index(dist: Path, href: str) -> tuple[str, set[str], int]:
    """Follow a class's index from its first page through every "next" link: the class's
    link, every member linked, and the number of pages."""
    members: set[str] = set()
    pages = 0
    class_href = None
    while href:
        page = parse_strict((dist / href).read_bytes())
        heading = by_id(page, "class-heading")
        class_href = next(heading.iter("a")).get("href")
        listed = [a.get("href") for ul in by_class(page, "ul", "members") for a in ul.iter("a")]
        assert len(listed) <= PAGE_SIZE
        members |= set(listed)
        pages += 1
        href = next((a.get("href") for a in page.iter("a") if a.get("rel") == "next"), None)
    assert class_href is not None
    return class_href, members, pages


def test_every_resource_is_indexed_under_each_of_its_classes(landing, dist, data_graph) -> None:
    statements = set(data_graph.subjects(RDF.type, RDF.Statement))
    resources = {
        s
        for s in set(data_graph.subjects()) | set(data_graph.objects())
        if isinstance(s, URIRef) and str(s).startswith(LBR)
    }
    listed: dict[str, set[str]] = {}
    for item in by_class(landing, "li", "class"):
        index_link = next(a for a in item.iter("a") if a.get("class") == "class-index")
        class_href, members, _ = class_index(dist, index_link.get("href"))
        assert int(next(index_link.iter("data")).get("value")) == len(members)
        listed[class_href] = members
    expected: dict[str, set[str]] = {}
    for resource in resources - statements:
        href = f"id/{str(resource)[len(LBR) :]}.html"
        for cls in data_graph.objects(resource, RDF.type):
            assert str(cls).startswith(LBO), cls
            expected.setdefault(f"ontology.html#{str(cls)[len(LBO) :]}", set()).add(href)
    assert listed == expected
    every_link = {a.get("href") for a in landing.iter("a")}
    for record in statements:
        assert f"id/{str(record)[len(LBR) :]}.html" not in every_link
    resources_heading = text(by_id(landing, "resources"))
    assert resources_heading == f"Resources ({len(resources - statements)})"
    count = by_id(landing, "statement-records")
    assert int(next(count.iter("data")).get("value")) == len(statements) > 100


def test_a_long_class_index_is_paged_and_every_page_is_linked(tmp_path) -> None:
    n, literal = pyoxigraph.NamedNode, pyoxigraph.Literal
    quads = []
    for k in range(PAGE_SIZE * 2 + 5):
        iri = n(f"{LBR}person-{k:04d}")
        quads.append(pyoxigraph.Quad(iri, n(str(RDF.type)), n(LBO + "Person")))
        quads.append(pyoxigraph.Quad(iri, n(RDFS + "label"), literal(f"P {k:04d}", language="en")))
    pages = dict(class_index_pages(GraphIndex(quads, []), LBR, landing_links(LBR),
                                   footer=None, search_root=None))  # fmt: skip
    assert sorted(pages) == ["class-Person-2.html", "class-Person-3.html", "class-Person.html"]
    for name, html in pages.items():
        (tmp_path / name).write_text(html, encoding="utf-8")
    _, members, count = class_index(tmp_path, "class-Person.html")
    assert count == 3 and len(members) == PAGE_SIZE * 2 + 5


def test_the_latest_events_and_the_sources_are_shown(landing, project, dist) -> None:
    from llmboom.history.timeline import counts_by_source, timeline_events
    from llmboom.store.embedded import EmbeddedStore

    store = EmbeddedStore.in_memory(project).oxigraph
    events = timeline_events(store, project)
    shown = [text(li) for li in by_class(landing, "ol", "latest-events")[0].iter("li")]
    assert 0 < len(shown) <= 10
    newest = max(e.date for e in events)
    assert any(e.subject_label in shown[0] for e in events if e.date == newest)
    sources = counts_by_source(store)
    rows = by_class(landing, "tr", "source")
    assert len(rows) == len(sources) >= 1
    assert f"{sources[0].records:,}" in text(rows[0])  # thousands are grouped
    assert by_id(landing, "timeline-link").get("href") == "timeline.html"
    assert (dist / "timeline.html").is_file()


def test_links_on_the_landing_page_resolve(landing, dist: Path) -> None:
    ids = {e.get("id") for e in landing.iter() if e.get("id")}
    ontology_ids = {e.get("id") for e in parse_strict((dist / "ontology.html").read_bytes()).iter()}
    checked = 0
    for element in landing.iter():
        href = element.get("href") if element.tag in ("a", "link") else None
        if not href or href.startswith(("http:", "https:")):
            continue
        path, _, fragment = href.partition("#")
        assert not path or (dist / path).is_file(), href
        if fragment:
            assert fragment in (ontology_ids if path == "ontology.html" else ids), href
        checked += 1
    assert checked > 60


def test_resource_pages_link_back_to_the_landing_page(dist: Path) -> None:
    page = parse_strict((dist / "id" / "bytedance.html").read_bytes())
    footer = next(page.iter("footer"))
    assert "../index.html" in {a.get("href") for a in footer.iter("a")}


def test_render_is_pure_and_escapes_everything() -> None:
    n, literal = pyoxigraph.NamedNode, pyoxigraph.Literal
    hostile = '<script>alert("x")</script> & co'
    quads = [
        pyoxigraph.Quad(n(LBR + "x"), n(str(RDF.type)), n(LBO + "Person")),
        pyoxigraph.Quad(n(LBR + "x"), n(RDFS + "label"), literal(hostile, language="en")),
        pyoxigraph.Quad(n(LBR + "s-x"), n(str(RDF.type)), n(str(RDF.Statement))),
    ]
    metadata = DatasetMetadata(
        iri=DATASET_IRI,
        title=hostile,
        description=hostile,
        license="https://example.org/licence?a=1&b=2",
        version="1",
        issued="2020-01-01",
        example_resources=(),
        quads=(),
    )
    files = [Distribution("dataset.ttl", "The dataset", "text/turtle", 3, "ab" * 32, DATASET_IRI)]
    event = TimelineEvent(
        date="2023", when="date", event=hostile, subject=LBR + "x", subject_label=hostile,
        object="2023", object_label=None, object_is_iri=False, source=None, source_label=None,
        record=LBR + "s-x", parties=(LBR + "x",),
    )  # fmt: skip

    def render() -> str:
        return render_landing_page(
            GraphIndex(quads), metadata, files, base_iri=LBR, latest_events=[event],
            timeline_href="timeline.html",
        )  # fmt: skip

    first = render()
    assert first == render()
    tree = parse_strict(first)
    assert not list(tree.iter("script"))
    assert text(next(tree.iter("h1"))) == hostile
    assert [a.text for a in tree.iter("a") if a.get("href") == "id/x.html"] == [hostile]
    assert hostile in text(by_class(tree, "ol", "latest-events")[0])
    (_, html), *_ = class_index_pages(
        GraphIndex(quads), LBR, landing_links(LBR), footer=None, search_root=None
    )
    index_page = parse_strict(html)
    assert not list(index_page.iter("script"))
    assert [a.text for a in index_page.iter("a") if a.get("href") == "id/x.html"] == [hostile]
    assert "id/s-x.html" not in first
    assert int(next(by_id(tree, "statement-records").iter("data")).get("value")) == 1
