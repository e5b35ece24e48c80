"""llmboom at scale, against baselines measured in the same run: one table, and JSON.

For each size (synthetic data from bench/generate.py: the dataset replicated), it measures

- load: llmboom's embedded store (`EmbeddedStore.in_memory`: parse data/ and the ontology)
  against raw pyoxigraph bulk-loading the same Turtle, each in a fresh process (time and
  peak resident memory);
- validate: `validation.validate_quads` (every shape) against Apache Jena SHACL on the same
  data, ontology and shapes (`../shared/tools/jena-shacl.sh`, when java is present; the time
  includes the JVM start), as wall-clock and as CPU time (on a shared machine the CPU time
  is the steadier figure; the JVM's CPU time counts its compiler and collector threads);
- the named queries (the eight competency questions and the parameterised ones, with their
  defaults; a required parameter left unbound answers for every resource): p50/p95 through
  llmboom's store as `llmboom query` runs them (with what RDFS entails added), raw
  pyoxigraph on the same Turtle with the ontology in its named graph, as llmboom's store has
  it (reading every value, as llmboom does), and rdflib's
  memory store (rdflib only up to --rdflib-max triples: it needs minutes and GBs above).
  Each engine runs a query once in a forked worker, where a run longer than its budget is
  stopped and shown as >budget, like a query rdflib cannot answer (rdflib's budget is
  --rdflib-budget seconds, or --rdflib-factor times llmboom's p50 if longer, so that
  >budget still proves that ratio); a query that finishes there is timed in this process,
  once untimed and then --repeats runs (warm, as in a server; 3 runs from 1M triples);
- export: Turtle end to end (`export.export_dataset`: read data/ and write; and
  `export.stream_dataset`, `export --stream`, to a file) against pyoxigraph parsing the same
  Turtle and serialising it with the same prefixes; the writing step alone
  (`export.serialize` of loaded quads against `pyoxigraph.serialize`); and the default
  export's steps one after the other;
- build: `publication.build` (up to --build-max triples; it writes a page per resource);
- startup: `llmboom --help` against `python -c "import click"`.

Run: `make bench` (10k, 100k) or `python bench/run.py --sizes 10k 100k 1M --json out.json`;
`--project DIR` measures a project bench/generate.py wrote before (instead of generating),
`--skip validate build ...` leaves parts out.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from bench.generate import generate, write_project  # noqa: E402
from llmboom.project import Project  # noqa: E402

JENA = REPO.parent / "shared" / "tools" / "jena-shacl.sh"


def parse_size(text: str) -> int:
    text = text.lower().replace("_", "")
    factor = {"k": 1_000, "m": 1_000_000}.get(text[-1], 1)
    return int(float(text.rstrip("km")) * factor)


def timed(action, *args, **kwargs) -> tuple[float, object]:
    start = time.perf_counter()
    result = action(*args, **kwargs)
    return time.perf_counter() - start, result


def in_child(code: str, *args: str) -> dict:
    """Run `code` in a fresh Python; it prints one JSON object (time, peak memory)."""
    done = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True)
    if done.returncode != 0:
        raise RuntimeError(done.stderr[-2000:])
    return json.loads(done.stdout.strip().splitlines()[-1])


_LOAD_LLMBOOM = """
import json, resource, sys, time
from pathlib import Path
from llmboom.project import Project
from llmboom.store.embedded import EmbeddedStore
start = time.perf_counter()
store = EmbeddedStore.in_memory(Project(Path(sys.argv[1])))
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "triples": len(store)}))
"""
_LOAD_RAW = """
import json, resource, sys, time
import pyoxigraph
start = time.perf_counter()
store = pyoxigraph.Store()
store.bulk_load(path=sys.argv[1], format=pyoxigraph.RdfFormat.TURTLE)
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(json.dumps({"seconds": seconds, "peak_mb": peak, "triples": len(store)}))
"""


def percentiles(samples: list[float]) -> dict[str, float | None]:
    """p50 and p95; None where a run was stopped at its budget."""
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    p50 = statistics.median(ordered)
    return {
        "p50": None if p50 == float("inf") else p50,
        "p95": None if p95 == float("inf") else p95,
    }


def note(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def measure(project: Project, size: int, args, work: Path, existing: Path | None = None) -> dict:
    from llmboom.rdf.loading import load_data

    if existing is None:
        quads = generate(project, size)
        generated = write_project(project, quads, work / f"project-{size}")
    else:
        generated = Project(existing.resolve(), project.base_iri)
        quads = load_data(generated)
        size = len(quads)
    row: dict = {"requested": size, "triples": len(quads)}
    data_file = generated.data_dir / "generated.ttl"

    if "load" not in args.skip:
        note(f"{len(quads)} triples: load")
        row["load"] = {
            "llmboom": in_child(_LOAD_LLMBOOM, str(generated.root)),
            "pyoxigraph": in_child(_LOAD_RAW, str(data_file)),
        }
    if "validate" not in args.skip:
        measure_validation(row, generated, quads, args, work)
    if "queries" not in args.skip:
        measure_queries(row, project, generated, quads, args)
    if "export" not in args.skip:
        note("export")
        row["export"] = export_figures(generated, quads, data_file)
    if size <= args.build_max and "build" not in args.skip:
        from llmboom.publication import build

        note("build")
        out = work / f"dist-{size}"
        row["build"] = {"llmboom": timed(build, generated, out)[0]}
        shutil.rmtree(out, ignore_errors=True)
    return row


def measure_validation(row: dict, generated: Project, quads, args, work: Path) -> None:
    from llmboom.shacl.validation import validate_quads

    note("validate")
    cpu = time.process_time()
    seconds, report = timed(validate_quads, generated, quads)
    row["validate"] = {
        "llmboom": seconds,
        "llmboom_cpu": time.process_time() - cpu,
        "conforms": report.conforms,
        "results": len(report.results),
    }
    if args.jena and JENA.exists() and shutil.which("java"):
        note("Jena SHACL")
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        row["validate"]["jena"] = jena_seconds(generated, quads, work)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        row["validate"]["jena_cpu"] = (after.ru_utime + after.ru_stime) - (
            before.ru_utime + before.ru_stime
        )


def measure_queries(row: dict, project: Project, generated: Project, quads, args) -> None:
    """p50/p95 of each named query of the checkout (not of a --project's copy)."""
    import pyoxigraph

    from llmboom.dataset import Dataset
    from llmboom.sparql.named_queries import named_queries
    from llmboom.store import ONTOLOGY_GRAPH

    data_file = generated.data_dir / "generated.ttl"
    dataset = Dataset(generated)
    dataset.entailed()  # the store `llmboom query` queries by default
    raw = pyoxigraph.Store()
    raw.bulk_load(path=str(data_file), format=pyoxigraph.RdfFormat.TURTLE)
    # the ontology in its named graph, as llmboom's store holds it (queries such as
    # competing-claims read it there): the same data, without what RDFS entails
    ontology = pyoxigraph.NamedNode(ONTOLOGY_GRAPH)
    for path in generated.ontology_files():
        raw.bulk_load(path=str(path), format=pyoxigraph.RdfFormat.TURTLE, to_graph=ontology)
    graph = None
    size = row["requested"]
    if size <= args.rdflib_max:
        from llmboom.rdf.loading import to_rdflib_graph

        graph = to_rdflib_graph(quads)
    # the workers fork from this process: modules imported here (llmboom's query path, rdflib's
    # SPARQL parser, built at import) are not counted in every worker
    warm = "SELECT * WHERE { ?s ?p ?o OPTIONAL { ?o ?q ?r } FILTER (BOUND(?s)) } LIMIT 1"
    dataset.query(warm)
    list(raw.query(warm))
    if graph is not None:
        list(graph.query(warm))
    # and the objects built so far (the quads, rdflib's graph) stay out of the workers'
    # garbage collections, which would otherwise walk (and copy) them all
    gc.freeze()
    repeats = args.repeats if size < 1_000_000 else max(3, args.repeats // 2)
    row["queries"] = {}
    for query in named_queries(Project(project.root, generated.base_iri)):
        note(f"query {query.name}")
        text = query.text
        runs = {
            "llmboom": measured(lambda t=text: dataset.query(t), repeats, args.query_budget),
            "pyoxigraph": measured(
                lambda t=text: read_all(raw.query(t)), repeats, args.query_budget
            ),
        }
        budget = max(args.rdflib_budget, args.rdflib_factor * statistics.median(runs["llmboom"]))
        if graph is not None and budget != float("inf"):
            # None when rdflib fails on the query, as it does on ORDER BY over unbound values
            rdflib = measured(lambda t=text: len(list(graph.query(t))), repeats, budget)
            runs["rdflib"] = rdflib or [float("inf")]
        row["queries"][query.name] = {k: percentiles(v) for k, v in runs.items()}
        if "rdflib" in runs:  # how long rdflib was given, or that it failed on the query
            row["queries"][query.name]["rdflib"]["budget"] = budget if rdflib else None


def export_figures(project: Project, quads: list, data_file: Path) -> dict:
    """Turtle export end to end and the writing step alone, against raw pyoxigraph."""
    import pyoxigraph

    from llmboom.export import export_dataset, prefixes_for, serialize, stream_dataset
    from llmboom.rdf.formats import by_name

    turtle = by_name("turtle")
    prefixes = prefixes_for(project.base_iri)

    def raw_export() -> bytes:
        parsed = pyoxigraph.parse(path=str(data_file), format=pyoxigraph.RdfFormat.TURTLE)
        return pyoxigraph.serialize(parsed, format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes)

    def raw_write() -> bytes:
        return pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.TURTLE, prefixes=prefixes)

    def streamed() -> None:  # `llmboom export --stream`, to a file as the CLI writes it
        with tempfile.TemporaryFile() as output:
            stream_dataset(project, turtle, output)

    # the best of three, run in turns: the machine may be busy with other work meanwhile
    return {
        "llmboom": best_of(3, export_dataset, project, turtle),
        "pyoxigraph": best_of(3, raw_export),
        "stream": best_of(3, streamed),
        "write_llmboom": best_of(3, serialize, quads, turtle, prefixes=prefixes),
        "write_pyoxigraph": best_of(3, raw_write),
        "parts": export_parts(project, prefixes),
    }


def best_of(runs: int, action, *args, **kwargs) -> float:
    """The shortest of `runs` timed runs of `action`."""
    return min(timed(action, *args, **kwargs)[0] for _ in range(runs))


def export_parts(project: Project, prefixes: dict[str, str]) -> dict[str, float]:
    """Seconds of each step of the Turtle export, one after the other: reading data/ into
    quads, grouping them (each quad once, a subject's quads together: what makes the output
    the same for the same triples), pyoxigraph's writer, and the @prefix header (only the
    prefixes used)."""
    import pyoxigraph

    from llmboom import export
    from llmboom.rdf.gc_control import paused_gc
    from llmboom.rdf.loading import load_data

    with paused_gc():
        read, quads = timed(load_data, project)
        group, grouped = timed(export._grouped_by_subject, quads)
        turtle = pyoxigraph.RdfFormat.TURTLE
        write, body = timed(pyoxigraph.serialize, grouped, format=turtle, prefixes=prefixes)
        header, _ = timed(export._order_prefix_lines, body, prefixes)
    return {"read and parse": read, "group": group, "write": write, "prefix header": header}


def read_all(solutions) -> int:
    """Every value of every row, as llmboom reads them into its result: the raw baseline
    answers a query, not just iterates it."""
    return len([tuple(solution) for solution in solutions])


def measured(action, repeats: int, budget: float) -> list[float] | None:
    """Seconds of `repeats` runs of `action()`: one run in a forked worker first, stopped at
    `budget` ([inf]; None when `action` fails); when it finishes there, one untimed run and
    `repeats` timed runs in this process (a forked child pays about a millisecond per query
    for its first touches of memory, which hid the speed of the small queries)."""
    proof = in_worker(action, budget)
    if proof is None or float("inf") in proof:
        return proof
    action()
    return [timed(action)[0] for _ in range(repeats)]


class _OverBudget(Exception):
    """A run went past its budget."""


def in_worker(action, budget: float) -> list[float] | None:
    """One run of `action()` in a forked worker, timed there: [seconds], [inf] past `budget`
    seconds (some queries take rdflib many minutes), None when `action` fails."""
    from llmboom.sparql import worker

    def run() -> float:
        def stop(signum, frame):
            raise _OverBudget

        signal.signal(signal.SIGALRM, stop)  # stops a run in Python code at its budget
        signal.setitimer(signal.ITIMER_REAL, budget)
        try:
            return timed(action)[0]
        except _OverBudget:
            return float("inf")
        finally:
            signal.setitimer(signal.ITIMER_REAL, 0)

    try:  # and a run in native code at the end of the worker's time
        seconds = worker.run_in_worker(run, timeout=budget + 1, memory_limit=None)
    except worker.WorkerTimeout:
        return [float("inf")]
    except worker.WorkerCrashed:
        return None
    return [float("inf") if seconds > budget else seconds]


def jena_seconds(project: Project, quads, work: Path) -> float:
    """Apache Jena SHACL on the same data graph (data + ontology) and shapes."""
    import pyoxigraph

    from llmboom.rdf.loading import as_default_graph, load_ontology, load_shapes

    data = work / "jena-data.nt"
    shapes = work / "jena-shapes.nt"
    triples = [q.triple for q in as_default_graph([*quads, *load_ontology(project)])]
    pyoxigraph.serialize(triples, str(data), pyoxigraph.RdfFormat.N_TRIPLES)
    pyoxigraph.serialize(
        [q.triple for q in load_shapes(project)], str(shapes), pyoxigraph.RdfFormat.N_TRIPLES
    )
    seconds, done = timed(
        subprocess.run, [str(JENA), str(shapes), str(data)], capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"Jena SHACL failed: {done.stderr[-2000:]}")
    return seconds


def startup() -> dict:
    """`llmboom --help` against `python -c "import click"` (median of 5 runs each)."""
    llmboom = Path(sys.executable).parent / "llmboom"
    runs: dict[str, list[float]] = {"llmboom --help": [], "import click": []}
    for _ in range(5):
        runs["llmboom --help"].append(
            timed(subprocess.run, [str(llmboom), "--help"], capture_output=True)[0]
        )
        runs["import click"].append(
            timed(subprocess.run, [sys.executable, "-c", "import click"], capture_output=True)[0]
        )
    return {name: statistics.median(samples) for name, samples in runs.items()}


def ratio(ours: float, baseline: float | None) -> str:
    if not baseline or baseline == float("inf"):
        return "-"
    return f"{ours / baseline:.2f}x"


def number(value: float) -> str:
    """Nine characters: sub-millisecond query times keep their digits."""
    return f"{value:9.3f}" if value >= 0.1 or value == float("inf") else f"{value:9.5f}"


def table(results: dict) -> str:
    head = f"{'triples':>9}  {'measure':<38} {'llmboom':>9} {'baseline':>9} {'ratio':>7}"
    lines = [head + "  baseline"]

    def add(size, name, ours, baseline, what, budget=None):
        base = number(baseline) if baseline is not None else f"{'-':>9}"
        times = ratio(ours, baseline)
        if baseline == float("inf"):
            base = f"{'>budget':>9}"
            if budget:  # stopped at its budget: the baseline takes longer than that
                base, times = f"{'>' + format(budget, '.1f'):>9}", f"<{ours / budget:.3f}x"
                what += f" stopped at its budget: llmboom >{budget / ours:.0f}x faster"
        elif what == "rdflib" and baseline:
            what += f": llmboom {baseline / ours:.0f}x faster"
        cells = f"{size:>9}  {name:<38} {number(ours)} {base} {times:>7}"
        lines.append(f"{cells}  {what}")

    for row in results["sizes"]:
        n = row["triples"]
        if "load" in row:
            ours, raw = row["load"]["llmboom"], row["load"]["pyoxigraph"]
            add(n, "load s", ours["seconds"], raw["seconds"], "pyoxigraph bulk_load")
            add(n, "load peak MB", ours["peak_mb"], raw["peak_mb"], "pyoxigraph bulk_load")
        if "validate" in row:
            valid = row["validate"]
            name = f"validate s ({valid['results']} results)"
            add(n, name, valid["llmboom"], valid.get("jena"), "Jena SHACL")
            add(n, "validate CPU s", valid["llmboom_cpu"], valid.get("jena_cpu"), "Jena SHACL")
        for name, runs in row.get("queries", {}).items():
            if runs["llmboom"]["p50"] is None or runs["llmboom"]["p95"] is None:
                lines.append(f"{n:>9}  {name} over the query budget")
                continue
            ours = runs["llmboom"]["p50"]
            raw = runs["pyoxigraph"]["p50"]
            add(n, f"{name} p50 s", ours, float("inf") if raw is None else raw, "pyoxigraph")
            if "rdflib" in runs:
                slow = runs["rdflib"]["p50"]
                slow = float("inf") if slow is None else slow
                budget = runs["rdflib"].get("budget")
                what = "rdflib" if budget or slow != float("inf") else "rdflib (failed on it)"
                add(n, f"{name} p50 s", ours, slow, what, budget)
            raw95 = runs["pyoxigraph"]["p95"]
            raw95 = float("inf") if raw95 is None else raw95
            add(n, f"{name} p95 s", runs["llmboom"]["p95"], raw95, "pyoxigraph")
        if "export" in row:
            export = row["export"]
            add(
                n,
                "export turtle s",
                export["llmboom"],
                export["pyoxigraph"],
                "pyoxigraph parse+write",
            )
            if "stream" in export:
                what = "pyoxigraph parse+write"
                add(n, "export --stream turtle s", export["stream"], export["pyoxigraph"], what)
            write, raw_write = export["write_llmboom"], export["write_pyoxigraph"]
            add(n, "write turtle s (loaded quads)", write, raw_write, "pyoxigraph.serialize")
            for part, seconds in export.get("parts", {}).items():
                add(n, f"  export: {part} s", seconds, export["pyoxigraph"], "share of raw")
        if "build" in row and "export" in row and "validate" in row:
            base = row["export"]["llmboom"] + row["validate"]["llmboom"]
            add(n, "build s", row["build"]["llmboom"], base, "export + validate")
    start = results["startup"]
    add("-", "startup s", start["llmboom --help"], start["import click"], "import click")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", nargs="+", default=["10k", "100k"])
    parser.add_argument("--json", type=Path, default=HERE / "results.json")
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--rdflib-max", type=parse_size, default=parse_size("100k"))
    parser.add_argument("--build-max", type=parse_size, default=parse_size("100k"))
    parser.add_argument(
        "--rdflib-budget", type=float, default=60, help="seconds per rdflib query run"
    )
    parser.add_argument(
        "--query-budget", type=float, default=600, help="seconds per query run (not rdflib)"
    )
    parser.add_argument(
        "--rdflib-factor",
        type=float,
        default=0,
        help="an rdflib run may take this many times llmboom's p50, if longer than --rdflib-budget",
    )
    parser.add_argument("--no-jena", dest="jena", action="store_false")
    parser.add_argument(
        "--project",
        type=Path,
        action="append",
        help="measure this project from bench/generate.py instead of --sizes (repeatable)",
    )
    parser.add_argument(
        "--skip", nargs="+", default=[], choices=("load", "validate", "queries", "export", "build")
    )
    args = parser.parse_args()
    project = Project.locate(REPO)
    results: dict = {"sizes": [], "startup": startup()}
    runs = [(None, parse_size(text)) for text in args.sizes]
    if args.project:
        runs = [(directory, 0) for directory in args.project]
    with tempfile.TemporaryDirectory(prefix="llmboom-bench-") as tmp:
        for existing, size in runs:
            results["sizes"].append(measure(project, size, args, Path(tmp), existing))
            print(f"measured {results['sizes'][-1]['triples']} triples", file=sys.stderr)
            # written after each size, so a long run keeps what it measured
            args.json.write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    print(table(results))
    print(f"JSON: {os.path.relpath(args.json)}", file=sys.stderr)


if __name__ == "__main__":
    main()
