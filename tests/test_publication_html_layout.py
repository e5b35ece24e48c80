"""Pages link only http(s) IRIs: a `javascript:` (or any other scheme) IRI in the data or in
the dataset's metadata is shown as text, never as an `href` (stored XSS, issue 10 point 2)."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest

from llmboom.namespaces import LBO, LBR, RDF, RDFS
from llmboom.publication import build
from llmboom.publication.graph_index import GraphIndex
from llmboom.publication.html_layout import Links, iri_term, is_linkable
from llmboom.publication.ontology_docs import render_ontology_page
from llmboom.publication.resource_pages import render_resource_page
from tests.test_publication_build import copy_project
from tests.test_publication_pages import parse_strict

HOSTILE = "javascript:alert(document.cookie)"


def hrefs(html: str) -> set[str]:
    return {a.get("href") for a in parse_strict(html).iter("a")}


@pytest.mark.parametrize(
    ("iri", "linked"),
    [
        ("https://example.org/x", True),
        ("HTTP://example.org/x", True),
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("data:text/html,<b>x</b>", False),
        ("urn:isbn:0451450523", False),
        ("mailto:someone@example.org", False),
    ],
)
def test_only_http_iris_are_linkable(iri: str, linked: bool) -> None:
    assert is_linkable(iri) is linked
    assert (iri_term(iri, Links()).href is not None) is linked


def test_a_javascript_object_of_a_fact_is_text_on_the_resource_page() -> None:
    n = pyoxigraph.NamedNode
    iri, record = LBR + "x", LBR + "s-x"
    quads = [
        pyoxigraph.Quad(n(iri), n(RDF + "type"), n(LBO + "Organization")),
        pyoxigraph.Quad(n(iri), n(RDFS + "label"), pyoxigraph.Literal("X", language="en")),
        pyoxigraph.Quad(n(iri), n(RDFS + "seeAlso"), n(HOSTILE)),
        pyoxigraph.Quad(n(record), n(RDF + "type"), n(RDF + "Statement")),
        pyoxigraph.Quad(n(record), n(RDF + "subject"), n(iri)),
        pyoxigraph.Quad(n(record), n(RDF + "predicate"), n(RDFS + "seeAlso")),
        pyoxigraph.Quad(n(record), n(RDF + "object"), n(HOSTILE)),
        pyoxigraph.Quad(n(record), n(LBO + "attributedTo"), n(HOSTILE)),
    ]
    index = GraphIndex(quads)
    for subject in (iri, record):
        html = render_resource_page(index, subject, jsonld="{}")
        assert not any(h.lower().startswith("javascript") for h in hrefs(html)), subject
        assert HOSTILE in html, "the IRI is still shown, as text"


def test_a_javascript_iri_in_the_ontology_is_text_on_its_page() -> None:
    n = pyoxigraph.NamedNode
    quads = [
        pyoxigraph.Quad(n(LBO + "T"), n(RDF + "type"), n("http://www.w3.org/2002/07/owl#Class")),
        pyoxigraph.Quad(n(LBO + "T"), n(RDFS + "seeAlso"), n(HOSTILE)),
        pyoxigraph.Quad(n(LBO + "T"), n(RDFS + "subClassOf"), n(HOSTILE)),
    ]
    html = render_ontology_page(quads)
    assert not any(h.lower().startswith("javascript") for h in hrefs(html))


def test_a_javascript_licence_in_the_metadata_is_never_a_link(tmp_path: Path) -> None:
    project = copy_project(tmp_path / "project")
    meta = project.root / "data" / "meta" / "dataset.ttl"
    text = meta.read_text(encoding="utf-8")
    licence = "<https://creativecommons.org/licenses/by/4.0/>"
    assert licence in text
    meta.write_text(text.replace(licence, f"<{HOSTILE}>"), encoding="utf-8")
    out = tmp_path / "dist"
    build(project, out)
    pages = [out / "index.html", out / "ontology.html", out / "id" / "zhu-wenjia.html"]
    for page in pages:
        html = page.read_text(encoding="utf-8")
        assert HOSTILE in html, page.name
        assert not any(h.lower().startswith("javascript") for h in hrefs(html)), page.name
