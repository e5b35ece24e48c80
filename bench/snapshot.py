"""As-of snapshots and the truthy view at scale (llmboom.history.snapshot), against loading the same
quads into a pyoxigraph store, measured in the same run.

The dataset is replicated (`bench/generate.py`'s `-r<k>` copies) to about --triples triples.
For each: the time to load the quads into a fresh pyoxigraph store (the baseline: every
snapshot starts with it), then `snapshot_quads` as of 2016-06-01, 2022-06-01 and 2023-02-23
and the truthy view; best of --repeat runs. One table: seconds, and the ratio to the load.

Run: `.venv/bin/python bench/snapshot.py --triples 100000`.
"""

from __future__ import annotations

import argparse
import math
import time
from datetime import date
from pathlib import Path

import pyoxigraph
from generate import replicate

from llmboom.history.snapshot import snapshot_quads
from llmboom.project import Project
from llmboom.rdf.loading import load_data, load_ontology

ROOT = Path(__file__).resolve().parent.parent


def best(repeat: int, run) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, nargs="+", default=[100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    project = Project.locate(ROOT)
    base, ontology = load_data(project), load_ontology(project)
    print(f"{'triples':>9} {'case':<22} {'seconds':>8} {'x load':>7}  note")
    for wanted in args.triples:
        quads = replicate(base, max(1, math.ceil(wanted / len(base))))

        def load(quads=quads) -> None:
            pyoxigraph.Store().bulk_extend(quads)

        baseline = best(args.repeat, load)
        print(f"{len(quads):>9} {'load into a store':<22} {baseline:>8.3f} {1:>7.1f}")
        cases = [
            ("as of 2016-06-01", date(2016, 6, 1), "all"),
            ("as of 2022-06-01", date(2022, 6, 1), "all"),
            ("as of 2023-02-23", date(2023, 2, 23), "all"),
            ("truthy view", None, "truthy"),
        ]
        for name, day, view in cases:
            notes: list = []

            def run(day=day, view=view, quads=quads, notes=notes) -> None:
                notes[:] = [snapshot_quads(quads, ontology, day, view)[1].note()]

            seconds = best(args.repeat, run)
            print(
                f"{len(quads):>9} {name:<22} {seconds:>8.3f} {seconds / baseline:>7.1f}  {notes[0]}"
            )


if __name__ == "__main__":
    main()
