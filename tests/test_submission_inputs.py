"""The library API the HTTP server calls: request bodies with a media type, each outcome."""

from __future__ import annotations

import json

from llmboom.project import Project
from llmboom.rdf.formats import by_name
from llmboom.submission import Outcome, SubmissionInput, check_submission
from tests.submission_support import SECOND_SOURCE


def test_unsupported_media_type(project: Project) -> None:
    item = SubmissionInput.from_media_type(b"<a> <b> <c> .", "text/csv")
    report = check_submission(project, [item])
    assert report.outcome is Outcome.UNSUPPORTED_FORMAT and report.exit_code == 2
    assert report.problems[0].message == "unsupported media type 'text/csv'"


def test_too_large_body_is_refused_before_parsing(project: Project) -> None:
    item = SubmissionInput.from_media_type(b"not even RDF" * 100, "text/turtle; charset=utf-8")
    report = check_submission(project, [item], limit=100)
    assert report.outcome is Outcome.TOO_LARGE
    assert report.problems[0].kind == "size"
    assert "exceeds the limit of 100 bytes" in report.problems[0].message


def test_syntax_error_has_name_and_line(project: Project) -> None:
    body = b"@prefix lbr: <https://w3id.org/llmboom/id/> .\n\nlbr:a lbr:b lbr:c\nlbr:d ."
    report = check_submission(project, [SubmissionInput.from_media_type(body, "text/turtle")])
    assert report.outcome is Outcome.UNREADABLE
    [problem] = report.problems
    assert (problem.source, problem.line) == ("request body", 4)
    assert problem.location == "request body:4"


def test_project_context_is_inlined_not_fetched(project: Project) -> None:
    """A JSON-LD body naming the project's published context is read with the local copy."""
    from llmboom.export import serialize
    from llmboom.namespaces import CONTEXT_URL
    from llmboom.rdf.jsonld import build_context
    from llmboom.rdf.loading import parse_file

    document = json.loads(
        serialize(parse_file(SECOND_SOURCE), by_name("jsonld"), context=build_context(project))
    )
    document["@context"] = CONTEXT_URL
    item = SubmissionInput.from_bytes(json.dumps(document).encode(), by_name("jsonld"), "body")
    report = check_submission(project, [item])
    assert report.outcome is Outcome.ACCEPTED, report
    assert report.digest == check_submission(project, [SECOND_SOURCE]).digest


def test_every_unreadable_input_is_listed(project: Project, tmp_path) -> None:
    bad = tmp_path / "bad.ttl"
    bad.write_text("lbr:x", encoding="utf-8")
    odd = tmp_path / "facts.csv"
    odd.write_text("a,b", encoding="utf-8")
    report = check_submission(project, [bad, odd, SECOND_SOURCE])
    assert [p.kind for p in report.problems] == ["syntax", "format"]
    assert report.outcome is Outcome.UNSUPPORTED_FORMAT


def test_remote_context_name_is_shown_escaped(project: Project) -> None:
    body = json.dumps({"@context": "http://example.org/\u0007ctx", "@id": "x"}).encode()
    report = check_submission(project, [SubmissionInput.from_bytes(body, by_name("jsonld"), "b")])
    assert report.outcome is Outcome.REFUSED
    [problem] = report.problems
    assert "http://example.org/\\u0007ctx" in problem.message
    assert "\u0007" not in problem.message
