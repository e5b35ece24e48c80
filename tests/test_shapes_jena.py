"""The published shapes on another SHACL engine: Apache Jena SHACL (Debian's
libapache-jena-java, run through ../shared/tools/jena-shacl.sh's classpath) agrees with
llmboom on the dataset and on every fixture in tests/shapes/{valid,invalid}: the same focus
nodes, paths, constraint components, severities and source shapes.

Jena gets what the shapes ask for (shapes/common.ttl): the dataset, its source texts and the
ontology as one data graph. All fixtures run in one JVM (tests/jena/ShaclBatch.java), since
starting Java once per fixture would cost minutes.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections import Counter
from pathlib import Path

import pytest

from llmboom.namespaces import SH
from llmboom.project import Project
from llmboom.shacl.validation import validate_project
from tests.conftest import shared_or_skip

pytestmark = pytest.mark.external

FIXTURES = Path(__file__).parent / "shapes"
CASES = [
    None,
    *sorted((FIXTURES / "invalid").glob("*.ttl")),
    *sorted((FIXTURES / "valid").iterdir()),
]
BATCH = Path(__file__).parent / "jena" / "ShaclBatch.java"

Verdict = Counter[tuple[str, str, str, str, str]]


def _need(program: str) -> None:
    if shutil.which(program) is None:
        message = f"{program} is not installed (Debian's default-jdk-headless provides it)"
        if os.environ.get("CI"):
            pytest.fail(message + " and CI is set")
        pytest.skip(message)


def _jena_classpath(tool: Path, tmp: Path) -> str:
    """The classpath jena-shacl.sh builds (with its fixes for Debian's package), captured by
    running it with a `java` that only prints its `-cp` argument."""
    shim = tmp / "shim"
    shim.mkdir()
    fake = shim / "java"
    fake.write_text('#!/bin/sh\nwhile [ $# -gt 0 ]; do [ "$1" = -cp ] && echo "$2"; shift; done\n')
    fake.chmod(0o755)
    env = {**os.environ, "PATH": f"{shim}:{os.environ['PATH']}"}
    done = subprocess.run(
        [str(tool), "shapes.ttl", "data.ttl"], env=env, capture_output=True, text=True, timeout=600
    )
    assert done.returncode == 0 and done.stdout.strip(), done.stderr
    return done.stdout.strip()


def _write_nt(quads, path: Path) -> None:
    import pyoxigraph

    from llmboom.rdf.loading import as_default_graph

    triples = [quad.triple for quad in as_default_graph(quads)]
    pyoxigraph.serialize(triples, str(path), pyoxigraph.RdfFormat.N_TRIPLES)


def _jena_verdicts(report: Path) -> Verdict:
    import pyoxigraph

    store = pyoxigraph.Store()
    store.extend(pyoxigraph.parse(path=str(report), format=pyoxigraph.RdfFormat.N_TRIPLES))
    rows = store.query(
        """PREFIX sh: <http://www.w3.org/ns/shacl#>
        SELECT ?focus ?path ?inverse ?component ?severity ?shape WHERE {
            ?report sh:result ?r .
            ?r sh:focusNode ?focus ; sh:sourceConstraintComponent ?component ;
               sh:resultSeverity ?severity ; sh:sourceShape ?shape .
            OPTIONAL { ?r sh:resultPath ?path OPTIONAL { ?path sh:inversePath ?inverse } }
        }"""
    )
    found: Verdict = Counter()
    for row in rows:
        path = row["path"]
        path_text = f"^<{row['inverse'].value}>" if row["inverse"] is not None else _text(path)
        found[
            (
                _text(row["focus"]),
                path_text,
                row["component"].value,
                row["severity"].value,
                _text(row["shape"]),
            )
        ] += 1
    return found


def _text(term) -> str:
    import pyoxigraph

    if term is None:
        return "-"
    return "_:" if isinstance(term, pyoxigraph.BlankNode) else term.value


def _llmboom_verdicts(project: Project, case: Path | None) -> Verdict:
    return _verdicts(validate_project(project, [case] if case else []))


def _verdicts(report) -> Verdict:
    return Counter(
        (
            "_:" if r.focus_node.startswith("_:") else r.focus_node,
            "-" if r.path is None else ("_:" if r.path.startswith("_:") else r.path),
            r.constraint_component,
            SH + r.severity,
            "_:" if r.source_shape.startswith("_:") else r.source_shape,
        )
        for r in report.results
    )


def _jena_setup(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """A folder for Jena's inputs and reports, and the classpath of the batch runner."""
    tool = shared_or_skip("tools", "jena-shacl.sh")
    _need("java")
    _need("javac")  # `java File.java` compiles the batch runner in memory
    tmp = tmp_path_factory.mktemp("jena")
    return tmp, _jena_classpath(tool, tmp)


def _run_batch(classpath: str, tmp: Path, base: Path, cases: list[str]) -> list[Path]:
    """Jena's report for each case (a data file added to `base`, or "-" for `base` alone)."""
    out = tmp / "reports"
    out.mkdir()
    done = subprocess.run(
        ["java", "-cp", classpath, str(BATCH), str(tmp / "shapes.nt"), str(base), str(out),
         *cases],
        capture_output=True, text=True, timeout=900,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-4000:]
    return [out / f"{index}.nt" for index in range(len(cases))]


@pytest.fixture(scope="module")
def jena_reports(project: Project, tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """Jena's report for each case of CASES (the dataset alone first), from one JVM."""
    tmp, classpath = _jena_setup(tmp_path_factory)

    from llmboom.rdf.loading import load_data, load_ontology, load_shapes, parse_file

    _write_nt(load_shapes(project), tmp / "shapes.nt")
    _write_nt(load_data(project) + load_ontology(project), tmp / "base.nt")
    arguments = []
    for index, case in enumerate(CASES):
        if case is None:
            arguments.append("-")
            continue
        _write_nt(parse_file(case), tmp / f"case{index}.nt")
        arguments.append(str(tmp / f"case{index}.nt"))
    return _run_batch(classpath, tmp, tmp / "base.nt", arguments)


@pytest.mark.parametrize(
    "index", range(len(CASES)), ids=[case.name if case else "dataset" for case in CASES]
)
def test_jena_agrees_with_llmboom(project: Project, jena_reports: list[Path], index: int) -> None:
    case = CASES[index]
    jena = _jena_verdicts(jena_reports[index])
    ours = _llmboom_verdicts(project, case)
    assert jena == ours
    if case is not None and case.parent.name == "invalid":
        assert ours, f"{case.name} is meant to break a shape"


#: Seeds of the damaged copies of the whole dataset compared with Jena; the last case is
#: the whole dataset with every invalid fixture added at once.
DAMAGED_SEEDS = range(4)
ALL_FIXTURES = len(DAMAGED_SEEDS)


@pytest.fixture(scope="module")
def damaged_datasets(
    project: Project, tmp_path_factory: pytest.TempPathFactory
) -> list[tuple[Verdict, Path]]:
    """For each seed: llmboom's verdicts on the whole dataset replicated twice and damaged at
    random (tests/test_shacl_engine.py's `damaged`), and Jena's report on the same quads."""
    from bench.generate import replicate

    from llmboom.rdf.loading import (
        as_default_graph,
        load_data,
        load_ontology,
        load_shapes,
        parse_file,
    )
    from llmboom.shacl.validation import validate_quads
    from tests.test_shacl_engine import damaged

    tmp, classpath = _jena_setup(tmp_path_factory)
    _write_nt(load_shapes(project), tmp / "shapes.nt")
    _write_nt(load_ontology(project), tmp / "ontology.nt")
    data = load_data(project)
    ours, cases = [], []
    copies = [damaged(replicate(data, 2), seed, changes=40) for seed in DAMAGED_SEEDS]
    every_fixture = list(data)
    for path in sorted((FIXTURES / "invalid").glob("*.ttl")):
        if path.name != "blank-node.ttl":  # its blank nodes are labelled apart per parse
            every_fixture.extend(as_default_graph(parse_file(path)))
    for index, quads in enumerate([*copies, every_fixture]):
        ours.append(_verdicts(validate_quads(project, quads)))
        _write_nt(quads, tmp / f"case{index}.nt")
        cases.append(str(tmp / f"case{index}.nt"))
    return list(zip(ours, _run_batch(classpath, tmp, tmp / "ontology.nt", cases), strict=True))


@pytest.mark.parametrize("seed", DAMAGED_SEEDS)
def test_jena_agrees_with_llmboom_on_the_damaged_dataset(damaged_datasets, seed: int) -> None:
    """The whole dataset (later reports and the Epoch AI table included; pyshacl takes many
    minutes on it, so tests/test_shacl_engine.py compares with pyshacl on the article's part)."""
    ours, report = damaged_datasets[seed]
    assert ours  # the damage breaks some shapes
    assert _jena_verdicts(report) == ours


def test_jena_agrees_with_llmboom_on_every_invalid_fixture_at_once(damaged_datasets) -> None:
    """The whole dataset with every invalid fixture added: their violations together, as
    each engine finds them in one run. The fixtures reuse IRIs (`lbr:s-fixture-bad`), so
    together a SPARQL constraint may find the same focus node many times over: Jena gives a
    result per solution, llmboom one per distinct solution, so the results are compared as
    sets here (one by one, above, they are compared with their counts)."""
    ours, report = damaged_datasets[ALL_FIXTURES]
    assert len(ours) > 150
    assert set(_jena_verdicts(report)) == set(ours)
