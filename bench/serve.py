"""`llmboom serve` under load, against a real Oxigraph server on the same data, in one run.

Both servers run on the loopback address as separate processes: `llmboom serve` (defaults:
2 query workers, every client admitted) and `oxigraph serve` (PyPI `oxigraph`), in memory,
loaded with the same quads (the data in the default graph, the ontology in its named
graph). The same client (threads with keep-alive connections) sends requests from 16
concurrent clients for a fixed time per scenario and records every latency:

- named queries, cold cache: the named queries in turn, `GET /sparql?query=…`, SPARQL JSON,
  each request's text made new by a numbered comment, so llmboom's result cache never has
  it (every answer is computed by a worker);
- named queries, warm cache: the same queries repeated as they are (after one pass);
- resources as RDF: llmboom `GET /id/<slug>` (Turtle) vs Oxigraph `DESCRIBE <iri>` (Turtle);
- resource pages, cold: llmboom `GET /id/<slug>` as HTML, each page of the sample asked for
  once (first renders); warm: the same pages again (no Oxigraph peer). The sample is
  `--pages` resources spread evenly over the sorted slugs (all of them on a small dataset).

It prints requests/s, p50 and p99 per scenario and server, and the ratio of llmboom's
throughput to Oxigraph's (targets: named queries with a warm cache at least 2x Oxigraph;
resource pages with a warm cache p99 under 100 ms on the article, 300 ms at 1M triples).
Bounded: `--seconds` per scenario (default 5), then both servers are stopped.

Two more figures, for large datasets (`--root DIR`, e.g. a project from bench/generate.py):
- memory: the peak resident memory of the `llmboom serve` process, and of it with its
  query workers, sampled while it serves the scenarios (target at 1M triples: 1.5 GB);
- start-up: seconds from starting `llmboom --store DIR serve` with a store already
  persisted in DIR (`--store`, built first if need be) to the first successful answer of a
  resource page, a resource as Turtle, the home page and a SPARQL query (target: 2 s).

Run: `.venv/bin/python bench/serve.py [--seconds 5] [--clients 16] [--root DIR]
[--store DIR] [--pages 2000] [--no-oxigraph] [--no-startup]`.
"""

from __future__ import annotations

import argparse
import collections
import dataclasses
import http.client
import itertools
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # loopback only
#: The query of the start-up figure: cheap, so that it times the start, not the query.
FIRST_QUERY = "SELECT ?x WHERE { ?x a lbo:Organization } LIMIT 10"
#: Seconds a server may take to answer its first request (a million triples take a while).
START_TIMEOUT = 600.0


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, path: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if process.poll() is not None:
            sys.exit(f"a server exited early (status {process.returncode})")
        try:
            connection = http.client.HTTPConnection(HOST, port, timeout=2)
            connection.request("GET", path)
            if connection.getresponse().status < 500:
                return
        except OSError:
            time.sleep(0.2)
    sys.exit(f"a server did not start within {START_TIMEOUT:g} s")


