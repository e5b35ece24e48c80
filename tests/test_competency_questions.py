"""The eight competency questions of SPEC §5: each named query gives the article's answer.

The expected answers below are read off the article (data/sources/article.txt), not copied
from the queries' output. IRIs are written `lbr:…`/`lbo:…`, literals by their lexical form,
unbound values as None. The questions are asked of the dataset as of the article's date
(23 February 2023, docs/time-and-claims.md): later reports, contributed as submissions, change
what holds afterwards, not the article's answers.
"""

from __future__ import annotations

from datetime import date

import pyoxigraph
import pytest

from llmboom.namespaces import XSD, shorten
from llmboom.project import Project
from llmboom.sparql.named_queries import get_named_query, run_named_query
from llmboom.sparql.run import QueryResult
from llmboom.store.embedded import EmbeddedStore

# The article's sentences that the answers quote.
BYTEDANCE_STRENGTH = (
    "ByteDance has exerted its strength in language and imaging to lay the foundations for "
    "developing its own large language model."
)
PROJECT_LEAD = (
    "The person in charge of the project in ByteDance responded that the exploration of these "
    "fields is still very young."
)
TEAM_SIZE = (
    "According to a person familiar with the matter, the language model team hosts about ten "
    "people and is led by ByteDance\u2019s search department."
)
RESEARCH_START = (
    "According to another person familiar with the matter, ByteDance started researching a "
    "language model earlier this year to combine it with its search and advertising businesses."
)
TRANSFER = (
    "The search business department, AI Lab and applied machine learning teams have all "
    "transferred personnel to support the large language model that will be launched in the "
    "middle of this year."
)
HEADS = (
    "The heads of the large language model team and the image model team need to report their "
    "work to Zhu Wenjia, head of product technology at TikTok."
)

INTEGER_TYPES = {XSD + "integer", XSD + "nonNegativeInteger"}
LBR_IRI = "https://w3id.org/llmboom/id/"

FAMILIAR = "a person familiar with the matter"
ANOTHER = "another person familiar with the matter"
EXPERT = "a senior AI expert"
LEAD = "the person in charge of the project in ByteDance"


ARTICLE_DATE = date(2023, 2, 23)


@pytest.fixture(scope="module")
def full_store(project: Project) -> pyoxigraph.Store:
    """The whole dataset, for the questions about careers (past positions included)."""
    return EmbeddedStore.in_memory(project).oxigraph


def _stated_by_the_article(
    store: pyoxigraph.Store, resource: str, prop: str | None = None, text: str | None = None
) -> bool:
    """Whether a statement record about `resource` (`lbr:…`), optionally of its lbo:`prop`
    with the value `text`, cites the article or its report."""
    iri = pyoxigraph.NamedNode(resource.replace("lbr:", LBR_IRI))
    about = ""
    if prop is not None:
        about = (
            f"; <http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> lbo:{prop} ; "
            f"<http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?value "
            f"FILTER (STR(?value) = {pyoxigraph.Literal(text)})"
        )
    query = f"""
        PREFIX lbo: <https://w3id.org/llmboom/ontology#>
        PREFIX lbr: <https://w3id.org/llmboom/id/>
        ASK {{
            ?record <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> {iri} ;
                    <http://www.w3.org/ns/prov#wasDerivedFrom> ?source {about} .
            lbr:article lbo:cites* ?source .
        }}
    """
    return bool(store.query(query))


@pytest.fixture(scope="module")
def store(project: Project) -> pyoxigraph.Store:
    from llmboom.history.snapshot import plan, single_valued_properties
    from llmboom.rdf.loading import load_data, load_ontology

    snapshot = plan(
        load_data(project), single_valued_properties(load_ontology(project)), ARTICLE_DATE
    )
    store = EmbeddedStore.in_memory(project).oxigraph
    default = pyoxigraph.DefaultGraph()
    for quad in list(store.quads_for_pattern(None, None, None, default)):
        if not snapshot.keeps(quad):
            store.remove(quad)
    return store


def answer(store: pyoxigraph.Store, project: Project, name: str) -> QueryResult:
    query = get_named_query(project, name)
    return run_named_query(store, query)  # parameters, if any, take their defaults


def plain(term) -> str | bool | int | None:
    """A term as the tests write it: `lbr:x`, a lexical form, a bool or an int."""
    if term is None:
        return None
    if isinstance(term, pyoxigraph.NamedNode):
        return shorten(term.value)
    if term.datatype.value == XSD + "boolean":
        return term.value == "true"
    if term.datatype.value in INTEGER_TYPES:
        return int(term.value)
    return term.value


