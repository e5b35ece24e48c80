"""The SPARQL 1.1 Protocol to the letter, on a real server: HEAD, methods an address does
not answer, relative IRIs, percent-encoded bytes that are not UTF-8, the protocol's RDF
dataset (`default-graph-uri`, `named-graph-uri`), updates in the URL, and N-Triples asked
for as `text/plain`."""

from __future__ import annotations

import json
import urllib.parse

import pytest

from llmboom.namespaces import DATASET_IRI, LBR, ONTOLOGY_IRI

JSON = "application/sparql-results+json"
#: The ontology's classes, and the data's people: which graph a query reads shows in both.
CLASSES_AND_PEOPLE = (
    "SELECT (COUNT(DISTINCT ?c) AS ?classes) (COUNT(DISTINCT ?p) AS ?people) WHERE { "
    "{ ?c a owl:Class } UNION { ?p a lbo:Person } }"
)


def _counts(reply) -> tuple[int, int]:
    assert reply.status == 200, reply.text
    (row,) = json.loads(reply.body)["results"]["bindings"]
    return int(row["classes"]["value"]), int(row["people"]["value"])


def _get(server, params: dict | list, method: str = "GET", accept: str = JSON):
    return server.request(
        "/sparql?" + urllib.parse.urlencode(params), method=method, headers={"Accept": accept}
    )


def test_head_answers_like_get_without_a_body(web_server) -> None:
    params = {"query": "ASK { ?s ?p ?o }"}
    got, head = _get(web_server, params), _get(web_server, params, method="HEAD")
    assert got.status == head.status == 200
    assert head.body == b""
    assert head.media_type == got.media_type == JSON


@pytest.mark.parametrize("method", ["HEAD", "GET", "PUT"])
def test_submissions_answer_other_methods_with_405_and_allow(web_server, method) -> None:
    reply = web_server.request("/submissions", method=method, data=b"" if method == "PUT" else None)
    assert reply.status == 405
    assert reply.headers["allow"] == "POST"


def test_relative_iris_resolve_against_the_resource_base(web_server) -> None:
    query = 'SELECT ?label WHERE { <bytedance> rdfs:label ?label FILTER (LANG(?label) = "en") }'
    reply = _get(web_server, {"query": query})
    assert reply.status == 200, reply.text
    assert json.loads(reply.body)["results"]["bindings"][0]["label"]["value"] == "ByteDance"
    built = _get(
        web_server, {"query": "CONSTRUCT { <s> <p> 1 } WHERE {}"}, accept="application/n-triples"
    )
    assert built.status == 200, built.text
    assert (
        built.text.strip() == f'<{LBR}s> <{LBR}p> "1"^^<http://www.w3.org/2001/XMLSchema#integer> .'
    )


def test_percent_encoded_bytes_that_are_not_utf8_are_400(web_server) -> None:
    query = "/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%22%FF%22%20%7D"
    assert web_server.request(query, headers={"Accept": JSON}).status == 400
    form = web_server.request(
        "/sparql",
        method="POST",
        data=b"query=ASK%20%7B%20%3Fs%20%3Fp%20%22%FF%22%20%7D",
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": JSON},
    )
    assert form.status == 400 and "not UTF-8" in form.text


def test_the_protocol_dataset_chooses_the_graphs(web_server) -> None:
    classes, people = _counts(_get(web_server, {"query": CLASSES_AND_PEOPLE}))
    assert classes == 0 and people > 0  # the default graph is the data
    ontology = [("query", CLASSES_AND_PEOPLE), ("default-graph-uri", ONTOLOGY_IRI)]
    ontology_classes, ontology_people = _counts(_get(web_server, ontology))
    assert ontology_classes > 0 and ontology_people == 0
    both = [*ontology, ("default-graph-uri", DATASET_IRI)]
    assert _counts(_get(web_server, both))[1] == people
    named = "ASK { GRAPH ?g { ?s ?p ?o } }"
    only_data = [("query", named), ("default-graph-uri", DATASET_IRI)]
    assert json.loads(_get(web_server, only_data).body)["boolean"] is False
    with_ontology = [*only_data, ("named-graph-uri", ONTOLOGY_IRI)]
    assert json.loads(_get(web_server, with_ontology).body)["boolean"] is True
    direct = web_server.request(
        "/sparql?" + urllib.parse.urlencode({"default-graph-uri": ONTOLOGY_IRI}),
        method="POST",
        data=CLASSES_AND_PEOPLE.encode(),
        headers={"Content-Type": "application/sparql-query", "Accept": JSON},
    )
    assert _counts(direct)[1] == 0
    form = web_server.request(
        "/sparql",
        method="POST",
        data=urllib.parse.urlencode(ontology).encode(),
        headers={"Content-Type": "application/x-www-form-urlencoded", "Accept": JSON},
    )
    assert _counts(form)[1] == 0


@pytest.mark.parametrize(
    ("name", "iri", "expected"),
    [
        ("default-graph-uri", "http://example.org/nowhere", "is not a graph of this dataset"),
        ("named-graph-uri", "http://example.org/nowhere", "is not a graph of this dataset"),
        ("named-graph-uri", DATASET_IRI, "is the default graph"),
    ],
)
def test_unknown_graphs_are_a_clear_400(web_server, name, iri, expected) -> None:
    reply = _get(web_server, [("query", "ASK {}"), (name, iri)])
    assert reply.status == 400
    assert reply.text.startswith("Error: ") and expected in reply.text


def test_a_post_with_update_in_the_url_is_refused(web_server) -> None:
    reply = web_server.request(
        "/sparql?" + urllib.parse.urlencode({"update": "DROP ALL"}),
        method="POST",
        data=b"ASK {}",
        headers={"Content-Type": "application/sparql-query", "Accept": JSON},
    )
    assert reply.status == 400 and "read-only" in reply.text


def test_text_plain_gets_n_triples_of_a_resource(web_server) -> None:
    reply = web_server.request("/id/bytedance", headers={"Accept": "text/plain"})
    assert reply.status == 200
    assert reply.media_type == "application/n-triples"
    assert f"<{LBR}bytedance> " in reply.text