def wait_until_answered(port: int, path: str, headers: dict) -> None:
    """Wait until `GET path` answers 200 (the query workers are ready)."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        try:
            connection.request("GET", path, headers=headers)
            response = connection.getresponse()
            response.read()
            if response.status == 200:
                return
        except OSError:
            pass
        finally:
            connection.close()
        time.sleep(0.5)
    sys.exit(f"no answer to {path} within {START_TIMEOUT:g} s")


@contextmanager
def started(
    command: list[str], port: int, probe: str, memory: MemorySampler | None = None
) -> Iterator[subprocess.Popen]:
    """The server running `command`, once it answers `probe`; `memory` samples it from its
    start until it stops."""
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if memory is not None:
        memory.start(process.pid)
    try:
        wait_until_up(port, probe, process)
        yield process
    finally:
        if memory is not None:
            memory.stop()
        stop(process)


def stop(process: subprocess.Popen) -> None:
    """Terminate a server, killing it if it has not exited within 15 s."""
    process.terminate()
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


class MemorySampler:
    """Samples the resident memory of a process and of it with its descendants (the query
    workers and their fork server), in a thread, until stopped; keeps the peaks in MB."""

    def __init__(self, every: float = 0.1) -> None:
        self.pid, self.every = 0, every
        self.peak_server = self.peak_total = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def start(self, pid: int) -> None:
        self.pid = pid
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            own = rss_mb(self.pid)
            total = own + sum(rss_mb(child) for child in descendants(self.pid))
            self.peak_server = max(self.peak_server, own)
            self.peak_total = max(self.peak_total, total)


def rss_mb(pid: int) -> float:
    """VmRSS of a process in MB (0 once it is gone)."""
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def descendants(pid: int) -> list[int]:
    """Every process below `pid` (children started by any of its threads)."""
    found: list[int] = []
    direct: list[int] = []
    for task in Path(f"/proc/{pid}/task").glob("*"):
        try:
            direct += [int(child) for child in (task / "children").read_text().split()]
        except OSError:
            continue
    for child in direct:
        found += [child, *descendants(child)]
    return found


def first_answers(
    command: list[str], port: int, paths: dict[str, tuple[str, dict]], memory: MemorySampler
) -> dict:
    """Start `command` (a server on `port`) and time, from the start of the process, the
    first successful (200) answer to each request in `paths`; then stop it."""
    began = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    memory.start(process.pid)
    seconds: dict[str, float] = {}
    try:
        while len(seconds) < len(paths) and time.perf_counter() - began < 600:
            if process.poll() is not None:
                sys.exit(f"the server exited early (status {process.returncode})")
            for name, (path, headers) in paths.items():
                if name in seconds:
                    continue
                try:
                    connection = http.client.HTTPConnection(HOST, port, timeout=60)
                    connection.request("GET", path, headers=headers)
                    response = connection.getresponse()
                    response.read()
                    if response.status == 200:
                        seconds[name] = time.perf_counter() - began
                except OSError:
                    time.sleep(0.01)
                    break  # not listening yet
    finally:
        memory.stop()
        stop(process)
    return seconds


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).is_file():
        sys.exit("no `oxigraph` program: pip install oxigraph (it is in the test extras)")
    return found


Requests = list[tuple[str, dict]] | Callable[[int], tuple[str, dict]]


def load(
    seconds: float, clients: int, port: int, requests: Requests, *, once: bool = False
) -> dict:
    """`clients` threads send `requests` in turn (a list, or a function of the request's
    number) for `seconds`, or with `once` each request of the list once; latencies of 200
    answers."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures = [0] * clients
    reasons: list[collections.Counter] = [collections.Counter() for _ in range(clients)]
    stop = time.monotonic() + (START_TIMEOUT if once else seconds)
    numbers = itertools.count()
    make = requests if callable(requests) else (lambda i: requests[i % len(requests)])
    last = len(requests) if once and not callable(requests) else None

    def client(k: int) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        while time.monotonic() < stop:
            i = next(numbers)
            if last is not None and i >= last:
                break
            path, headers = make(i)
            start = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException) as error:
                failures[k] += 1
                reasons[k][type(error).__name__] += 1
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
                continue
            if response.status == 200:
                latencies[k].append(time.perf_counter() - start)
            else:
                failures[k] += 1
                reasons[k][f"HTTP {response.status}"] += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    every = sorted(t for per_client in latencies for t in per_client)
    why = sum(reasons, collections.Counter())
    if not every:
        return {
            "rps": 0.0, "p50": float("nan"), "p99": float("nan"), "failed": sum(failures),
            "why": dict(why),
        }  # fmt: skip
    return {
        "rps": len(every) / elapsed,
        "p50": statistics.median(every) * 1000,
        "p99": every[min(len(every) - 1, int(len(every) * 0.99))] * 1000,
        "failed": sum(failures),
        "why": dict(why),  # each failure's kind: an HTTP status or the client's exception
    }


@dataclasses.dataclass(frozen=True)
class Scenario:
    """Requests to llmboom and the same questions to Oxigraph (None: no peer)."""

    name: str
    ours: Requests
    theirs: Requests | None
    warm: bool = False  #: answer each request once before measuring
    once: bool = False  #: each request once (not for a fixed time)


def upload(port: int, nquads: bytes) -> None:
    """Load N-Quads into the Oxigraph server (`POST /store`)."""
    connection = http.client.HTTPConnection(HOST, port, timeout=120)
    connection.request(
        "POST", "/store", body=nquads, headers={"Content-Type": "application/n-quads"}
    )
    response = connection.getresponse()
    response.read()
    if response.status >= 300:
        sys.exit(f"Oxigraph refused the data: HTTP {response.status}")


