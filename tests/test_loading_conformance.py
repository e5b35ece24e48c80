"""W3C RDF 1.1 test suites run against `llmboom.rdf.loading.parse_file`.

The suites live in ../shared/conformance/rdf-tests (never copied into the repository):
positive syntax tests must parse, negative ones must raise `InputError` (never another
exception), and evaluation tests must yield the expected graph or dataset.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest

from llmboom.errors import InputError
from llmboom.rdf.formats import by_name
from llmboom.rdf.loading import parse_file
from tests.conftest import SHARED

SUITES_DIR = SHARED / "conformance" / "rdf-tests" / "rdf" / "rdf11"
SUITES = {  # folder → format name in llmboom.rdf.formats
    "rdf-turtle": "turtle",
    "rdf-trig": "trig",
    "rdf-n-triples": "nt",
    "rdf-n-quads": "nq",
    "rdf-xml": "xml",
}
#: Lower bounds on the cases found, so that a broken manifest reader cannot shrink the suite.
MINIMUM_CASES = {
    "rdf-turtle": 290,
    "rdf-trig": 330,
    "rdf-n-triples": 65,
    "rdf-n-quads": 80,
    "rdf-xml": 160,
}

#: Cases the parser is known to fail, with the reason; they run as strict xfails so that a fix
#: is noticed.
KNOWN_FAILURES = {
    "rdf-xml/xml-canon-test001": "pyoxigraph keeps in-scope namespaces in rdf:XMLLiteral "
    "(no exclusive XML canonicalisation)",
    "rdf-xml/xml-canon-test002": "pyoxigraph keeps in-scope namespaces in rdf:XMLLiteral "
    "(no exclusive XML canonicalisation)",
}

MF = "http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#"
RDFT = "http://www.w3.org/ns/rdftest#"


@dataclass(frozen=True)
class Case:
    suite: str
    name: str
    kind: str  # PositiveSyntax | NegativeSyntax | Eval | NegativeEval
    action: Path
    result: Path | None
    base: str

    def __str__(self) -> str:
        return f"{self.suite}/{self.name}"


def read_manifest(suite: str) -> list[Case]:
    import pyoxigraph

    folder = SUITES_DIR / suite
    manifest = folder / "manifest.ttl"
    store = pyoxigraph.Store()
    store.extend(pyoxigraph.parse(path=str(manifest), base_iri=manifest.as_uri()))
    bases = list(store.query(f"SELECT ?b WHERE {{ ?m <{MF}assumedTestBase> ?b }}"))
    assumed_base = bases[0]["b"].value if bases else "http://example/base/"
    rows = store.query(
        f"""SELECT ?test ?type ?action ?result WHERE {{
              ?manifest <{MF}entries>/<http://www.w3.org/1999/02/22-rdf-syntax-ns#rest>*/
                        <http://www.w3.org/1999/02/22-rdf-syntax-ns#first> ?test .
              ?test a ?type ; <{MF}action> ?action .
              OPTIONAL {{ ?test <{MF}result> ?result }}
              FILTER(STRSTARTS(STR(?type), "{RDFT}"))
            }}"""
    )
    cases = []
    for row in rows:
        kind = row["type"].value.removeprefix(RDFT)
        for prefix in ("TestTurtle", "TestTrig", "TestNTriples", "TestNQuads", "TestXML"):
            kind = kind.removeprefix(prefix)
        action = Path(row["action"].value.removeprefix("file://"))
        result = Path(row["result"].value.removeprefix("file://")) if row["result"] else None
        cases.append(
            Case(
                suite,
                row["test"].value.rsplit("#", 1)[-1],
                kind,
                action,
                result,
                assumed_base + action.relative_to(folder).as_posix(),
            )
        )
    return sorted(cases, key=str)


def all_cases() -> list[Case]:
    if not SUITES_DIR.is_dir():
        return []
    return [case for suite in SUITES for case in read_manifest(suite)]


CASES = all_cases()


def canonical(quads) -> set[str]:
    """Quads with blank nodes canonically relabelled, as N-Quads lines."""
    import pyoxigraph

    dataset = pyoxigraph.Dataset(quads)
    dataset.canonicalize(pyoxigraph.CanonicalizationAlgorithm.UNSTABLE)
    return {str(quad) for quad in dataset}


def test_suites_are_present_and_complete() -> None:
    from tests.conftest import shared_or_skip

    shared_or_skip("conformance", "rdf-tests", "rdf", "rdf11")
    for suite, minimum in MINIMUM_CASES.items():
        found = sum(1 for case in CASES if case.suite == suite)
        assert found >= minimum, f"{suite}: only {found} cases read from the manifest"


@pytest.mark.parametrize(
    "case",
    [
        pytest.param(c, marks=pytest.mark.xfail(reason=KNOWN_FAILURES[str(c)], strict=True))
        if str(c) in KNOWN_FAILURES
        else c
        for c in CASES
    ],
    ids=str,
)
def test_w3c_case(case: Case) -> None:
    fmt = by_name(SUITES[case.suite])
    if case.kind in ("NegativeSyntax", "NegativeEval"):
        with pytest.raises(InputError) as raised:
            parse_file(case.action, fmt, base_iri=case.base)
        assert str(raised.value).startswith(str(case.action))
        return
    quads = parse_file(case.action, fmt, base_iri=case.base)
    if case.kind == "Eval":
        assert case.result is not None
        expected_fmt = by_name("nq" if fmt.quads else "nt")
        expected = parse_file(case.result, expected_fmt, base_iri=case.base)
        assert canonical(quads) == canonical(expected)