def rows(result: QueryResult, *columns: str) -> list[tuple]:
    """The chosen columns of every row, in the result's order."""
    index = [result.variables.index(column) for column in columns]
    return [tuple(plain(row[i]) for i in index) for row in result.rows]


def test_1_planned_launches(store, project) -> None:
    result = answer(store, project, "planned-launches")
    assert rows(result, "organization", "model", "plannedLaunch", "wording") == [
        ("lbr:baidu", "lbr:baidu-large-language-model", "2023-03", "March 2023"),
        ("lbr:bytedance", "lbr:bytedance-large-language-model", "2023", "middle of 2023"),
    ]
    datatypes = [row[result.variables.index("plannedLaunch")].datatype for row in result.rows]
    assert [d.value for d in datatypes] == [XSD + "gYearMonth", XSD + "gYear"]


def test_2_zhu_wenjia_reports_to_shouzi_chew_and_the_team_heads_report_to_him(
    store, project
) -> None:
    result = answer(store, project, "zhu-wenjia-reporting")
    assert sorted(rows(result, "relation", "person")) == [
        ("direct report", "lbr:head-of-bytedance-image-model-team"),
        ("direct report", "lbr:head-of-bytedance-language-model-team"),
        ("reports to", "lbr:shouzi-chew"),
    ]


def test_3_shouzi_chews_reporting_chain_with_depths(store, project) -> None:
    result = answer(store, project, "reporting-chain")
    assert sorted(rows(result, "member", "depth"), key=lambda r: (r[1], r[0])) == [
        ("lbr:zhu-wenjia", 1),
        ("lbr:head-of-bytedance-image-model-team", 2),
        ("lbr:head-of-bytedance-language-model-team", 2),
    ]


def test_4_units_leading_the_model_teams_and_what_contains_them(store, project) -> None:
    result = answer(store, project, "model-team-leadership")
    assert sorted(rows(result, "team", "leader", "container")) == [
        (
            "lbr:bytedance-image-model-team",
            "lbr:bytedance-intelligent-creation-team",
            "lbr:bytedance-product-rd-and-engineering-architecture-department",
        ),
        (
            "lbr:bytedance-language-model-team",
            "lbr:bytedance-search-department",
            "lbr:bytedance",
        ),
    ]


def test_5_zhu_wenjias_positions_in_time_order(full_store, project) -> None:
    """His whole career (a snapshot holds only what is current on its date); later reports
    add positions of their own, which the article does not state."""
    result = answer(full_store, project, "zhu-wenjia-positions")
    columns = ("step", "position", "role", "organization", "start", "end", "current")
    stated = [
        row
        for row in rows(result, *columns)
        if _stated_by_the_article(full_store, row[1])
        and (row[2] is None or _stated_by_the_article(full_store, row[1], "roleTitle", row[2]))
    ]
    assert stated == [
        (
            1,
            "lbr:zhu-wenjia-baidu-chief-architect",
            "chief architect",
            "lbr:baidu-search-department",
            None,
            None,
            False,
        ),
        (2, "lbr:zhu-wenjia-toutiao", None, "lbr:toutiao", "2015", None, None),
        (3, "lbr:zhu-wenjia-toutiao-ceo", "CEO", "lbr:toutiao", "2019", "2021-02", False),
        (
            4,
            "lbr:zhu-wenjia-tiktok-technical-director",
            "technical director",
            "lbr:tiktok",
            "2021-02",
            None,
            None,
        ),
        (
            5,
            "lbr:zhu-wenjia-tiktok-head-of-product-technology",
            "head of product technology",
            "lbr:tiktok",
            None,
            None,
            True,
        ),
    ]


def test_6_chinese_openai_founders_and_their_former_roles(full_store, project) -> None:
    store = full_store
    result = answer(store, project, "chinese-openai-founders")
    found = rows(result, "person", "role", "organization", "former")
    # Later reports add other positions of the same people (Wang Huiwen's seats on Meituan's
    # board, Wang Xiaochuan's Baichuan); the article's answer is the roles it states itself.
    stated = [row for row in found if _role_stated_by_the_article(store, row)]
    assert sorted(stated) == [
        ("lbr:li-zhifei", "founder", "lbr:mobvoi", False),
        ("lbr:wang-huiwen", "co-founder", "lbr:meituan", True),
        ("lbr:wang-xiaochuan", "CEO", "lbr:sogou", True),
    ]
    assert {row[0] for row in found} == {row[0] for row in stated}


