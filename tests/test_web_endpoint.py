"""`llmboom serve --endpoint URL`: the same pages and queries, served from a real external
SPARQL server (Oxigraph) holding the dataset."""

from __future__ import annotations

import contextlib
import json
import urllib.parse
import urllib.request

import pytest
import rdflib

from tests import sparql_servers
from tests.test_web_resources import assert_same_graph, parsed
from tests.web_server import running_server

pytestmark = pytest.mark.external


def test_pages_and_queries_from_an_external_endpoint(tmp_path, project, run_cli):
    import pyoxigraph
    from rdflib import RDF

    from llmboom.namespaces import LBO, LBR
    from llmboom.store.embedded import EmbeddedStore

    local = EmbeddedStore.in_memory(project).oxigraph
    typed_team = (pyoxigraph.NamedNode(str(RDF.type)), pyoxigraph.NamedNode(LBO + "Team"))
    local_teams = sorted({q.subject.value for q in local.quads_for_pattern(None, *typed_team)})
    with contextlib.contextmanager(sparql_servers.oxigraph)(tmp_path) as oxigraph:
        nquads = pyoxigraph.serialize(
            local.quads_for_pattern(None, None, None), format=pyoxigraph.RdfFormat.N_QUADS
        )
        upload = urllib.request.Request(
            oxigraph.gsp_url,
            data=nquads,
            method="POST",
            headers={"Content-Type": "application/n-quads"},
        )
        urllib.request.urlopen(upload, timeout=60).close()
        with running_server("--endpoint", oxigraph.sparql_url) as server:
            reply = server.request("/id/zhu-wenjia", headers={"Accept": "text/turtle"})
            assert reply.status == 200
            expected = server_free_document(project, LBR + "zhu-wenjia")
            assert_same_graph(parsed(reply), expected)
            assert "Zhu Wenjia" in server.request("/id/zhu-wenjia").text
            query = "SELECT ?team WHERE { ?team a lbo:Team } ORDER BY ?team"
            answer = server.request(
                "/sparql?" + urllib.parse.urlencode({"query": query}),
                headers={"Accept": "application/sparql-results+json"},
            )
            teams = [b["team"]["value"] for b in json.loads(answer.body)["results"]["bindings"]]
            assert len(teams) > 3 and teams == local_teams


def server_free_document(project, iri: str) -> rdflib.Graph:
    """The resource's document as the library describes it from the project's files."""
    from llmboom.namespaces import LBR
    from llmboom.publication.graph_index import GraphIndex
    from llmboom.publication.resource_pages import describe
    from llmboom.rdf.loading import load_data, load_ontology, to_rdflib_graph

    index = GraphIndex(load_data(project), load_ontology(project))
    return to_rdflib_graph(describe(index, iri, LBR))
