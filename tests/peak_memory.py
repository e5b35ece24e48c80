"""Run a command as a real process and measure its peak memory honestly.

Linux carries a process's peak resident set across `exec`, so a child forked straight from
the (large) test process would report the test process's own peak. The command is therefore
started by a small launcher process of its own, which caps the command's address space when
asked, kills it at a deadline, and reports its exit status and peak memory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

#: argv: address-space cap in bytes (0: none), deadline in seconds, the command. Prints
#: "STATUS PEAK_KB" as the last line of standard error.
LAUNCHER = """\
import os, resource, subprocess, sys, threading
cap, seconds, command = int(sys.argv[1]), float(sys.argv[2]), sys.argv[3:]
def limit():
    if cap:
        resource.setrlimit(resource.RLIMIT_AS, (cap, cap))
child = subprocess.Popen(command, preexec_fn=limit)
timer = threading.Timer(seconds, child.kill)
timer.start()
_, status, usage = os.wait4(child.pid, 0)
timer.cancel()
child.returncode = 0
print(os.waitstatus_to_exitcode(status), usage.ru_maxrss, file=sys.stderr)
"""


def run_measured(
    command: list[str],
    *,
    cwd: Path | None = None,
    env: dict[str, str] | None = None,
    stdout=None,
    address_space: int = 0,
    seconds: float = 600,
) -> tuple[int, str, float, float]:
    """Run `command`; return (exit status, stderr, seconds taken, peak memory in MB)."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", LAUNCHER, str(address_space), str(seconds), *command],
        stdout=stdout if stdout is not None else subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        cwd=cwd,
        env={**os.environ, **(env or {})},
        text=True,
        timeout=seconds + 60,
    )
    taken = time.monotonic() - started
    stderr, _, last = done.stderr.rstrip("\n").rpartition("\n")
    status, peak_kb = (int(x) for x in last.split())
    return status, stderr + "\n" if stderr else "", taken, peak_kb / 1024
