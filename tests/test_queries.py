"""The catalogue of named queries: headers, lookup by name, helpful errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmboom.errors import InputError, UnknownQueryError
from llmboom.project import Project
from llmboom.queries import (
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
