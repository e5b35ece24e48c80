"""`llmboom serve` under load, against a real Oxigraph server on the same data, in one run.

Both servers run on the loopback address as separate processes: `llmboom serve` (defaults:
2 query workers, every client admitted) and `oxigraph serve` (PyPI `oxigraph`), in memory,
loaded with the same quads (the data in the default graph, the ontology in its named
graph). The same client (threads with keep-alive connections) sends requests from 16
concurrent clients for a fixed time per scenario and records every latency:

- named queries: the eight competency questions in turn, `GET /sparql?query=…`, SPARQL JSON;
- resources as RDF: llmboom `GET /id/<slug>` (Turtle) vs Oxigraph `DESCRIBE <iri>` (Turtle);
- resource pages: llmboom `GET /id/<slug>` as HTML (no Oxigraph peer).

It prints requests/s, p50 and p99 per scenario and server, and the ratio of llmboom's
throughput to Oxigraph's (target for named queries: at least 0.5, i.e. within 2x).
Bounded: `--seconds` per scenario (default 5), then both servers are stopped.

Run: `.venv/bin/python bench/serve.py [--seconds 5] [--clients 16]`.
"""

from __future__ import annotations

import argparse
import http.client
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
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"  # loopback only


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def wait_until_up(port: int, path: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
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
    sys.exit("a server did not start within 60 s")


@contextmanager
def started(command: list[str], port: int, probe: str) -> Iterator[None]:
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_until_up(port, probe, process)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).is_file():
        sys.exit("no `oxigraph` program: pip install oxigraph (it is in the test extras)")
    return found


def load(seconds: float, clients: int, port: int, requests: list[tuple[str, dict]]) -> dict:
    """`clients` threads send `requests` in turn for `seconds`; latencies of 200 answers."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    failures = [0] * clients
    stop = time.monotonic() + seconds

    def client(k: int) -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        i = k
        while time.monotonic() < stop:
            path, headers = requests[i % len(requests)]
            i += 1
            start = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                failures[k] += 1
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
                continue
            if response.status == 200:
                latencies[k].append(time.perf_counter() - start)
            else:
                failures[k] += 1
        connection.close()

    threads = [threading.Thread(target=client, args=(k,)) for k in range(clients)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    every = sorted(t for per_client in latencies for t in per_client)
    if not every:
        return {"rps": 0.0, "p50": float("nan"), "p99": float("nan"), "failed": sum(failures)}
    return {
        "rps": len(every) / elapsed,
        "p50": statistics.median(every) * 1000,
        "p99": every[min(len(every) - 1, int(len(every) * 0.99))] * 1000,
        "failed": sum(failures),
    }


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
    args = parser.parse_args()

    from llmboom.loading import dataset_store
    from llmboom.namespaces import LBR
    from llmboom.project import Project
    from llmboom.queries import named_queries

    project = Project.locate(REPO)
    store = dataset_store(project)
    queries = [q.text for q in named_queries(project)]
    slugs = sorted(
        {
            q.subject.value[len(LBR) :]
            for q in store.quads_for_pattern(None, None, None)
            if q.subject.value.startswith(LBR)
        }
    )
    json_results = "application/sparql-results+json"
    scenarios: list[tuple[str, list, list | None]] = [
        (
            "named queries (8, SPARQL JSON)",
            [sparql_get(q, json_results) for q in queries],
            [oxigraph_get(q, json_results) for q in queries],
        ),
        (
            "resources as Turtle",
            [(f"/id/{s}", {"Accept": "text/turtle"}) for s in slugs],
            [oxigraph_get(f"DESCRIBE <{LBR}{s}>", "text/turtle") for s in slugs],
        ),
        ("resource pages (HTML)", [(f"/id/{s}", {"Accept": "text/html"}) for s in slugs], None),
    ]

    results: list[tuple[str, str, dict]] = []
    with tempfile.TemporaryDirectory(prefix="llmboom-bench-serve-") as tmp:
        import pyoxigraph

        dump = Path(tmp) / "dataset.nq"
        store.dump(str(dump), pyoxigraph.RdfFormat.N_QUADS)
        ours, theirs = free_port(), free_port()
        llmboom = [sys.executable, "-m", "llmboom", "--root", str(REPO), "serve"]
        # every client is admitted (the 429 cap is not what is measured here)
        llmboom += ["--host", HOST, "--port", str(ours), "--queue", str(args.clients)]
        # Oxigraph in memory too (like llmboom's store), loaded over its Graph Store API
        oxigraph = [oxigraph_binary(), "serve", "--bind", f"{HOST}:{theirs}", "--timeout-s", "10"]
        with started(llmboom, ours, "/openapi.json"), started(oxigraph, theirs, "/"):
            upload(theirs, dump.read_bytes())
            for name, our_requests, their_requests in scenarios:
                load(1.0, args.clients, ours, our_requests)  # warm-up
                results.append(
                    (name, "llmboom", load(args.seconds, args.clients, ours, our_requests))
                )
                if their_requests is not None:
                    load(1.0, args.clients, theirs, their_requests)
                    figures = load(args.seconds, args.clients, theirs, their_requests)
                    results.append((name, "oxigraph", figures))
    report(results, args)


def report(results: list[tuple[str, str, dict]], args: argparse.Namespace) -> None:
    print(
        f"{args.clients} concurrent clients, {args.seconds:g} s per row, loopback, "
        f"{os.cpu_count()} CPUs"
    )
    print(f"{'scenario':34} {'server':9} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'failed':>6}")
    by_key = {(name, server): figures for name, server, figures in results}
    for name, server, f in results:
        print(
            f"{name:34} {server:9} {f['rps']:8.0f} {f['p50']:8.1f} {f['p99']:8.1f} {f['failed']:6}"
        )
    for name, _, _ in results:
        peer = by_key.get((name, "oxigraph"))
        if peer and (name, "llmboom") in by_key and peer["rps"]:
            ratio = by_key[(name, "llmboom")]["rps"] / peer["rps"]
            print(f"{name}: llmboom/oxigraph throughput = {ratio:.2f}")
            by_key.pop((name, "oxigraph"))


if __name__ == "__main__":
    main()
