"""Reading RDF files and assembling the dataset."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph
import pytest
from rdflib import Literal, URIRef

from llmboom.errors import InputError
from llmboom.namespaces import LBO, LBR, OWL, XSD
from llmboom.project import Project
from llmboom.rdf.loading import (
    load_data,
    parse_file,
    rebase,
    to_rdflib_graph,
)
from llmboom.store import ONTOLOGY_GRAPH
from llmboom.store.embedded import EmbeddedStore


def test_syntax_error_names_file_and_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.ttl"
    broken.write_text('@prefix ex: <http://e/> .\nex:a ex:b ex:c .\nex:a ex:b "open\n')
    with pytest.raises(InputError) as raised:
        parse_file(broken)
    assert raised.value.line == 3
    assert str(raised.value).startswith(f"{broken}:3: ")


def test_missing_file_and_unknown_suffix(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="No such file"):
        parse_file(tmp_path / "absent.ttl")
    odd = tmp_path / "data.csv"
    odd.write_text("a,b\n")
    with pytest.raises(InputError, match=r"data\.csv: unknown RDF file suffix"):
        parse_file(odd)


def test_remote_jsonld_context_is_refused_without_fetching(tmp_path: Path) -> None:
    doc = tmp_path / "remote.jsonld"
    doc.write_text('{"@context": "http://example.org/ctx", "@id": "http://e/a", "p": "v"}')
    with pytest.raises(InputError, match="remote JSON-LD @context is not fetched"):
        parse_file(doc)


def test_relative_iris_need_an_explicit_base(tmp_path: Path) -> None:
    doc = tmp_path / "relative.ttl"
    doc.write_text("<a> <http://e/p> <b> .\n")
    with pytest.raises(InputError):
        parse_file(doc)
    quads = parse_file(doc, base_iri="http://base.example/")
    assert quads[0].subject == pyoxigraph.NamedNode("http://base.example/a")


def test_dataset_includes_source_text(project: Project, data_quads) -> None:
    article = (project.sources_dir / "article.txt").read_text(encoding="utf-8")
    texts = [
        q.object.value
        for q in data_quads
        if q.subject.value == LBR + "article" and q.predicate.value == LBO + "fullText"
    ]
    assert texts == [article]


def test_rebase_moves_only_resource_iris() -> None:
    quad = pyoxigraph.Quad(
        pyoxigraph.NamedNode(LBR + "baidu"),
        pyoxigraph.NamedNode(LBO + "ownedBy"),
        pyoxigraph.NamedNode(LBR + "bytedance"),
    )
    (moved,) = rebase([quad], "http://kg.example/id/")
    assert moved.subject.value == "http://kg.example/id/baidu"
    assert moved.predicate.value == LBO + "ownedBy"
    assert moved.object.value == "http://kg.example/id/bytedance"


def test_rebased_project_has_no_canonical_resource_iris(project: Project) -> None:
    rebased = Project(project.root, "http://kg.example/id/")
    quads = load_data(rebased)
    assert len(quads) == len(load_data(project))
    assert not any(
        isinstance(term, pyoxigraph.NamedNode) and term.value.startswith(LBR)
        for q in quads
        for term in (q.subject, q.object)
    )


def test_rdflib_conversion_keeps_languages_and_datatypes() -> None:
    quads = [
        pyoxigraph.Quad(
            pyoxigraph.NamedNode("http://e/s"),
            pyoxigraph.NamedNode("http://e/p"),
            pyoxigraph.Literal("plain"),
        ),
        pyoxigraph.Quad(
            pyoxigraph.NamedNode("http://e/s"),
            pyoxigraph.NamedNode("http://e/p"),
            pyoxigraph.Literal("hello", language="en"),
        ),
        pyoxigraph.Quad(
            pyoxigraph.NamedNode("http://e/s"),
            pyoxigraph.NamedNode("http://e/p"),
            pyoxigraph.Literal("2021-02", datatype=pyoxigraph.NamedNode(XSD + "gYearMonth")),
        ),
    ]
    graph = to_rdflib_graph(quads)
    objects = set(graph.objects(URIRef("http://e/s"), URIRef("http://e/p")))
    assert objects == {
        Literal("plain"),
        Literal("hello", lang="en"),
        Literal("2021-02", datatype=URIRef(XSD + "gYearMonth")),
    }


def test_store_keeps_ontology_in_its_own_graph(project: Project, data_quads) -> None:
    store = EmbeddedStore.in_memory(project).oxigraph
    default = list(store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph()))
    assert len(default) == len({(q.subject, q.predicate, q.object) for q in data_quads})
    ontology = pyoxigraph.NamedNode(ONTOLOGY_GRAPH)
    assert store.contains_named_graph(ontology)
    classes = store.query(f"ASK {{ GRAPH <{ONTOLOGY_GRAPH}> {{ <{LBO}Person> a <{OWL}Class> }} }}")
    assert bool(classes)


def test_the_store_gives_the_data_back_as_written(project: Project, data_quads) -> None:
    """Every value in data/ is in a lexical form the store keeps (it rewrites a number's
    other forms, `2.408E21`^^xsd:double say): the files and the store tell the same triples."""
    store = EmbeddedStore.in_memory(project).oxigraph
    default = store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())
    assert {q.triple for q in default} == {q.triple for q in data_quads}


def test_published_data_has_no_blank_nodes(data_quads) -> None:
    for quad in data_quads:
        assert not isinstance(quad.subject, pyoxigraph.BlankNode), quad
        assert not isinstance(quad.object, pyoxigraph.BlankNode), quad


def test_rdfxml_error_gets_the_line_of_the_xml_fault(tmp_path: Path) -> None:
    doc = tmp_path / "bad.rdf"
    doc.write_text(
        '<?xml version="1.0"?>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">\n'
        '<rdf:Description rdf:about="http://e/a">\n'
        "</rdf:RDF>\n"
    )
    with pytest.raises(InputError) as raised:
        parse_file(doc)
    assert raised.value.line == 4
    assert str(raised.value).startswith(f"{doc}:4: ")