def sparql_get(query: str, accept: str) -> tuple[str, dict]:
    return "/sparql?" + urllib.parse.urlencode({"query": query}), {"Accept": accept}


def oxigraph_get(query: str, accept: str) -> tuple[str, dict]:
    return "/query?" + urllib.parse.urlencode({"query": query}), {"Accept": accept}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=5.0, help="per scenario and server")
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--root", type=Path, default=REPO, help="the project to serve")
    parser.add_argument(
        "--store",
        type=Path,
        help="the persisted store for the start-up figure (default: temporary)",
    )
    parser.add_argument(
        "--pages", type=int, default=2000, help="resources in the pages' sample (0: all)"
    )
    parser.add_argument("--no-oxigraph", dest="oxigraph", action="store_false")
    parser.add_argument(
        "--no-startup", dest="startup", action="store_false", help="skip the start-up figures"
    )
    args = parser.parse_args()

    from llmboom.namespaces import LBR
    from llmboom.project import Project
    from llmboom.sparql.named_queries import named_queries
    from llmboom.store.embedded import EmbeddedStore

    project = Project.locate(args.root)
    store = EmbeddedStore.in_memory(project).oxigraph
    queries = [q.text for q in named_queries(project)]
    slugs = sorted(
        {
            q.subject.value[len(LBR) :]
            for q in store.quads_for_pattern(None, None, None)
            if q.subject.value.startswith(LBR)
        }
    )
    json_results = "application/sparql-results+json"
    step = max(1, len(slugs) // args.pages) if args.pages else 1
    sample = slugs[::step][: args.pages or None]

    def cold_query(i: int) -> tuple[str, dict]:
        return sparql_get(f"{queries[i % len(queries)]}\n# request {i}", json_results)

    named = [sparql_get(q, json_results) for q in queries]
    their_named = [oxigraph_get(q, json_results) for q in queries]
    pages = [(f"/id/{s}", {"Accept": "text/html"}) for s in sample]
    scenarios: list[Scenario] = [
        Scenario(f"named queries ({len(queries)}), cold cache", cold_query, their_named),
        Scenario(f"named queries ({len(queries)}), warm cache", named, their_named, warm=True),
        Scenario(
            "resources as Turtle",
            [(f"/id/{s}", {"Accept": "text/turtle"}) for s in sample],
            [oxigraph_get(f"DESCRIBE <{LBR}{s}>", "text/turtle") for s in sample],
            warm=True,
        ),
        Scenario(f"resource pages (HTML, {len(sample)}), cold", pages, None, once=True),
        Scenario(f"resource pages (HTML, {len(sample)}), warm", pages, None, warm=True),
    ]

    if not args.oxigraph:
        scenarios = [dataclasses.replace(sc, theirs=None) for sc in scenarios]
    triples = len(store)
    startup = {}
    if args.store is not None and args.startup:  # persisted first, like a deployment's store
        startup = startup_seconds(args, args.store, slugs)
    results: list[tuple[str, str, dict]] = []
    with tempfile.TemporaryDirectory(prefix="llmboom-bench-serve-") as tmp:
        import pyoxigraph

        dump = Path(tmp) / "dataset.nq"
        if args.oxigraph:
            store.dump(str(dump), pyoxigraph.RdfFormat.N_QUADS)
        del store
        ours, theirs = free_port(), free_port()
        llmboom = [sys.executable, "-m", "llmboom", "--root", str(args.root)]
        if args.store is not None:  # the persisted store, for the scenarios too
            llmboom += ["--store", str(args.store)]
        llmboom += ["serve"]
        # every client is admitted (the 429 cap is not what is measured here)
        llmboom += ["--host", HOST, "--port", str(ours), "--queue", str(args.clients)]
        # Oxigraph in memory too (like llmboom's store), loaded over its Graph Store API
        oxigraph = [oxigraph_binary(), "serve", "--bind", f"{HOST}:{theirs}", "--timeout-s", "10"]
        memory = MemorySampler()
        with started(llmboom, ours, "/openapi.json", memory):
            # the query workers start in the background (at 1M triples, after the entailed
            # copy is made): wait for them, not to measure 503s
            path, headers = sparql_get(FIRST_QUERY, "application/sparql-results+json")
            wait_until_answered(ours, path, headers)
            load(1.0, args.clients, ours, named)  # the workers are warm
            for sc in scenarios:
                if sc.warm:  # every request of the scenario answered once before
                    load(0, args.clients, ours, sc.ours, once=True)
                figures = load(args.seconds, args.clients, ours, sc.ours, once=sc.once)
                results.append((sc.name, "llmboom", figures))
        if args.oxigraph:
            with started(oxigraph, theirs, "/"):
                upload(theirs, dump.read_bytes())
                load(1.0, args.clients, theirs, their_named)
                for sc in scenarios:
                    if sc.theirs is not None:
                        figures = load(args.seconds, args.clients, theirs, sc.theirs)
                        results.append((sc.name, "oxigraph", figures))
        if args.store is None and args.startup:
            startup = startup_seconds(args, Path(tmp) / "store", slugs)
    report(results, args)
    print(
        f"{triples} triples served ({'--store' if args.store else 'without --store'}): peak "
        f"resident memory {memory.peak_server:.0f} MB (server process), "
        f"{memory.peak_total:.0f} MB (with the processes it started); target 1536 MB"
    )
    for name, seconds in startup.items():
        print(f"--store start to first answer ({name}): {seconds:.2f} s; target 2 s")


def persist(args: argparse.Namespace, where: Path | None = None) -> None:
    """Build the persisted store in `where` (default `--store`) unless it is up to date."""
    where = where or args.store
    command = [sys.executable, "-m", "llmboom", "--root", str(args.root), "--store", str(where)]
    started_at = time.perf_counter()
    subprocess.run(
        [*command, "query", "--entailment", "none", "ASK {}"], check=True, capture_output=True
    )
    print(f"store persisted in {where} ({time.perf_counter() - started_at:.1f} s if built now)")


def startup_seconds(args: argparse.Namespace, temporary: Path, slugs: list[str]):
    """Seconds from starting `llmboom --store DIR serve` to its first answers, with the
    store already persisted in DIR (built here first when it is not)."""
    from llmboom.namespaces import LBR

    where = args.store or temporary
    persist(args, where)
    base = [sys.executable, "-m", "llmboom", "--root", str(args.root), "--store", str(where)]
    slug = slugs[len(slugs) // 2] if slugs else ""
    assert slug, f"no resource in {LBR}"
    port = free_port()
    command = [*base, "serve", "--host", HOST, "--port", str(port)]
    paths = {
        "resource page": (f"/id/{slug}", {"Accept": "text/html"}),
        "resource as Turtle": (f"/id/{slug}", {"Accept": "text/turtle"}),
        "SPARQL query": sparql_get(FIRST_QUERY, "application/sparql-results+json"),
        "home page": ("/", {"Accept": "text/html"}),
    }
    # the first start makes what the store keeps beside the data (the entailed copy for the
    # query workers, the whole-dataset documents); the second finds them persisted
    memory = MemorySampler()
    first = first_answers(command, port, paths, memory)
    print(
        f"first start of `serve --store`: peak resident memory {memory.peak_server:.0f} MB "
        f"(server process), {memory.peak_total:.0f} MB (with the processes it started)"
    )
    again = first_answers(command, port, paths, MemorySampler())
    return {
        **{f"{name}, first start": seconds for name, seconds in first.items()},
        **{f"{name}, persisted": seconds for name, seconds in again.items()},
    }


def report(results: list[tuple[str, str, dict]], args: argparse.Namespace) -> None:
    print(
        f"{args.clients} concurrent clients, {args.seconds:g} s per row, loopback, "
        f"{os.cpu_count()} CPUs"
    )
    print(f"{'scenario':44} {'server':9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'failed':>6}")
    by_key = {(name, server): figures for name, server, figures in results}
    for name, server, f in results:
        print(
            f"{name:44} {server:9} {f['rps']:8.0f} {f['p50']:8.1f} {f['p99']:8.1f} {f['failed']:6}"
        )
        if f["failed"]:
            kinds = ", ".join(f"{kind} {count}" for kind, count in sorted(f["why"].items()))
            print(f"{'':44} {'':9} failed: {kinds}")
    for name, _, _ in results:
        peer = by_key.get((name, "oxigraph"))
        if peer and (name, "llmboom") in by_key and peer["rps"]:
            ratio = by_key[(name, "llmboom")]["rps"] / peer["rps"]
            print(f"{name}: llmboom/oxigraph throughput = {ratio:.2f}")
            by_key.pop((name, "oxigraph"))


if __name__ == "__main__":
    main()
