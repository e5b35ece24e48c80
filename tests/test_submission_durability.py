"""`submit --apply` under stress: killed at random moments (SIGKILL), data/ is always the old
state or the old state plus one complete submission; eight processes applying eight distinct
submissions at once all get merged. Each test works on its own copy of the project."""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from llmboom.project import Project
from llmboom.rdf.loading import parse_file
from tests.submission_support import PREFIXES, SECOND_SOURCE, copy_project, data_hashes, fact

KILLS = 50
pytestmark = pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")


def _apply(root: Path, path: Path, *extra: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "llmboom", "--root", str(root), "submit", str(path), "--apply",
         *extra],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )  # fmt: skip


def _without_time(quads) -> set[str]:
    return {str(q) for q in quads if not q.predicate.value.endswith("#submittedAt")}


@pytest.mark.slow
def test_sigkill_at_random_moments_leaves_old_or_new(tmp_path: Path) -> None:
    from llmboom.shacl.validation import validate_project

    root = copy_project(tmp_path / "project")
    old = data_hashes(root)
    merged_before = _submission_folders(root)
    started = time.perf_counter()
    finished = _apply(root, SECOND_SOURCE)
    assert finished.wait() == 0, finished.stderr.read()
    duration = time.perf_counter() - started
    [reference] = _submission_folders(root) - merged_before
    expected = _without_time(parse_file(reference / "submission.ttl"))
    expected_text = (reference / "example-daily-report.txt").read_bytes()
    assert validate_project(Project.locate(root)).conforms
    _remove(reference)
    assert data_hashes(root) == old

    rng = random.Random(6)
    outcomes = {"old": 0, "new": 0}
    for _ in range(KILLS):
        process = _apply(root, SECOND_SOURCE)
        time.sleep(rng.uniform(0, duration * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait()
        now = data_hashes(root)
        if now == old:
            outcomes["old"] += 1
            continue
        added = {name for name in now if name not in old}
        assert {name: now[name] for name in old} == old, "a file of the old state changed"
        folders = {Path(name).parent for name in added}
        assert len(folders) == 1, added
        [folder] = folders
        assert {Path(name).name for name in added} == {"submission.ttl", "example-daily-report.txt"}
        written = root / "data" / folder
        assert _without_time(parse_file(written / "submission.ttl")) == expected
        assert (written / "example-daily-report.txt").read_bytes() == expected_text
        outcomes["new"] += 1
        _remove(written)
    assert sum(outcomes.values()) == KILLS
    assert outcomes["old"] > 0


def _submission_folders(root: Path) -> set[Path]:
    """The folders of the submissions merged into the project at `root`."""
    return {p for p in (root / "data" / "submissions").iterdir() if p.is_dir()}


def _remove(folder: Path) -> None:
    for path in folder.iterdir():
        path.unlink()
    folder.rmdir()


def _distinct_submission(index: int) -> str:
    org, model = f"lbr:contender-{index}", f"lbr:contender-{index}-model"
    return (
        PREFIXES
        + f'{org} a lbo:Organization ; rdfs:label "Contender {index}"@en .\n'
        + f'{model} a lbo:LanguageModel ; rdfs:label "Contender {index} model"@en .\n'
        + fact(org, "lbo:announcedModel", model, f"s-contender-{index}-announced")
    )


@pytest.mark.slow
def test_eight_concurrent_applies_are_all_merged(tmp_path: Path) -> None:
    from llmboom.rdf.loading import load_data
    from llmboom.shacl.validation import validate_project

    root = copy_project(tmp_path / "project")
    merged_before = _submission_folders(root)
    paths = []
    for index in range(8):
        path = tmp_path / f"contender-{index}.ttl"
        path.write_text(_distinct_submission(index), encoding="utf-8")
        paths.append(path)
    processes = [_apply(root, path, "--lock-timeout", "600") for path in paths]
    for process in processes:
        assert process.wait() == 0, process.stderr.read().decode()
    assert len(_submission_folders(root) - merged_before) == 8
    project = Project.locate(root)
    subjects = {q.subject.value for q in load_data(project)}
    for index in range(8):
        assert f"https://w3id.org/llmboom/id/contender-{index}" in subjects
    assert validate_project(project).conforms
    assert not (root / ".llmboom-staging").exists() or not os.listdir(root / ".llmboom-staging")
