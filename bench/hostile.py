"""Refusing hostile files: seconds and peak memory of each refusal by the real CLI.

Baseline, measured in the same run: `llmboom validate` of a small valid contribution (the
work any accepted file costs at least). Run from the checkout: `python -m bench.hostile`.

`scoped_context_submission`: the ~700 KB JSON-LD whose property-scoped contexts once cost a
JSON-LD processor minutes and ~650 MB, refused by `llmboom submit` and by `POST /submissions`
of a real server (seconds to the refusal; peak memory of the CLI, and the summed peak of
the server's processes, its workers included).

Then hostile servers (tests/hostile_servers.py): `llmboom push` against a server whose
answer never ends and against a silent one and one that sends a byte a second, with
`--timeout 5`: seconds to the cut-off and peak memory (baseline: `push` to a closed port,
the work of loading the project and failing at once), and `serve --endpoint` against the
endless answer (its limit is the default 256 MB: reading a whole dataset needs room).
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

from tests.conftest import REPO
from tests.hostile_servers import hostile_server
from tests.sparql_servers import free_port
from tests.test_cli_failures import HOSTILE, run

#: --timeout of the pushes to slow servers, in seconds.
PUSH_TIMEOUT = 5


def main() -> None:
    baseline = REPO / "tests" / "shapes" / "valid" / "new-fact-with-record.ttl"
    status, _, base_seconds, base_mb = run("validate", str(baseline))
    print(f"baseline validate (exit {status}): {base_seconds:.2f} s, {base_mb:.0f} MB peak")
    print(f"{'file':<22} {'command':<9} {'exit':>4} {'seconds':>8} {'x base':>7} {'peak MB':>8}")
    worst = (0.0, 0.0)
    with tempfile.TemporaryDirectory() as folder:
        for name, data in HOSTILE.items():
            path = Path(folder) / name
            path.write_bytes(data)
            for command in ("validate", "diff"):
                args = (command, str(path)) + ((str(path),) if command == "diff" else ())
                status, _, seconds, megabytes = run(*args)
                worst = (max(worst[0], seconds), max(worst[1], megabytes))
                print(
                    f"{name:<22} {command:<9} {status:>4} {seconds:>8.2f} "
                    f"{seconds / base_seconds:>7.2f} {megabytes:>8.0f}"
                )
    seconds, megabytes = scoped_context_submission(base_seconds)
    worst = (max(worst[0], seconds), max(worst[1], megabytes))
    print(f"slowest refusal {worst[0]:.2f} s; highest peak memory {worst[1]:.0f} MB")
    servers()


def servers() -> None:
    """`push` against hostile servers: seconds to the cut-off and peak memory."""
    closed = f"http://127.0.0.1:{free_port()}/store"
    status, _, base_seconds, base_mb = run("push", "--endpoint", closed)
    print(
        f"\nbaseline push to a closed port (exit {status}): {base_seconds:.2f} s, {base_mb:.0f} MB"
    )
    print(f"{'server':<10} {'exit':>4} {'seconds':>8} {'limit':>6} {'peak MB':>8}  message")
    for behaviour in ("endless", "silent", "trickle"):
        with hostile_server(behaviour) as server:
            status, stderr, seconds, megabytes = run(
                "push", "--endpoint", f"{server.url}/store", "--timeout", str(PUSH_TIMEOUT)
            )
        limit = "1 MB" if behaviour == "endless" else f"{PUSH_TIMEOUT} s"
        message = stderr.strip().split(": ", 2)[-1][:60]
        print(
            f"{behaviour:<10} {status:>4} {seconds:>8.2f} {limit:>6} {megabytes:>8.0f}  {message}"
        )
    with hostile_server("endless") as server:  # serve --endpoint reads the whole dataset
        status, stderr, seconds, megabytes = run(
            "serve", "--endpoint", f"{server.url}/sparql", "--get", "/id/bytedance"
        )
    message = stderr.strip().split(": ", 2)[-1][:60]
    print(
        f"{'endless*':<10} {status:>4} {seconds:>8.2f} {'256 MB':>6} {megabytes:>8.0f}  {message}"
    )
    print("* serve --endpoint, whose answers may hold up to LLMBOOM_MAX_RESPONSE_BYTES (256 MB)")


def scoped_context_submission(base_seconds: float) -> tuple[float, float]:
    """The scoped-context JSON-LD through `submit` and `POST /submissions`; print each
    refusal's seconds and peak memory, return the slowest and the highest."""
    from tests.test_jsonld_bounds import scoped_context_jsonld
    from tests.web_server import running_server

    data = scoped_context_jsonld()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "scoped-context.jsonld"
        path.write_bytes(data)
        status, _, cli_seconds, cli_mb = run("submit", str(path))
    print(
        f"{'scoped-context.jsonld':<22} {'submit':<9} {status:>4} {cli_seconds:>8.2f} "
        f"{cli_seconds / base_seconds:>7.2f} {cli_mb:>8.0f}   ({len(data) / 1e3:.0f} KB)"
    )
    with running_server("--max-body", str(2 * len(data))) as server:
        small = (REPO / "tests" / "submissions" / "second-source.ttl").read_bytes()
        server.request(  # wait until the submission worker is up
            "/submissions", method="POST", headers={"Content-Type": "text/turtle"}, data=small
        )
        started = time.monotonic()
        reply = server.request(
            "/submissions",
            method="POST",
            headers={"Content-Type": "application/ld+json"},
            data=data,
            timeout=600,
        )
        http_seconds = time.monotonic() - started
        http_mb = _tree_peak_kb(server.process.pid) / 1024
    print(
        f"{'scoped-context.jsonld':<22} {'POST':<9} {reply.status:>4} {http_seconds:>8.2f} "
        f"{http_seconds / base_seconds:>7.2f} {http_mb:>8.0f}   (server and workers, summed)"
    )
    return max(cli_seconds, http_seconds), max(cli_mb, http_mb)


def _tree_peak_kb(pid: int) -> int:
    """The summed peak resident memory (VmHWM) of a process and all its descendants, in KB."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            status = Path(f"/proc/{current}/status").read_text()
            children = [
                child
                for task in Path(f"/proc/{current}/task").iterdir()
                for child in (task / "children").read_text().split()
            ]
        except OSError:
            continue
        peak = next((line.split()[1] for line in status.splitlines() if line[:6] == "VmHWM:"), 0)
        total += int(peak)
        pending.extend(int(child) for child in children)
    return total


if __name__ == "__main__":
    main()
