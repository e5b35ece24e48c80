"""The killable worker: results, errors, deadlines, memory limits, no process left behind."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pyoxigraph
import pytest

from llmboom.errors import InputError, QueryError
from llmboom.sparql.worker import WorkerCrashed, WorkerTimeout, run_in_worker


def _children() -> set[int]:
    path = f"/proc/{os.getpid()}/task/{os.getpid()}/children"
    with open(path) as children:
        return {int(pid) for pid in children.read().split()}


def test_the_result_comes_back_from_the_child() -> None:
    parent = os.getpid()
    assert run_in_worker(lambda: (os.getpid() != parent, [1, "two"]), timeout=10) == (
        True,
        [1, "two"],
    )


@pytest.mark.parametrize("error", [QueryError("q: bad"), InputError("f.ttl", "bad", 3)])
def test_library_errors_keep_their_class_and_message(error) -> None:
    def fail():
        raise error

    with pytest.raises(type(error)) as caught:
        run_in_worker(fail, timeout=10)
    assert str(caught.value) == str(error)


def test_native_work_is_killed_at_the_deadline() -> None:
    store = pyoxigraph.Store()
    p = pyoxigraph.NamedNode("http://example.org/p")
    store.extend(
        pyoxigraph.Quad(pyoxigraph.NamedNode(f"http://example.org/{i}"), p, pyoxigraph.Literal(i))
        for i in range(300)
    )
    query = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . ?j ?k ?l }"
    before = _children()
    started = time.monotonic()
    with pytest.raises(WorkerTimeout):
        run_in_worker(lambda: bool(store.query(query)), timeout=0.5)
    assert time.monotonic() - started < 2
    assert _children() == before  # killed and reaped


#: Both memory tests run their worker from a fresh interpreter. The address-space cap counts
#: from what the parent has mapped, and a long-running parent (this test process, after
#: thousands of tests) keeps freed memory mapped for reuse, which the child may fill before it
#: meets the cap (a 400 MB bytearray fitted in that free heap once, at the end of a full run):
#: a small parent shows the limit itself.
PYTHON_ALLOCATION = """
from llmboom.sparql.worker import run_in_worker
try:
    run_in_worker(lambda: len(bytearray(400 * 1024**2)), timeout=20, memory_limit=100 * 1024**2)
except Exception as error:
    print(type(error).__name__)
"""


def test_python_allocation_past_the_limit_is_out_of_memory() -> None:
    done = subprocess.run(
        [sys.executable, "-c", PYTHON_ALLOCATION], capture_output=True, text=True, timeout=60
    )
    assert (done.stdout, done.stderr) == ("WorkerOutOfMemory\n", "")


def test_the_memory_limit_counts_from_the_parent() -> None:
    """The same allocation under a generous limit succeeds: the cap is extra bytes, not total."""
    assert (
        run_in_worker(lambda: len(bytearray(50 * 1024**2)), timeout=20, memory_limit=400 * 1024**2)
        == 50 * 1024**2
    )


#: A cross product of 2000 x 2000 rows, sorted: far more than 150 MB in pyoxigraph.
NATIVE_ALLOCATION = """
import pyoxigraph
from llmboom.sparql.worker import run_in_worker
store = pyoxigraph.Store()
p = pyoxigraph.NamedNode("http://example.org/p")
store.extend(
    pyoxigraph.Quad(pyoxigraph.NamedNode(f"http://example.org/{i}"), p, pyoxigraph.Literal(i))
    for i in range(2000)
)
query = "SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f } ORDER BY ?a ?d"
try:
    run_in_worker(lambda: len(list(store.query(query))), timeout=60, memory_limit=150 * 1024**2)
except Exception as error:
    print(type(error).__name__)
"""


def test_native_allocation_past_the_limit_is_out_of_memory_and_prints_nothing() -> None:
    """Out of memory, not a timeout or a crash; and nothing on standard error: Rust's
    allocator writes `memory allocation of N bytes failed` (and a backtrace) before it aborts,
    so the child's is closed off and a user sees only the one-line error the caller makes of
    `WorkerOutOfMemory`."""
    done = subprocess.run(
        [sys.executable, "-c", NATIVE_ALLOCATION], capture_output=True, text=True, timeout=120
    )
    assert (done.stdout, done.stderr) == ("WorkerOutOfMemory\n", "")


def test_a_bug_in_the_function_is_a_crash_with_its_traceback() -> None:
    with pytest.raises(WorkerCrashed, match="ZeroDivisionError"):
        run_in_worker(lambda: 1 / 0, timeout=10)
