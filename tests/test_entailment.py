"""RDFS entailment (entailment.py and `llmboom query --entailment`): sub-classes and
sub-properties, including the alignments to ORG, FOAF, schema.org and PROV-O."""

from __future__ import annotations

import csv
import io

import pyoxigraph
import pytest

from llmboom.namespaces import LBO, LBR, ORG, RDF, RDFS
from llmboom.project import Project
from llmboom.rdf.entailment import entail_store, entailed_triples, hierarchies
from llmboom.sparql.named_queries import get_named_query, named_queries, run_named_query
from llmboom.sparql.run import run_query
from llmboom.store.embedded import EmbeddedStore

ORGANIZATIONS = {
    "openai", "baidu", "meituan", "mobvoi", "sogou", "bytedance", "36kr", "pandaily",
    "tiktok", "toutiao", "douyin", "volcano-engine",
}  # fmt: skip


@pytest.fixture(scope="module")
def asserted(project: Project, article_quads) -> pyoxigraph.Store:
    """The article's facts: the expected answers are read off the article."""
    return EmbeddedStore.of_quads(project, article_quads).oxigraph


@pytest.fixture(scope="module")
def entailed(project: Project, article_quads) -> pyoxigraph.Store:
    store = EmbeddedStore.of_quads(project, article_quads).oxigraph
    assert entail_store(store) > 100
    return store


def column(result, name: str) -> set[str]:
    return {row[name].value for row in result.as_dicts() if name in row}


def test_hierarchies_are_transitive_and_read_equivalences() -> None:
    n = pyoxigraph.NamedNode
    sub, eq = n(RDFS + "subClassOf"), n("http://www.w3.org/2002/07/owl#equivalentClass")
    quads = [
        pyoxigraph.Triple(n("urn:a"), sub, n("urn:b")),
        pyoxigraph.Triple(n("urn:b"), sub, n("urn:c")),
        pyoxigraph.Triple(n("urn:c"), eq, n("urn:d")),
    ]
    classes, properties = hierarchies(quads)
    assert classes["urn:a"] == {"urn:b", "urn:c", "urn:d"}
    assert classes["urn:d"] == {"urn:c", "urn:d"}  # an equivalence is a cycle
    assert properties == {}


def test_entailed_triples_are_new_and_follow_both_rules() -> None:
    n = pyoxigraph.NamedNode
    ontology = [
        pyoxigraph.Triple(n(LBO + "Platform"), n(RDFS + "subClassOf"), n(LBO + "Organization")),
        pyoxigraph.Triple(n(LBO + "reportsTo"), n(RDFS + "subPropertyOf"), n(ORG + "reportsTo")),
    ]
    data = [
        pyoxigraph.Triple(n(LBR + "tiktok"), n(RDF + "type"), n(LBO + "Platform")),
        pyoxigraph.Triple(n(LBR + "x"), n(LBO + "reportsTo"), n(LBR + "y")),
        pyoxigraph.Triple(n(LBR + "x"), n(ORG + "reportsTo"), n(LBR + "y")),  # already there
    ]
    assert entailed_triples(data, ontology) == [
        pyoxigraph.Triple(n(LBR + "tiktok"), n(RDF + "type"), n(LBO + "Organization"))
    ]


def test_the_store_gains_exactly_the_entailed_triples(project: Project) -> None:
    from bench.generate import generate

    from llmboom.namespaces import ONTOLOGY_IRI
    from llmboom.rdf.loading import as_default_graph, load_ontology

    dataset = EmbeddedStore.in_memory(project).oxigraph
    copies = generate(project, 2 * len(dataset))  # the dataset twice
    data = list(as_default_graph(copies))
    ontology = load_ontology(project)
    store = pyoxigraph.Store()
    store.extend(data)
    graph = pyoxigraph.NamedNode(ONTOLOGY_IRI)
    store.extend(pyoxigraph.Quad(q.subject, q.predicate, q.object, graph) for q in ontology)
    expected = entailed_triples(data, ontology)
    assert entail_store(store) == len(expected) > 100
    default = store.quads_for_pattern(None, None, None, pyoxigraph.DefaultGraph())
    assert {q.triple for q in default} == {q.triple for q in data} | set(expected)