def _role_stated_by_the_article(store: pyoxigraph.Store, row: tuple) -> bool:
    person, role, organization, _ = row
    values = " ".join(
        str(term)
        for term in (
            pyoxigraph.NamedNode(person.replace("lbr:", LBR_IRI)),
            pyoxigraph.Literal(role),
            pyoxigraph.NamedNode(organization.replace("lbr:", LBR_IRI)),
        )
    )
    query = f"""
        PREFIX lbo: <https://w3id.org/llmboom/ontology#>
        PREFIX lbr: <https://w3id.org/llmboom/id/>
        PREFIX prov: <http://www.w3.org/ns/prov#>
        PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
        ASK {{
            VALUES (?person ?title ?organization) {{ ({values}) }}
            ?position lbo:holder ?person ; lbo:roleTitle ?role ; lbo:inOrganization ?organization .
            FILTER (STR(?role) = ?title)
            ?record rdf:subject ?position ; rdf:predicate lbo:roleTitle ; rdf:object ?role ;
                    prov:wasDerivedFrom ?source .
            lbr:article lbo:cites* ?source .
        }}
    """
    return bool(store.query(query))


def test_7_facts_about_bytedances_language_model_effort_with_quote_and_attribution(
    store, project
) -> None:
    llm = "lbr:bytedance-large-language-model"
    team = "lbr:bytedance-language-model-team"
    head = "lbr:head-of-bytedance-language-model-team"
    article = "the article's own reporting"
    expected = {
        ("lbr:bytedance", "lbo:announcedModel", llm, BYTEDANCE_STRENGTH, "a 36kr report", False),
        (llm, "lbo:developmentStage", "exploration still very young", PROJECT_LEAD, LEAD, True),
        (llm, "lbo:researchStart", "2023", RESEARCH_START, ANOTHER, True),
        (llm, "lbo:intendedApplication", "search business", RESEARCH_START, ANOTHER, True),
        (llm, "lbo:intendedApplication", "advertising business", RESEARCH_START, ANOTHER, True),
        (llm, "lbo:plannedLaunch", "2023", TRANSFER, ANOTHER, True),
        (llm, "lbo:plannedLaunchWording", "middle of 2023", TRANSFER, ANOTHER, True),
        (
            "lbr:bytedance-search-department",
            "lbo:transferredPersonnelTo",
            llm,
            TRANSFER,
            ANOTHER,
            True,
        ),
        ("lbr:bytedance-ai-lab", "lbo:transferredPersonnelTo", llm, TRANSFER, ANOTHER, True),
        (
            "lbr:bytedance-applied-machine-learning-teams",
            "lbo:transferredPersonnelTo",
            llm,
            TRANSFER,
            ANOTHER,
            True,
        ),
        (team, "lbo:approximateSize", 10, TEAM_SIZE, FAMILIAR, True),
        (team, "lbo:ledBy", "lbr:bytedance-search-department", TEAM_SIZE, FAMILIAR, True),
        (head, "lbo:headOf", team, HEADS, article, False),
        (head, "lbo:reportsTo", "lbr:zhu-wenjia", HEADS, article, False),
    }
    result = answer(store, project, "bytedance-llm-provenance")
    found = rows(result, "subject", "predicate", "object", "quote", "attributionLabel", "anonymous")
    assert len(found) == len(set(found)), "a statement record is listed twice"
    assert set(found) == expected


