"""A build killed at any moment leaves the complete old publication or the complete new one."""

from __future__ import annotations

import hashlib
import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from llmboom.publication.atomic import current_version, lock_path
from tests.conftest import REPO

RUNS = 50


def _tree(folder: Path) -> dict[str, str]:
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def _build(out: Path) -> subprocess.Popen:
    command = [sys.executable, "-m", "llmboom", "--root", str(REPO), "build", "--out", str(out)]
    return subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


@pytest.mark.slow
def test_sigkill_at_random_moments_never_tears_the_publication(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    started = time.monotonic()
    first = _build(out)
    assert first.wait(timeout=300) == 0, first.stderr.read()
    duration = time.monotonic() - started
    complete = _tree(out)
    assert len(complete) > 50
    rng = random.Random(10)
    torn = 0
    for _ in range(RUNS):
        process = _build(out)
        time.sleep(rng.uniform(0, duration * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=60)
        if _tree(out) != complete:
            torn += 1
    assert torn == 0, f"{torn} of {RUNS} kills left a torn publication"
    final = _build(out)
    assert final.wait(timeout=300) == 0, final.stderr.read()
    assert _tree(out) == complete
    kept = {out, current_version(out), lock_path(out)}
    assert sorted(p.name for p in tmp_path.iterdir() if p not in kept) == []


def test_two_racing_builds_both_finish_cleanly(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    racers = [_build(out) for _ in range(2)]
    for racer in racers:
        assert racer.wait(timeout=300) == 0, racer.stderr.read()
        assert b"Traceback" not in racer.stderr.read()
    kept = {out, current_version(out), lock_path(out)}
    assert sorted(p.name for p in tmp_path.iterdir() if p not in kept) == []
    assert os.path.isfile(out / "void.ttl")
