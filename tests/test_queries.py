"""The catalogue of named queries: headers, lookup by name, helpful errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmboom.errors import InputError, UnknownQueryError
from llmboom.project import Project
from llmboom.sparql.named_queries import (
    get_named_query,
    named_queries,
    parse_header,
    read_query_file,
)

#: The competency questions of SPEC §5, by the name of their query.
COMPETENCY_QUERIES = {
    "planned-launches",
    "zhu-wenjia-reporting",
    "reporting-chain",
    "model-team-leadership",
    "zhu-wenjia-positions",
    "chinese-openai-founders",
    "bytedance-llm-provenance",
    "anonymous-only-facts",
}


def test_parse_header_reads_title_and_multiline_description() -> None:
    text = (
        "# title: Who reports to whom\n"
        "# description: Every reportsTo link,\n"
        "#   with labels.\n"
        "PREFIX lbo: <https://w3id.org/llmboom/ontology#>\n"
        "# title: not a header any more\n"
        "SELECT * { ?s lbo:reportsTo ?o }\n"
    )
    assert parse_header(text) == {
        "title": "Who reports to whom",
        "description": "Every reportsTo link, with labels.",
    }


def test_parse_header_ignores_other_comments_and_stops_at_a_blank_comment() -> None:
    text = "# A note first\n# title: T\n#\n# trailing remark\nASK {}\n"
    assert parse_header(text) == {"title": "T"}


def test_parse_header_of_a_query_without_comments_is_empty() -> None:
    assert parse_header("SELECT * WHERE { ?s ?p ?o }") == {}


def _project_with_queries(tmp_path: Path, files: dict[str, str]) -> Project:
    (tmp_path / "queries").mkdir()
    for name, text in files.items():
        (tmp_path / "queries" / name).write_text(text, encoding="utf-8")
    return Project(tmp_path)


def test_named_queries_are_sorted_by_name_and_fall_back_to_the_name_as_title(
    tmp_path: Path,
) -> None:
    project = _project_with_queries(
        tmp_path,
        {
            "zeta.rq": "# title: Last\n# description: D\nASK {}\n",
            "alpha.rq": "ASK {}\n",
            "notes.txt": "not a query",
        },
    )
    queries = named_queries(project)
    assert [q.name for q in queries] == ["alpha", "zeta"]
    assert (queries[0].title, queries[0].description) == ("alpha", "")
    assert (queries[1].title, queries[1].description) == ("Last", "D")
    assert queries[1].text.endswith("ASK {}\n")
    assert queries[1].path == tmp_path / "queries" / "zeta.rq"


def test_a_project_without_queries_has_an_empty_catalogue(tmp_path: Path) -> None:
    project = Project(tmp_path)
    assert named_queries(project) == []
    with pytest.raises(UnknownQueryError, match="no queries/ folder"):
        get_named_query(project, "anything")


def test_get_named_query_accepts_the_file_name_too(project: Project) -> None:
    assert get_named_query(project, "reporting-chain.rq").name == "reporting-chain"


def test_unknown_name_lists_the_names_and_suggests_the_closest(project: Project) -> None:
    with pytest.raises(UnknownQueryError) as caught:
        get_named_query(project, "reporting-chian")
    message = str(caught.value)
    assert "did you mean 'reporting-chain'?" in message
    for name in COMPETENCY_QUERIES:
        assert name in message


@pytest.mark.parametrize("name", ["../data/article", "/etc/passwd", "sub/dir"])
def test_names_cannot_escape_the_queries_folder(project: Project, name: str) -> None:
    with pytest.raises(UnknownQueryError):
        get_named_query(project, name)


def test_read_query_file_names_the_missing_file(tmp_path: Path) -> None:
    missing = tmp_path / "missing.rq"
    with pytest.raises(InputError) as caught:
        read_query_file(missing)
    assert str(caught.value).startswith(str(missing) + ":")


def test_the_project_ships_the_eight_competency_queries(project: Project) -> None:
    names = {q.name for q in named_queries(project)}
    assert names >= COMPETENCY_QUERIES


@pytest.mark.parametrize("name", sorted(COMPETENCY_QUERIES))
def test_every_shipped_query_has_a_title_and_a_description(project: Project, name: str) -> None:
    query = get_named_query(project, name)
    assert query.title != query.name
    assert len(query.description) > 40
    assert "Competency question" in query.description


# --- parameters ---------------------------------------------------------------------------

#: Every named query with parameters, and two arguments for each that give different answers.
PARAMETERISED = {
    "reporting-chain": ({"person": "shouzi-chew"}, {"person": "zhu-wenjia"}),
    "positions": ({"person": "zhu-wenjia"}, {"person": "wang-huiwen"}),
    "resource-facts": ({"resource": "bytedance-language-model-team"}, {"resource": "tiktok"}),
    "organization-chart": (
        {"organization": "bytedance", "date": "2023-02-23"},
        {"organization": "bytedance", "date": "2020-01-01"},
    ),
    "timeline": ({"organization": "baidu"}, {"person": "zhu-wenjia"}),
    "reporting-lines": ({"person": "zhu-wenjia"}, {"person": "head-of-bytedance-image-model-team"}),
}
INJECTION = "x> } ; DROP ALL ; #"


def test_parameters_are_read_from_the_header() -> None:
    text = (
        "# title: T\n"
        "# param: person | iri | zhu-wenjia | Whose chain.\n"
        "# param: date | date |  | As of.\n"
        "SELECT ?person ?date {}\n"
    )
    from llmboom.sparql.named_queries import QueryParameter, parse_parameters

    assert parse_parameters(text) == (
        QueryParameter("person", "iri", "zhu-wenjia", "Whose chain."),
        QueryParameter("date", "date", None, "As of."),
    )
    assert parse_header(text) == {"title": "T"}


@pytest.mark.parametrize(
    "line",
    [
        "# param: person | integer | 1 | a type that does not exist",
        "# param: two words | iri | | a bad name",
        "# param: person | iri",
        "# param: day | date | 23 February | a bad default",
    ],
)
def test_a_malformed_parameter_declaration_names_its_line(line: str) -> None:
    from llmboom.sparql.named_queries import parse_parameters

    with pytest.raises(InputError, match=r"q\.rq:2:"):
        parse_parameters(f"# title: T\n{line}\nASK {{}}\n", "q.rq")


def test_every_parameterised_query_is_declared(project: Project) -> None:
    declared = {q.name for q in named_queries(project) if q.parameters}
    assert declared == set(PARAMETERISED)


def test_values_become_rdf_terms(project: Project) -> None:
    import pyoxigraph

    from llmboom.sparql.named_queries import bind_parameters

    chart = get_named_query(project, "organization-chart")
    bound = bind_parameters(chart, {"organization": "bytedance"}, "https://example.org/kg/")
    assert bound == {
        "organization": pyoxigraph.NamedNode("https://example.org/kg/bytedance"),
        "date": pyoxigraph.Literal(
            "2023-02-23", datatype=pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#date")
        ),
    }
    iri = "https://w3id.org/llmboom/id/zhu-wenjia"
    assert bind_parameters(chart, {"organization": iri})["organization"].value == iri


@pytest.mark.parametrize(
    ("values", "message"),
    [
        ({}, "missing parameter 'organization'"),
        ({"organization": "bytedance", "colour": "red"}, "no parameter 'colour'"),
        ({"organization": INJECTION}, "is not a slug"),
        ({"organization": "Not A Slug"}, "is not a slug"),
        ({"organization": "bytedance", "date": "2023-02-30"}, "is not a date"),
        ({"organization": "bytedance", "date": "Feb 2023"}, "is not a date"),
    ],
)
def test_missing_unknown_and_malformed_parameters_are_refused(
    project: Project, values: dict, message: str
) -> None:
    from llmboom.errors import QueryParameterError
    from llmboom.sparql.named_queries import bind_parameters

    with pytest.raises(QueryParameterError, match=message):
        bind_parameters(get_named_query(project, "organization-chart"), values)


def test_a_string_parameter_carrying_sparql_is_bound_as_a_literal_not_run(tmp_path) -> None:
    import pyoxigraph

    from llmboom.sparql.named_queries import read_named_query, run_named_query

    path = tmp_path / "find.rq"
    path.write_text(
        "# param: text | string | | Any text.\n"
        "SELECT ?s ?text WHERE {\n  VALUES ?text { UNDEF }\n  ?s ?p ?text\n}\n",
        encoding="utf-8",
    )
    query = read_named_query(path)
    store = pyoxigraph.Store()
    node = pyoxigraph.NamedNode("https://example.org/a")
    hostile = INJECTION + ' " \\ \n'
    store.add(pyoxigraph.Quad(node, node, pyoxigraph.Literal(hostile)))
    store.add(pyoxigraph.Quad(node, node, pyoxigraph.Literal("other")))
    result = run_named_query(store, query, {"text": hostile})
    assert [row["s"] for row in result.as_dicts()] == [node]
    assert result.as_dicts()[0]["text"] == pyoxigraph.Literal(hostile)
    assert len(store) == 2  # nothing was dropped
    assert len(run_named_query(store, query, {"text": "x"})) == 0


def test_defaults_are_in_the_text_so_it_answers_alone(project: Project) -> None:
    from llmboom.sparql.named_queries import run_named_query
    from llmboom.sparql.run import run_query
    from llmboom.store.embedded import EmbeddedStore

    store = EmbeddedStore.in_memory(project).oxigraph
    chain = get_named_query(project, "reporting-chain")
    assert "  VALUES ?person { lbr:shouzi-chew }\n" in chain.text
    alone = run_query(store, chain.text)
    assert alone.rows == run_named_query(store, chain).rows
    assert alone.rows != run_named_query(store, chain, {"person": "zhu-wenjia"}).rows


def test_a_parameter_needs_a_values_line_to_be_bound_at(tmp_path) -> None:
    from llmboom.sparql.named_queries import read_named_query

    path = tmp_path / "q.rq"
    path.write_text("# param: who | iri | | Who.\nSELECT ?who WHERE { ?who ?p ?o }\n")
    with pytest.raises(InputError, match="no line 'VALUES \\?who"):
        read_named_query(path)


# --- rebasing -----------------------------------------------------------------------------


def test_rebase_query_moves_resource_iris_but_not_strings_or_comments() -> None:
    from llmboom.sparql.named_queries import rebase_query

    text = (
        "# see <https://w3id.org/llmboom/id/x>\n"
        "PREFIX lbr: <https://w3id.org/llmboom/id/>\n"
        'SELECT * { <https://w3id.org/llmboom/id/a> ?p "<https://w3id.org/llmboom/id/b>" }\n'
    )
    assert rebase_query(text, "https://example.org/kg#") == (
        "# see <https://w3id.org/llmboom/id/x>\n"
        "PREFIX lbr: <https://example.org/kg#>\n"
        'SELECT * { <https://example.org/kg#a> ?p "<https://w3id.org/llmboom/id/b>" }\n'
    )


def _answers(root: Path, base: str) -> dict[str, list]:
    """Every named query's answer (parameterised ones with both arguments), with IRIs in
    `base` written back into the canonical namespace. The data carries a contributed report
    that disagrees with the article (a test fixture), so that `competing-claims` has a
    disagreement to list."""
    from llmboom.namespaces import LBR
    from llmboom.rdf.loading import as_default_graph, parse_file, rebase
    from llmboom.sparql.named_queries import run_named_query
    from llmboom.store.embedded import EmbeddedStore

    project = Project.locate(root, base)
    competing = root / "tests" / "submissions" / "competing-report.ttl"
    extra = rebase(as_default_graph(parse_file(competing)), base)
    store = EmbeddedStore.in_memory(project, extra).oxigraph
    answers = {}
    for query in named_queries(project):
        for number, values in enumerate(PARAMETERISED.get(query.name, ({},))):
            result = run_named_query(store, query, values, base_iri=project.base_iri)
            text = repr(sorted(map(repr, result.rows or result.triples))) + repr(result.boolean)
            answers[f"{query.name}/{number}"] = text.replace(base, LBR)
    return answers


def test_every_named_query_answers_the_same_under_two_bases() -> None:
    from tests.conftest import REPO

    canonical = _answers(REPO, "https://w3id.org/llmboom/id/")
    for base in ("https://example.org/kg/", "http://localhost:8000/id#"):
        rebased = _answers(REPO, base)
        assert rebased == canonical, base
    assert len(canonical) >= 12
    empty = [name for name, text in canonical.items() if text.startswith("[]")]
    assert not empty, f"named queries with an empty answer: {empty}"
