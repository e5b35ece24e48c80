"""Every negative syntax test of the W3C RDF 1.1 suites (../shared) goes through
`llmboom submit`: each exits 2 with one line `Error: FILE:LINE: reason` and nothing else."""

from __future__ import annotations

import re

import pytest

from tests.conftest import REPO
from tests.submission_support import submit_cli
from tests.test_loading_conformance import CASES

NEGATIVE = [case for case in CASES if case.kind in ("NegativeSyntax", "NegativeEval")]
#: The suites hold 312 negative cases (Turtle 94, TriG 115, N-Triples 29, N-Quads 34,
#: RDF/XML 40); a floor, so that a broken manifest reader cannot shrink the test.
MINIMUM_NEGATIVE = 300
_LINE = re.compile(r"^Error: (?P<file>.+?):(?P<line>[1-9]\d*): \S[^\n]*\n$")


def test_every_negative_case_is_collected() -> None:
    from tests.conftest import shared_or_skip

    shared_or_skip("conformance", "rdf-tests", "rdf", "rdf11")
    assert len(NEGATIVE) >= MINIMUM_NEGATIVE, f"only {len(NEGATIVE)} negative cases"


@pytest.mark.parametrize("case", NEGATIVE, ids=str)
def test_negative_syntax_exits_2_with_file_and_line(case) -> None:
    result = submit_cli(REPO, "submit", str(case.action))
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    match = _LINE.match(result.stderr)
    assert match, result.stderr
    assert match["file"] == str(case.action)
