"""Checking a ~100-triple submission: incremental (focus nodes) against full validation.

The dataset is replicated k times (`bench/generate.py`'s `-r<k>` copies) to 1k, 10k and 100k
triples. At each size the same submission (a second source: new organizations announcing
models, with statement records) is checked with `check_submission` on a dataset loaded once,
as the server holds it: incremental validation (the default) and full validation of the
merged data (`incremental=False`, run once per size, and only up to --full-max triples since
it takes minutes at 100k). Both must give the same verdict. One table: seconds and the ratio.

Run: `make bench` or `.venv/bin/python bench/submit.py --replicas 1 10 100`.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from generate import replicate

from llmboom.dataset import Dataset
from llmboom.project import Project
from llmboom.rdf.formats import by_name
from llmboom.rdf.loading import load_data
from llmboom.submission import SubmissionInput, check_submission

ROOT = Path(__file__).resolve().parent.parent


def submission() -> SubmissionInput:
    """The second-source example plus eight more organizations: about 100 triples."""
    text = (ROOT / "tests" / "submissions" / "second-source.ttl").read_text(encoding="utf-8")
    for i in range(8):
        org, model = f"lbr:bench-org-{i}", f"lbr:bench-org-{i}-model"
        text += f"""
{org} a lbo:Organization ; rdfs:label "Bench organization {i}"@en ;
    lbo:announcedModel {model} .
{model} a lbo:LanguageModel ; rdfs:label "Bench model {i}"@en .
lbr:s-bench-{i} a rdf:Statement ; rdf:subject {org} ; rdf:predicate lbo:announcedModel ;
    rdf:object {model} ; prov:wasDerivedFrom lbr:example-daily-report ;
    lbo:quote "building a large language model"@en ;
    lbo:attributedTo lbr:attribution-example-daily .
"""
    return SubmissionInput.from_bytes(text.encode(), by_name("turtle"), "bench-submission.ttl")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--full-max", type=int, default=120_000, help="skip full validation above")
    parser.add_argument("--runs", type=int, default=3, help="incremental runs (median)")
    args = parser.parse_args()

    project = Project.locate()
    base = load_data(project)
    item = submission()
    print(
        f"{'triples':>9} {'new':>5} {'load s':>7} {'incremental s':>14} {'full s':>8} "
        f"{'ratio':>7}  verdict"
    )
    for copies in args.replicas:
        started = time.perf_counter()
        dataset = Dataset.holding(project, replicate(base, copies))
        dataset.store()  # indexed, as a server's submission worker holds it
        load = time.perf_counter() - started
        check_submission(project, [item], dataset=dataset)  # warm caches
        times, report = [], None
        for _ in range(args.runs):
            started = time.perf_counter()
            report = check_submission(project, [item], dataset=dataset)
            times.append(time.perf_counter() - started)
        assert report is not None
        incremental = statistics.median(times)
        full_text, ratio_text, verdict = "-", "-", report.outcome.value
        if len(dataset.quads()) <= args.full_max:
            started = time.perf_counter()
            full = check_submission(project, [item], dataset=dataset, incremental=False)
            elapsed = time.perf_counter() - started
            assert full.outcome == report.outcome, (full.outcome, report.outcome)
            full_text, ratio_text = f"{elapsed:.2f}", f"{elapsed / incremental:.0f}x"
            verdict += " (same)"
        print(
            f"{len(dataset.quads):>9} {report.new:>5} {load:>7.2f} {incremental:>14.3f} "
            f"{full_text:>8} {ratio_text:>7}  {verdict}",
            flush=True,
        )


if __name__ == "__main__":
    main()
