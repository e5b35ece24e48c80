"""Framing the dataset into JSON-LD trees with the shipped frames."""

from __future__ import annotations

import pyoxigraph
import pytest
import rdflib

from llmboom.errors import FormatError
from llmboom.namespaces import CONTEXT_URL
from llmboom.rdf.framing import (
    LocalDocumentLoader,
    RemoteDocumentError,
    available_frames,
    frame,
    frame_with,
)
from llmboom.rdf.jsonld import build_context, dump_json


@pytest.fixture(scope="module")
def context(project):
    return build_context(project)


@pytest.fixture(scope="module")
def bytedance(article_quads, project):
    """ByteDance framed from the article's facts: the expected tree is read off the article."""
    framed = frame(article_quads, "organization", project, node="lbr:bytedance")
    (organization,) = framed["@graph"]
    return organization


def test_frames_are_shipped(project) -> None:
    assert {"organization", "person"} <= set(available_frames(project))


def test_organization_frame_is_a_tree_to_zhu_wenjia_by_plain_keys(bytedance) -> None:
    assert bytedance["label"]["en"] == "ByteDance"
    units = {unit["label"]["en"]: unit for unit in bytedance["units"]}
    search = units["ByteDance search department"]
    (team,) = search["teams"]
    assert team["label"]["en"] == "ByteDance language model team"
    assert team["head"]["reportsTo"]["label"]["en"] == "Zhu Wenjia"
    assert team["head"]["reportsTo"]["reportsTo"]["label"]["en"] == "Shouzi Chew"
    # the image model team sits one level deeper: department → team → team
    product = units["Product R&D and Engineering Architecture Department"]
    (creation,) = product["units"]
    (imaging,) = creation["teams"]
    assert imaging["head"]["reportsTo"]["label"]["en"] == "Zhu Wenjia"
    # owned platforms with the positions held in them, and announced models
    owned = {platform["label"]["en"]: platform for platform in bytedance["owns"]}
    assert {"TikTok", "Toutiao", "Douyin", "Volcano Engine"} <= set(owned)
    holders = {p["holder"]["label"]["en"] for p in owned["TikTok"]["positions"]}
    assert {"Zhu Wenjia", "Shouzi Chew"} <= holders
    announced = bytedance["announcedModel"]
    announced = announced if isinstance(announced, list) else [announced]
    assert "ByteDance's large language model" in {model["label"]["en"] for model in announced}


def test_organization_frame_reaches_the_provenance_of_each_fact(bytedance) -> None:
    units = {unit["id"]: unit for unit in bytedance["units"]}
    (team,) = units["lbr:bytedance-search-department"]["teams"]
    records = {r["predicate"]: r for r in team["head"]["statements"]}
    record = records["lbo:reportsTo"]
    assert record["object"] == {"id": "lbr:zhu-wenjia"}
    assert "report their work to Zhu Wenjia" in record["quote"]
    assert record["wasDerivedFrom"] == "lbr:article"
    assert record["attributedTo"]["anonymous"] is False
    led = {r["predicate"]: r for r in team["statements"]}["lbo:ledBy"]
    assert led["attributedTo"]["label"]["en"] == "a person familiar with the matter"
    assert led["attributedTo"]["anonymous"] is True


def test_person_frame_has_positions_reporting_lines_and_provenance(article_quads, project):
    (zhu,) = frame(article_quads, "person", project, node="zhu-wenjia")["@graph"]
    assert zhu["label"]["en"] == "Zhu Wenjia"
    titles = {p.get("roleTitle") for p in zhu["positions"]}
    assert {"chief architect", "CEO", "technical director", "head of product technology"} <= titles
    ceo = next(p for p in zhu["positions"] if p.get("roleTitle") == "CEO")
    assert ceo["inOrganization"]["label"]["en"] == "Toutiao"
    assert ceo["inOrganization"]["ownedBy"]["label"]["en"] == "ByteDance"
    assert all(p["statements"] for p in zhu["positions"])
    assert zhu["reportsTo"]["label"]["en"] == "Shouzi Chew"
    reports = {r["headOf"]["label"]["en"] for r in zhu["reports"]}
    assert reports == {"ByteDance language model team", "ByteDance image model team"}


def test_framed_output_is_deterministic_and_parses_back_into_dataset_triples(
    data_quads, data_graph, project
) -> None:
    for name in ("organization", "person"):
        first = dump_json(frame(data_quads, name, project))
        assert first == dump_json(frame(data_quads, name, project))
        parsed = rdflib.Graph().parse(data=first, format="json-ld")
        assert len(parsed) > 100
        assert set(parsed) <= set(data_graph)
        assert len(set(pyoxigraph.parse(first, pyoxigraph.RdfFormat.JSON_LD))) == len(parsed)


def test_unknown_frame_lists_the_frames(data_quads, project) -> None:
    with pytest.raises(FormatError, match="organization, person"):
        frame(data_quads, "nope", project)


def test_unknown_root_node_is_an_error(data_quads, project) -> None:
    with pytest.raises(FormatError, match="no node"):
        frame(data_quads, "person", project, node="lbr:nobody")


def test_frames_never_fetch_remote_documents(data_quads, context) -> None:
    remote = {"@context": "https://example.org/remote-context.jsonld", "@type": "Person"}
    with pytest.raises(RemoteDocumentError, match=r"example\.org"):
        frame_with(data_quads, remote, context)
    local = {"@context": CONTEXT_URL, "@type": "Person", "@id": "lbr:zhu-wenjia"}
    (zhu,) = frame_with(data_quads, local, context)["@graph"]
    assert zhu["label"]["en"] == "Zhu Wenjia"


def test_local_loader_serves_only_the_context(context) -> None:
    loader = LocalDocumentLoader(context)
    assert loader(CONTEXT_URL)["document"] == {"@context": context}
    with pytest.raises(RemoteDocumentError):
        loader("https://schema.org/")


@pytest.mark.slow
@pytest.mark.parametrize("name", ["organization", "person"])
def test_each_node_framed_from_its_neighbourhood_is_its_tree_in_the_whole_dataset(
    data_quads, project, name
) -> None:
    """`Frames.tree` (what build and serve publish as id/<slug>.<frame>.jsonld) frames one
    node from its neighbourhood only; every node's tree is the one framing the whole dataset
    gives it, and for a sample the bytes are `llmboom export --frame NAME --node IRI`'s."""
    from llmboom.namespaces import LBR
    from llmboom.publication.graph_index import GraphIndex
    from llmboom.rdf.framing import Frames

    whole = frame(data_quads, name, project)
    assert len(whole["@graph"]) > 5
    frames, index = Frames(project), GraphIndex(data_quads)
    for tree in whole["@graph"]:
        iri = LBR + tree["id"].removeprefix("lbr:")
        assert frames.matching(index, iri) == [name]
        body = frames.tree(index, name, iri)
        assert body is not None
        assert body == dump_json({"@context": whole["@context"], "@graph": [tree]}), iri
    for slug in ("bytedance", "zhu-wenjia", "baidu")[: 2 if name == "person" else 3]:
        if frames.matching(index, LBR + slug) == [name]:
            expected = dump_json(frame(data_quads, name, project, node=slug))
            assert frames.tree(index, name, LBR + slug) == expected


def test_a_node_outside_a_frame_has_no_tree(data_quads, project) -> None:
    from llmboom.namespaces import LBR
    from llmboom.publication.graph_index import GraphIndex
    from llmboom.rdf.framing import Frames

    frames, index = Frames(project), GraphIndex(data_quads)
    assert frames.matching(index, LBR + "article") == []
    assert frames.tree(index, "person", LBR + "bytedance") is None
