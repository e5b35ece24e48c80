"""Resource pages (`id/<slug>.html|ttl|jsonld`) and the ontology page: valid HTML5, every
fact with its quote and attribution, links that resolve, JSON-LD equal to the files."""

from __future__ import annotations

import json
import re
from pathlib import Path

import html5lib
import pyoxigraph
import pytest

from llmboom.namespaces import CITATION_PREDICATES, LBO, LBR, RDF, RDFS, SKOS
from llmboom.publication import build
from llmboom.publication.graph_index import GraphIndex
from llmboom.publication.ontology_docs import render_ontology_page
from llmboom.publication.resource_pages import render_resource_page
from tests.conftest import REPO

EXEMPT = {RDF + "type", RDFS + "label", SKOS + "altLabel", LBO + "fullText"}


@pytest.fixture(scope="module")
def dist(project, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("pages") / "dist"
    build(project, out)
    return out


def parse_strict(data: bytes | str):
    """Parse HTML5 strictly (any parse error raises); return an ElementTree without namespaces."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(data)


def html_pages(dist: Path) -> list[Path]:
    return sorted(dist.rglob("*.html"))


def test_every_page_is_valid_html5(dist: Path) -> None:
    pages = html_pages(dist)
    assert len(pages) > 100
    for page in pages:
        parse_strict(page.read_bytes())


def _is_citation_row(row) -> bool:
    """A row of a source's own citation (address, title, publisher, dates, language, licence),
    which needs no statement record (llmboom.namespaces.CITATION_PREDICATES)."""
    from llmboom.namespaces import CITATION_PREDICATES

    # (property, value), or for an incoming fact (subject, property)
    cells = list(row.iter("td"))[:2]
    hrefs = [a.get("href") or "" for cell in cells for a in cell.iter("a")]
    hrefs = [h for h in hrefs if "ontology" in h or h.startswith("http")]
    locals_ = {iri.rsplit("#", 1)[-1].rsplit("/", 1)[-1] for iri in CITATION_PREDICATES}
    return any(href.rsplit("#", 1)[-1].rsplit("/", 1)[-1] in locals_ for href in hrefs)


def test_every_fact_row_carries_a_quote_and_an_attribution(dist: Path) -> None:
    """A quote, or (citing a source whose text the project does not hold) a summary."""
    rows_seen = 0
    for page in sorted((dist / "id").glob("*.html")):
        if page.name.startswith(("submission-", "contributor-")):
            continue  # a submission's record and its contributor are bookkeeping, not facts
        tree = parse_strict(page.read_bytes())
        for row in tree.iter("tr"):
            if row.get("class") != "fact" or _is_citation_row(row):
                continue
            rows_seen += 1
            quotes = [q for q in row.iter("blockquote") if q.get("class") == "quote"]
            quotes += [p for p in row.iter("p") if p.get("class") == "summary"]
            assert quotes, f"{page.name}: a fact without its quote or summary"
            assert all("".join(q.itertext()).strip() for q in quotes), page.name
            attributions = [d for d in row.iter("div") if d.get("class") == "attr"]
            assert len(attributions) == len(quotes) or len(attributions) >= 1, page.name
    assert rows_seen > 100


def test_every_fact_of_the_dataset_is_on_its_subjects_page(dist: Path, data_graph) -> None:
    from rdflib import URIRef

    subjects = {
        s for s in data_graph.subjects() if isinstance(s, URIRef) and str(s).startswith(LBR)
    }
    statements = set(data_graph.subjects(URIRef(RDF + "type"), URIRef(RDF + "Statement")))
    for subject in sorted(subjects - statements):
        source = (subject, URIRef(RDF + "type"), URIRef(LBO + "Source")) in data_graph

        def recorded(p, o, subject=subject) -> bool:
            return any(
                (r, URIRef(RDF + "predicate"), p) in data_graph
                and (r, URIRef(RDF + "object"), o) in data_graph
                for r in data_graph.subjects(URIRef(RDF + "subject"), subject)
            )

        facts = [
            (p, o)
            for p, o in data_graph.predicate_objects(subject)
            if str(p) not in EXEMPT
            # a source's citation is shown apart, unless a record supports it
            and not (source and str(p) in CITATION_PREDICATES and not recorded(p, o))
        ]
        page = dist / "id" / (str(subject)[len(LBR) :] + ".html")
        tree = parse_strict(page.read_bytes())
        table = next((t for t in tree.iter("table") if t.get("id") == "facts"), None)
        rows = [] if table is None else [r for r in table.iter("tr") if r.get("class") == "fact"]
        assert len(rows) == len(facts), subject


def test_quotes_on_pages_are_verbatim_from_the_article(dist: Path) -> None:
    article = (REPO / "data" / "sources" / "article.txt").read_text(encoding="utf-8")
    page = parse_strict((dist / "id" / "bytedance-language-model-team.html").read_bytes())
    quotes = [q.text for q in page.iter("blockquote")]
    assert quotes
    for quote in quotes:
        assert quote in article


def test_anonymous_sources_are_marked(dist: Path) -> None:
    page = parse_strict((dist / "id" / "bytedance-language-model-team.html").read_bytes())
    marked = 0
    for row in page.iter("tr"):
        text = " ".join(row.itertext())
        if "a person familiar with the matter" in text:
            assert any(s.get("class") == "anon" for s in row.iter("span")), text[:200]
            marked += 1
    assert marked >= 1


def test_relative_links_resolve(dist: Path) -> None:
    anchors: dict[Path, set[str]] = {}
    for page in html_pages(dist):
        tree = parse_strict(page.read_bytes())
        for element in tree.iter():
            href = element.get("href") if element.tag in ("a", "link") else None
            if not href or href.startswith(("http:", "https:")):
                continue
            path, _, fragment = href.partition("#")
            target = (page.parent / path).resolve() if path else page
            assert target.is_file(), f"{page.relative_to(dist)} links to missing {href}"
            if fragment:
                if target not in anchors:
                    ids = parse_strict(target.read_bytes()).iter()
                    anchors[target] = {e.get("id") for e in ids if e.get("id")}
                assert fragment in anchors[target], f"{page.name}: no #{fragment} in {path}"


def test_embedded_json_ld_is_the_published_document(dist: Path) -> None:
    for slug in ("bytedance", "article", "zhu-wenjia", "attribution-senior-ai-expert"):
        tree = parse_strict((dist / "id" / f"{slug}.html").read_bytes())
        scripts = [s for s in tree.iter("script") if s.get("type") == "application/ld+json"]
        assert len(scripts) == 1
        embedded = json.loads(scripts[0].text)
        published = json.loads((dist / "id" / f"{slug}.jsonld").read_text(encoding="utf-8"))
        assert embedded == published
        from_jsonld = set(
            pyoxigraph.parse(
                (dist / "id" / f"{slug}.jsonld").read_bytes(), pyoxigraph.RdfFormat.JSON_LD
            )
        )
        from_turtle = set(
            pyoxigraph.parse(
                (dist / "id" / f"{slug}.ttl").read_bytes(), pyoxigraph.RdfFormat.TURTLE
            )
        )
        assert from_jsonld == from_turtle
        iri = pyoxigraph.NamedNode(LBR + slug)
        assert any(q.subject == iri for q in from_turtle)


def test_a_resource_document_carries_the_provenance_of_its_facts(dist: Path) -> None:
    quads = list(
        pyoxigraph.parse(
            (dist / "id" / "bytedance-language-model-team.ttl").read_bytes(),
            pyoxigraph.RdfFormat.TURTLE,
        )
    )
    led_by = [q for q in quads if q.predicate.value == LBO + "ledBy"]
    assert led_by
    records = {q.subject for q in quads if q.predicate.value == RDF + "subject"}
    quotes = {q.subject for q in quads if q.predicate.value == LBO + "quote"}
    summaries = {q.subject for q in quads if q.predicate.value == LBO + "summary"}
    # the article's records quote it; later reports' records summarise them
    assert records and quotes and records <= quotes | summaries


def test_statement_record_pages_show_the_quote(dist: Path) -> None:
    page = dist / "id" / "s-bytedance-participates-in-china-llm-boom.html"
    tree = parse_strict(page.read_bytes())
    quotes = [q.text for q in tree.iter("blockquote")]
    headline = (
        (REPO / "data" / "sources" / "article.txt").read_text(encoding="utf-8").split("\n")[0]
    )
    assert quotes == [headline]


def test_text_is_escaped_everywhere() -> None:
    n = pyoxigraph.NamedNode
    iri = LBR + "evil"
    record = LBR + "s-evil"
    hostile = '</script><script>alert("x")</script> & <b>'
    quads = [
        pyoxigraph.Quad(n(iri), n(RDFS + "label"), pyoxigraph.Literal(hostile, language="en")),
        pyoxigraph.Quad(n(iri), n(LBO + "describedAs"), pyoxigraph.Literal(hostile)),
        pyoxigraph.Quad(n(record), n(RDF + "type"), n(RDF + "Statement")),
        pyoxigraph.Quad(n(record), n(RDF + "subject"), n(iri)),
        pyoxigraph.Quad(n(record), n(RDF + "predicate"), n(LBO + "describedAs")),
        pyoxigraph.Quad(n(record), n(RDF + "object"), pyoxigraph.Literal(hostile)),
        pyoxigraph.Quad(n(record), n(LBO + "quote"), pyoxigraph.Literal(hostile, language="en")),
    ]
    jsonld = json.dumps({"@id": iri, "label": hostile})
    html = render_resource_page(GraphIndex(quads), iri, jsonld=jsonld)
    tree = parse_strict(html)
    assert "<script>alert" not in html
    assert [s.get("type") for s in tree.iter("script")] == ["application/ld+json"]
    assert json.loads(next(tree.iter("script")).text) == json.loads(jsonld)
    assert next(tree.iter("h1")).text == hostile
    assert [q.text for q in tree.iter("blockquote")] == [hostile]


def test_render_resource_page_is_pure_and_deterministic(project) -> None:
    from llmboom.rdf.loading import load_data, load_ontology

    index = GraphIndex(load_data(project), load_ontology(project))
    first = render_resource_page(index, LBR + "zhu-wenjia", jsonld="{}")
    second = render_resource_page(index, LBR + "zhu-wenjia", jsonld="{}")
    assert first == second
    assert "Zhu Wenjia" in first


def test_ontology_page_documents_every_term(project) -> None:
    from llmboom.rdf.loading import load_ontology

    ontology = load_ontology(project)
    html = render_ontology_page(ontology)
    tree = parse_strict(html)
    ids = {e.get("id") for e in tree.iter() if e.get("id")}
    terms = {
        q.subject.value
        for q in ontology
        if q.subject.value.startswith(LBO) and q.predicate.value == RDFS + "label"
    }
    assert len(terms) > 30
    for term in terms:
        assert term[len(LBO) :] in ids, term
    team = next(e for e in tree.iter("section") if e.get("id") == "Team")
    text = " ".join(team.itertext())
    assert "OrganizationalUnit" in text or "Organizational unit" in text  # its super-class
    reports = next(e for e in tree.iter("section") if e.get("id") == "reportsTo")
    links = {a.get("href") for a in reports.iter("a")}
    assert "http://www.w3.org/ns/org#reportsTo" in links  # the alignment
    assert "#Person" in links  # the range
    assert re.search(r"llmboom ontology", html)


def test_organizations_and_people_have_their_json_ld_trees(dist: Path, project) -> None:
    """id/<slug>.<frame>.jsonld: the tree `llmboom export --frame FRAME --node SLUG` writes,
    for every resource typed as a frame's top level, linked from its page."""
    from llmboom.export import export_dataset
    from llmboom.rdf.formats import by_name

    trees = {p.name for p in (dist / "id").glob("*.*.jsonld")}
    organizations = {name for name in trees if name.endswith(".organization.jsonld")}
    people = {name for name in trees if name.endswith(".person.jsonld")}
    assert "bytedance.organization.jsonld" in organizations
    assert "zhu-wenjia.person.jsonld" in people
    assert trees == organizations | people
    for slug, frame in (("bytedance", "organization"), ("zhu-wenjia", "person")):
        expected = export_dataset(project, by_name("jsonld"), frame_name=frame, node=slug)
        assert (dist / "id" / f"{slug}.{frame}.jsonld").read_bytes() == expected
        page = (dist / "id" / f"{slug}.html").read_text(encoding="utf-8")
        assert f'href="./{slug}.{frame}.jsonld"' in page
    assert not list((dist / "id").glob("article.*.jsonld"))
