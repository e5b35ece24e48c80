"""The benchmark runner's smoke test: bench/run.py at the smallest size writes its JSON and
prints its table, with every measure and baseline present (figures are not judged here:
speed targets are read from `make bench`, not asserted in unit tests)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

pytestmark = pytest.mark.slow


def test_runner_at_the_smallest_size(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run(
        [sys.executable, str(REPO / "bench" / "run.py"), "--sizes", "10k", "--repeats", "2",
         "--no-jena", "--rdflib-budget", "10", "--json", str(out)],
        capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-3000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    (row,) = results["sizes"]
    assert row["triples"] >= 10_000
    assert row["load"]["llmboom"]["triples"] == row["load"]["pyoxigraph"]["triples"] > 0
    assert row["load"]["llmboom"]["peak_mb"] > 0
    assert row["validate"]["conforms"] and row["validate"]["results"] == 0
    assert len(row["queries"]) >= 8  # the eight competency questions and any others
    for runs in row["queries"].values():
        assert set(runs) == {"llmboom", "pyoxigraph", "rdflib"}
        for name, r in runs.items():  # rdflib may be stopped at its budget: None
            assert (name == "rdflib" and r["p95"] is None) or 0 <= r["p50"] <= r["p95"]
    assert row["export"]["llmboom"] > 0 and row["export"]["pyoxigraph"] > 0
    assert row["build"]["llmboom"] > 0
    assert set(results["startup"]) == {"llmboom --help", "import click"}
    table = done.stdout
    assert "validate s" in table and "anonymous-only-facts p50 s" in table
    assert "build s" in table and "startup s" in table