def test_the_entailed_query_returns_all_organizations_and_platforms(entailed, asserted) -> None:
    query = "SELECT ?x WHERE { ?x a lbo:Organization }"
    assert column(run_query(entailed, query), "x") == {LBR + s for s in ORGANIZATIONS}
    assert len(column(run_query(asserted, query), "x")) == 9  # the platforms are not there


def test_query_uses_entailment_by_default_and_none_turns_it_off(run_cli) -> None:
    query = "SELECT ?x WHERE { ?x a schema:Organization }"
    entailed = run_cli("query", query, "--format", "csv")
    assert entailed.exit_code == 0, entailed.stderr
    found = {row["x"] for row in csv.DictReader(io.StringIO(entailed.stdout))}
    assert {LBR + s for s in ORGANIZATIONS} <= found
    asserted = run_cli("query", query, "--format", "csv", "--entailment", "none")
    assert asserted.stdout.splitlines() == ["x"]


def rows(result, *names: str) -> list[tuple]:
    return sorted(tuple(str(row.get(n)) for n in names) for row in result.as_dicts())


def test_org_phrasing_of_zhu_wenjias_reporting_lines(entailed, project) -> None:
    lbo = run_named_query(entailed, get_named_query(project, "zhu-wenjia-reporting"))
    org = run_query(
        entailed,
        """SELECT ?relation ?person WHERE {
          { lbr:zhu-wenjia org:reportsTo ?person BIND ("reports to" AS ?relation) }
          UNION { ?person org:reportsTo lbr:zhu-wenjia BIND ("direct report" AS ?relation) }
        }""",
    )
    assert rows(org, "relation", "person") == rows(lbo, "relation", "person")
    assert len(org) == 3


def test_org_phrasing_of_the_reporting_chain(entailed, project) -> None:
    lbo = run_named_query(entailed, get_named_query(project, "reporting-chain"))
    org = run_query(
        entailed,
        "SELECT DISTINCT ?member WHERE { ?member org:reportsTo+ lbr:shouzi-chew }",
    )
    assert column(org, "member") == column(lbo, "member")
    assert len(column(org, "member")) == 3


def test_schema_and_foaf_phrasing_of_zhu_wenjias_positions(entailed, project) -> None:
    lbo = run_named_query(entailed, get_named_query(project, "zhu-wenjia-positions"))
    schema = run_query(
        entailed,
        """SELECT ?position ?role ?organization ?start ?end WHERE {
          ?position a schema:Role ; org:member ?person ; org:organization ?organization .
          ?person a foaf:Person , schema:Person .
          FILTER (?person = lbr:zhu-wenjia)
          OPTIONAL { ?position schema:roleName ?role }
          OPTIONAL { ?position schema:startDate ?start }
          OPTIONAL { ?position schema:endDate ?end }
        }""",
    )
    columns = ("position", "role", "organization", "start", "end")
    assert rows(schema, *columns) == rows(lbo, *columns)
    assert len(schema) == 5


def test_no_named_query_answers_differently_under_entailment(asserted, entailed, project):
    from tests.test_queries import PARAMETERISED

    for query in named_queries(project):
        for values in PARAMETERISED.get(query.name, ({},)):
            first = run_named_query(asserted, query, values)
            second = run_named_query(entailed, query, values)
            assert first.rows == second.rows, query.name


def test_stats_count_classes_with_and_without_subclasses(tmp_path) -> None:
    import json
    import shutil

    from tests.submission_support import copy_project, submit_cli

    article = copy_project(tmp_path)  # the article's project: without the later reports
    shutil.rmtree(article / "data" / "submissions", ignore_errors=True)
    data = json.loads(submit_cli(article, "stats", "--format", "json").stdout)
    assert data["classes"]["lbo:Organization"] == 9
    assert data["classes_with_subclasses"]["lbo:Organization"] == 12
    assert data["classes_with_subclasses"]["foaf:Organization"] == 12
    assert "foaf:Organization" not in data["classes"]