def test_8_facts_resting_only_on_anonymous_sources(store, project) -> None:
    llm = "lbr:bytedance-large-language-model"
    entry = "lbr:volcano-engine-cloud-market-entry"
    bytedance = "lbr:bytedance"
    expected = {
        # "According to a person familiar with the matter, …" and the sentence after it.
        ("lbr:bytedance-language-model-team", "lbo:approximateSize", 10, FAMILIAR),
        (
            "lbr:bytedance-language-model-team",
            "lbo:ledBy",
            "lbr:bytedance-search-department",
            FAMILIAR,
        ),
        ("lbr:bytedance-search-department", "lbo:partOf", bytedance, FAMILIAR),
        (
            "lbr:bytedance-image-model-team",
            "lbo:ledBy",
            "lbr:bytedance-intelligent-creation-team",
            FAMILIAR,
        ),
        (
            "lbr:bytedance-intelligent-creation-team",
            "lbo:partOf",
            "lbr:bytedance-product-rd-and-engineering-architecture-department",
            FAMILIAR,
        ),
        (
            "lbr:bytedance-product-rd-and-engineering-architecture-department",
            "lbo:partOf",
            bytedance,
            FAMILIAR,
        ),
        # "According to another person familiar with the matter, …" and the quote after it.
        (llm, "lbo:researchStart", "2023", ANOTHER),
        (llm, "lbo:intendedApplication", "search business", ANOTHER),
        (llm, "lbo:intendedApplication", "advertising business", ANOTHER),
        (llm, "lbo:plannedLaunch", "2023", ANOTHER),
        (llm, "lbo:plannedLaunchWording", "middle of 2023", ANOTHER),
        ("lbr:bytedance-search-department", "lbo:transferredPersonnelTo", llm, ANOTHER),
        ("lbr:bytedance-ai-lab", "lbo:transferredPersonnelTo", llm, ANOTHER),
        (
            "lbr:bytedance-applied-machine-learning-teams",
            "lbo:transferredPersonnelTo",
            llm,
            ANOTHER,
        ),
        ("lbr:bytedance-ai-lab", "lbo:partOf", bytedance, ANOTHER),
        ("lbr:bytedance-applied-machine-learning-teams", "lbo:partOf", bytedance, ANOTHER),
        # "A senior AI expert revealed that Volcano Engine, …"
        ("lbr:volcano-engine", "lbo:ownedBy", bytedance, EXPERT),
        ("lbr:volcano-engine", "lbo:describedAs", "intelligent technology engine", EXPERT),
        (entry, "lbo:entrant", "lbr:volcano-engine", EXPERT),
        (entry, "lbo:market", "lbr:cloud-iaas-market", EXPERT),
        (entry, "lbo:startDate", "2021", EXPERT),
        (
            entry,
            "lbo:purpose",
            "laying a foundation for the computing power required by large language models",
            EXPERT,
        ),
        # "The person in charge of the project in ByteDance responded that …"
        (llm, "lbo:developmentStage", "exploration still very young", LEAD),
    }
    result = answer(store, project, "anonymous-only-facts")
    found = rows(result, "subject", "predicate", "object", "attributions")
    assert len(found) == len(set(found))
    assert set(_from_the_article(store, result)) == expected
    # Facts contributed after the article may rest on anonymous sources too, but never on
    # the article's named voice.
    assert all("the article's own reporting" not in row[3] for row in found)


def _from_the_article(store: pyoxigraph.Store, result: QueryResult) -> list[tuple]:
    """The rows of anonymous-only-facts whose fact has a statement record citing the article or
    the report it cites (contributions after the article add facts of their own, which CQ 8
    does not ask about)."""
    index = [result.variables.index(c) for c in ("subject", "predicate", "object", "attributions")]
    kept = []
    for row in result.rows:
        subject, predicate, obj, _ = (row[i] for i in index)
        ask = store.query(
            "ASK { ?r <http://www.w3.org/1999/02/22-rdf-syntax-ns#subject> ?s ; "
            "<http://www.w3.org/1999/02/22-rdf-syntax-ns#predicate> ?p ; "
            "<http://www.w3.org/1999/02/22-rdf-syntax-ns#object> ?o ; "
            "<http://www.w3.org/ns/prov#wasDerivedFrom> ?source . "
            "<https://w3id.org/llmboom/id/article> <https://w3id.org/llmboom/ontology#cites>* "
            "?source }",
            substitutions={
                pyoxigraph.Variable("s"): subject,
                pyoxigraph.Variable("p"): predicate,
                pyoxigraph.Variable("o"): obj,
            },
        )
        if bool(ask):
            kept.append(tuple(plain(row[i]) for i in index))
    return kept


def test_8_a_second_named_record_takes_a_fact_off_the_list(project) -> None:
    """A fact is anonymous-only while *every* record of it is anonymous."""
    from llmboom.namespaces import LBO, LBR, PROV, RDF

    def node(iri: str) -> pyoxigraph.NamedNode:
        return pyoxigraph.NamedNode(iri)

    record = node(LBR + "s-volcano-engine-owned-by-bytedance-named")
    quote = "Volcano Engine, an intelligent technology engine owned by ByteDance"
    extra = [
        pyoxigraph.Quad(record, node(RDF + "type"), node(RDF + "Statement")),
        pyoxigraph.Quad(record, node(RDF + "subject"), node(LBR + "volcano-engine")),
        pyoxigraph.Quad(record, node(RDF + "predicate"), node(LBO + "ownedBy")),
        pyoxigraph.Quad(record, node(RDF + "object"), node(LBR + "bytedance")),
        pyoxigraph.Quad(record, node(PROV + "wasDerivedFrom"), node(LBR + "article")),
        pyoxigraph.Quad(record, node(LBO + "quote"), pyoxigraph.Literal(quote, language="en")),
        pyoxigraph.Quad(record, node(LBO + "attributedTo"), node(LBR + "attribution-article")),
    ]
    result = answer(
        EmbeddedStore.in_memory(project, extra).oxigraph, project, "anonymous-only-facts"
    )
    facts = set(rows(result, "subject", "predicate", "object"))
    assert ("lbr:volcano-engine", "lbo:ownedBy", "lbr:bytedance") not in facts
    assert ("lbr:volcano-engine", "lbo:describedAs", "intelligent technology engine") in facts
