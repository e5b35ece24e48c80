"""Running a function in a forked child process that can really be stopped.

Work done inside a native library (a SPARQL evaluation in pyoxigraph, say) does not return to
the interpreter until it ends, so neither a Python timer nor Ctrl-C can stop it in-process.
`run_in_worker` forks (cheap on Linux: the child shares the parent's loaded store
copy-on-write), runs the function in the child and sends its result back through a pipe.
The parent waits with a deadline; at the deadline, on Ctrl-C, or on any other exception it
kills the child (SIGKILL), which stops the work at once.

Safety nets in the child, in case the parent cannot act: an alarm set to the deadline (its
default action ends the process) and an address-space limit (`memory_limit` bytes more than
the parent had), so a runaway computation fails with an error instead of exhausting memory.
With `no_network`, the child cannot use the network (`llmboom.sparql.sandbox`) before the function
starts.

Fork only from a process where other threads hold no locks the function needs (a
single-threaded CLI, or a server that calls this from its request thread); the child uses
only the calling thread.
"""

from __future__ import annotations

import contextlib
import faulthandler
import os
import pickle
import resource
import selectors
import signal
import time
import traceback
from collections.abc import Callable
from typing import Final, TypeVar

from llmboom.errors import LlmboomError

T = TypeVar("T")

#: Default extra memory a worker may use on top of what the parent had when it forked.
DEFAULT_MEMORY_LIMIT: Final = 2 * 1024**3


class WorkerTimeout(Exception):
    """The function did not finish within its time limit; the child was killed."""


class WorkerOutOfMemory(Exception):
    """The function needed more memory than its limit allowed."""


class WorkerCrashed(Exception):
    """The child died without a result (killed by a signal, or a bug in the function)."""


def run_in_worker(
    function: Callable[[], T],
    *,
    timeout: float,
    memory_limit: int | None = DEFAULT_MEMORY_LIMIT,
    no_network: bool = False,
) -> T:
    """Return `function()` computed in a forked child, within `timeout` seconds.

    Raise `WorkerTimeout` at the deadline, `WorkerOutOfMemory` past `memory_limit` extra
    bytes, `WorkerCrashed` if the child dies otherwise; an `LlmboomError` raised by
    `function` is raised again here (same class and message), and so is
    `sandbox.SandboxUnavailableError` when `no_network` cannot be had. KeyboardInterrupt in the
    parent kills the child and propagates.
    """
    read_end, write_end = os.pipe()
    pid = os.fork()
    if pid == 0:  # the child: never returns
        os.close(read_end)
        _child(function, write_end, timeout, memory_limit, no_network)
    os.close(write_end)
    try:
        payload = _read_until(read_end, time.monotonic() + timeout)
    except BaseException:
        _kill(pid)
        raise
    finally:
        os.close(read_end)
    if payload is None:
        _kill(pid)
        raise WorkerTimeout(f"did not finish within {timeout:g} s")
    status = _reap(pid)
    if not payload:
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGABRT, signal.SIGSEGV):
            raise WorkerOutOfMemory("ran out of memory")  # native allocation failure aborts
        raise WorkerCrashed(f"the worker process ended without a result (status {status})")
    kind, value = pickle.loads(payload)
    if kind == "ok":
        return value
    if kind == "memory":
        raise WorkerOutOfMemory("ran out of memory")
    if kind == "error":
        error_class, message = value
        error = error_class.__new__(error_class)
        Exception.__init__(error, message)
        raise error
    raise WorkerCrashed(value)


def _close_off_stderr() -> None:
    """Point the child's standard error at /dev/null: what it would say (a native
    allocator's complaint before aborting, a backtrace) reaches the user as the parent's
    one-line error instead; the function's own errors come back through the pipe."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)


def _child(
    function: Callable[[], object],
    write_end: int,
    timeout: float,
    memory: int | None,
    no_network: bool,
) -> None:
    """Run in the forked child: compute, send, exit (never return to the caller's stack)."""
    status = 0
    try:
        faulthandler.disable()  # an abort on exhausted memory is reported by the parent
        _close_off_stderr()  # so is the allocator's own "memory allocation … failed"
        signal.signal(signal.SIGINT, signal.SIG_DFL)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)
        signal.setitimer(signal.ITIMER_REAL, timeout + 1.0)
        if memory is not None:
            limit_memory(memory)
        try:
            if no_network:
                from llmboom.sparql.sandbox import deny_network

                deny_network()
            message: tuple[str, object] = ("ok", function())
        except MemoryError:
            message = ("memory", None)
        except LlmboomError as error:
            message = ("error", (type(error), str(error)))
        except BaseException:
            message = ("crash", traceback.format_exc())
        try:
            data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            data = pickle.dumps(("memory", None))
        with os.fdopen(write_end, "wb") as stream:
            stream.write(data)
    except BaseException:
        status = 1
    finally:
        os._exit(status)


def limit_memory(extra: int) -> None:
    """Cap the address space at what the process uses now plus `extra` bytes."""
    try:
        with open("/proc/self/statm") as statm:
            pages = int(statm.read().split()[0])
    except (OSError, ValueError, IndexError):
        return  # not Linux: no cap
    limit = pages * os.sysconf("SC_PAGE_SIZE") + extra
    _soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _read_until(fd: int, deadline: float) -> bytes | None:
    """Everything the child writes to `fd` until it closes it; None at the deadline."""
    chunks: list[bytes] = []
    with selectors.DefaultSelector() as selector:
        selector.register(fd, selectors.EVENT_READ)
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return None
            if not selector.select(remaining):
                continue
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                return b"".join(chunks)
            chunks.append(chunk)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    _reap(pid)


def _reap(pid: int) -> int:
    try:
        return os.waitpid(pid, 0)[1]
    except ChildProcessError:
        return 0
