"""Named queries rewritten for speed answer exactly as the text they replaced.

tests/queries_before/ keeps the earlier text of each rewritten query, only for this
comparison. Both run on generated data (bench/generate.py: three disjoint copies of the
dataset) with RDFS entailment, as `llmboom query` runs them: every parameter left unbound
(a required IRI parameter answers for every resource at once, and such a parameter is a
column of the answer), each date parameter swept over the dates in the data, the days
on either side of them, and the default, and each IRI parameter with a default ("any") also
bound to the organizations and people most records are about.
"""

from __future__ import annotations

import datetime
from pathlib import Path

import pytest

from llmboom.project import Project

BEFORE = Path(__file__).resolve().parent / "queries_before"
REWRITTEN = sorted(path.stem for path in BEFORE.glob("*.rq"))


@pytest.fixture(scope="module")
def generated(project: Project, tmp_path_factory: pytest.TempPathFactory):
    """The embedded store of a generated project (three copies), with what RDFS entails."""
    from bench.generate import generate, write_project

    from llmboom.dataset import Dataset
    from llmboom.rdf.loading import load_data

    quads = generate(project, 3 * len(load_data(project)))
    out = write_project(project, quads, tmp_path_factory.mktemp("generated") / "project")
    return out, Dataset(out).entailed()


def _dates(store) -> list[str]:
    """Every start and end date in the data as days (a year or month by its first and last
    day), each with the days before and after, and the default date."""
    answer = store.query(
        "PREFIX lbo: <https://w3id.org/llmboom/ontology#> "
        "SELECT DISTINCT ?d WHERE { ?p lbo:startDate|lbo:endDate ?d }"
    )
    days: set[datetime.date] = {datetime.date(2023, 2, 23)}
    for (value,) in answer:
        parts = [int(p) for p in value.value.split("-")]
        first = datetime.date(parts[0], *[*parts[1:], 1, 1][:2])
        if len(parts) == 1:
            last = datetime.date(parts[0], 12, 31)
        elif len(parts) == 2:
            following = datetime.date(parts[0] + parts[1] // 12, parts[1] % 12 + 1, 1)
            last = following - datetime.timedelta(days=1)
        else:
            last = first
        for day in (first, last):
            days.update(day + datetime.timedelta(days=d) for d in (-1, 0, 1))
    return sorted(day.isoformat() for day in days)


def _answers(store, query, bindings: dict) -> list[tuple[str, ...]]:
    from llmboom.sparql.named_queries import bind_into
    from llmboom.sparql.run import run_query

    result = run_query(store, bind_into(query.text, bindings), source=query.name)
    return sorted(tuple(str(term) for term in row) for row in result.rows)


#: The organizations and people most records are about (four of each): what a filter
#: parameter (organization, person) is tried with besides its default.
MOST_MENTIONED = """
PREFIX lbo: <https://w3id.org/llmboom/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
SELECT ?resource WHERE {
  { SELECT ?resource (COUNT(?record) AS ?n) WHERE {
      ?record rdf:subject|rdf:object ?resource . ?resource a lbo:Organization
    } GROUP BY ?resource ORDER BY DESC(?n) STR(?resource) LIMIT 4 }
  UNION
  { SELECT ?resource (COUNT(?record) AS ?n) WHERE {
      ?record rdf:subject|rdf:object ?resource . ?resource a lbo:Person
    } GROUP BY ?resource ORDER BY DESC(?n) STR(?resource) LIMIT 4 }
}"""


def _most_mentioned(store) -> list:
    return [row["resource"] for row in store.query(MOST_MENTIONED)]


@pytest.mark.parametrize("name", REWRITTEN)
def test_the_rewritten_query_answers_as_before(generated, project: Project, name: str) -> None:
    from llmboom.sparql.named_queries import get_named_query, parameter_term, read_named_query

    folder, store = generated
    before = read_named_query(BEFORE / f"{name}.rq", project.base_iri)
    after = get_named_query(folder, name)
    assert [p.name for p in before.parameters] == [p.name for p in after.parameters]
    dated = [p for p in after.parameters if p.type == "date"]
    sweeps = (
        [{p.name: parameter_term(p, day, project.base_iri) for p in dated} for day in _dates(store)]
        if dated
        else [{}]
    )
    distinct = set()
    for parameter in after.parameters:  # an IRI filter with a default: some resources too
        if parameter.type == "iri" and parameter.default is not None:
            sweeps += [{parameter.name: term} for term in _most_mentioned(store)]
    for bindings in sweeps:
        expected = _answers(store, before, bindings)
        assert _answers(store, after, bindings) == expected, bindings
        distinct.add(tuple(expected))
    assert any(distinct), "the generated data gives no answer to compare"
    if dated:  # the dates matter, so the comparison reaches the date filters
        assert len(distinct) > 1
