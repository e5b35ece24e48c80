"""The submission policy: each rule's message, every offending node listed once."""

from __future__ import annotations

import pyoxigraph
import pytest

from llmboom.namespaces import LBR
from llmboom.project import Project
from llmboom.rdf.formats import by_name
from llmboom.submission import Outcome, SubmissionInput, check_submission
from llmboom.submission.policy import check_policy
from tests.submission_support import PREFIXES


def _problems(text: str) -> list[str]:
    quads = pyoxigraph.parse((PREFIXES + text).encode(), pyoxigraph.RdfFormat.TURTLE)
    return [p.message for p in check_policy(quads, LBR, "x.ttl")]


def test_valid_facts_pass() -> None:
    assert _problems('lbr:baidu lbo:describedAs "search giant"@en ; rdfs:label "Baidu"@en .') == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            'lbr:a lbo:describedAs "bell\\u0007"@en .',
            "control character or unpaired surrogate (U+0007",
        ),
        ('lbr:a lbo:describedAs "\\u0085"@en .', "(U+0085"),
        ("lbr:a owl:sameAs lbr:b .", "owl:sameAs refused: it links a resource"),
        ("lbr:a owl:equivalentClass lbr:b .", "schema statement refused: owl:equivalentClass"),
        ("lbr:a rdfs:subClassOf lbo:Person .", "schema statement refused: rdfs:subClassOf"),
        ("lbr:a a owl:Class .", "typing a node as owl:Class"),
        ("lbr:shape a <http://www.w3.org/ns/shacl#NodeShape> .", "typing a node as sh:NodeShape"),
        ("<https://w3id.org/llmboom/ontology> owl:imports lbr:x .", "ontology term as a subject"),
        ('lbr:a-b-- rdfs:label "x"@en .', "invalid slug 'a-b--'"),
        ("lbr:a lbo:founder lbr:Upper .", "invalid slug 'Upper'"),
        ("lbr:s a lbo:Submission .", "lbo:Submission is written by `submit --apply` only"),
        ('lbr:s lbo:contentHash "00" .', "lbo:contentHash is written by `submit --apply` only"),
    ],
)
def test_each_rule(text: str, message: str) -> None:
    problems = _problems(text)
    assert any(message in p for p in problems), problems


def test_every_problem_is_listed_once() -> None:
    text = (
        "lbo:Person a owl:Class ; rdfs:comment 'x' .\n"
        "<http://example.org/a> lbo:founder [ lbo:founder [] ] .\n"
        "<http://example.org/a> lbo:founder lbr:b .\n"
    )
    quads = pyoxigraph.parse((PREFIXES + text).encode(), pyoxigraph.RdfFormat.TURTLE)
    found = [(p.node, p.message) for p in check_policy(quads, LBR, "x.ttl")]
    # outside lbr:, an ontology term, owl:Class as a type, rdfs:comment, two blank nodes
    assert len(found) == len(set(found)) == 6, found


def test_lone_surrogates_never_reach_the_dataset(project: Project) -> None:
    body = b'{"@id": "https://w3id.org/llmboom/id/a", "https://w3id.org/llmboom/ontology#describedAs": {"@value": "\\ud800", "@language": "en"}}'  # noqa: E501
    report = check_submission(project, [SubmissionInput.from_bytes(body, by_name("jsonld"), "s")])
    assert report.outcome in (Outcome.REFUSED, Outcome.UNREADABLE)
    assert report.problems, report
