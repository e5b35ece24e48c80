"""How llmboom's core paths grow with the graph, against rdflib baselines measured in the same run.

The dataset is replicated k times (every lbr: IRI gets a `-r<k>` suffix, so replicas are
disjoint copies with the same shape) and each path is timed at each size:

- parse: `llmboom.loading.parse_bytes` (pyoxigraph) vs `rdflib.Graph.parse` of the same N-Triples;
- query: the `reporting-chain` named query on the pyoxigraph store vs rdflib's SPARQL engine;
- export: `llmboom.export.serialize` to Turtle vs `rdflib.Graph.serialize`;
- stats: `llmboom.stats.compute_stats`;
- validate: `llmboom.validation.validate_quads` (pyshacl; only up to --validate-max triples).

Run: `make bench` or `.venv/bin/python bench/scale.py --replicas 1 10 100`.
It prints one row per (size, path) with seconds and the ratio baseline/llmboom.
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable

import pyoxigraph

from llmboom.export import serialize
from llmboom.formats import by_name
from llmboom.loading import load_data, parse_bytes
from llmboom.namespaces import LBR
from llmboom.project import Project
from llmboom.queries import get_named_query
from llmboom.sparql import run_query
from llmboom.stats import compute_stats


def replicate(quads: list[pyoxigraph.Quad], copies: int) -> list[pyoxigraph.Quad]:
    """`copies` disjoint copies of the dataset (copy 0 keeps the original IRIs)."""

    def renamed(term, k: int):
        if k and isinstance(term, pyoxigraph.NamedNode) and term.value.startswith(LBR):
            return pyoxigraph.NamedNode(f"{term.value}-r{k}")
        return term

    out = []
    for k in range(copies):
        for q in quads:
            out.append(pyoxigraph.Quad(renamed(q.subject, k), q.predicate, renamed(q.object, k)))
    return out


def timed(action: Callable[..., object], *args: object) -> float:
    start = time.perf_counter()
    action(*args)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replicas", type=int, nargs="+", default=[1, 10, 100])
    parser.add_argument("--validate-max", type=int, default=20_000)
    args = parser.parse_args()

    project = Project.locate()
    base = load_data(project)
    print(f"{'triples':>9}  {'path':<9} {'llmboom s':>10} {'baseline s':>11} {'ratio':>7}")
    for copies in args.replicas:
        measure(project, replicate(base, copies), args.validate_max)


def measure(project: Project, quads: list[pyoxigraph.Quad], validate_max: int) -> None:
    """Time every path on `quads` and print one row each."""
    import rdflib

    size = len(quads)
    query = get_named_query(project, "reporting-chain").text
    nt, turtle = by_name("nt"), by_name("turtle")
    text = serialize(quads, nt)

    graph = rdflib.Graph()
    report(
        size, "parse", timed(parse_bytes, text, nt, "bench"), timed(graph.parse, text, None, "nt")
    )

    store = pyoxigraph.Store()
    store.extend(quads)
    report(size, "query", timed(run_query, store, query), timed(lambda: list(graph.query(query))))
    report(size, "export", timed(serialize, quads, turtle), timed(graph.serialize, None, "turtle"))
    report(size, "stats", timed(compute_stats, quads), None)
    if size <= validate_max:
        from llmboom.validation import validate_quads

        report(size, "validate", timed(validate_quads, project, quads), None)


def report(size: int, path: str, ours: float, baseline: float | None) -> None:
    if baseline is None:
        print(f"{size:>9}  {path:<9} {ours:>10.3f} {'-':>11} {'-':>7}", flush=True)
    else:
        ratio = baseline / ours if ours else float("inf")
        print(f"{size:>9}  {path:<9} {ours:>10.3f} {baseline:>11.3f} {ratio:>6.1f}x", flush=True)


if __name__ == "__main__":
    main()
