"""The README's examples, and the docs' examples that use the files under examples/, run as
shown; so does the README's Python example.

Every `$ llmboom …` line of the README's console transcripts, and each `$ llmboom …
examples/…` line of the pages under docs/, runs in order as a real process in a copy of the
project (so that `submit --apply` writes there): it prints the lines shown under it (those
on standard error may be left out, as the terminal interleaves them) and exits with the code
a following `$ echo $?` shows, else 0. `/path/to/llmboom` stands for the project's folder,
and a submission folder's time stamp for any time.
"""

from __future__ import annotations

import os
import re
import shlex
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.submission_support import copy_project

README = (REPO / "README.md").read_text(encoding="utf-8")
DOCS = "\n".join(path.read_text(encoding="utf-8") for path in sorted((REPO / "docs").glob("*.md")))
EXAMPLES = REPO / "examples"
ROOT_PLACEHOLDER = "/path/to/llmboom"
STAMP = re.compile(r"\d{8}T\d{6}Z")


@dataclass(frozen=True)
class Shown:
    """One command of a transcript, the lines shown under it, and its exit code."""

    command: str
    lines: tuple[str, ...]
    exit_code: int


def transcript(text: str) -> list[Shown]:
    """Every `$ …` command of the ```console blocks of `text`, with what it shows."""
    steps: list[tuple[str, list[str]]] = []
    for block in re.findall(r"^```console\n(.*?)^```", text, re.M | re.S):
        for line in block.splitlines():
            if line.startswith("$ "):
                command = re.split(r"\s{2,}#", line[2:])[0].strip()
                steps.append((command, []))
            elif steps:
                steps[-1][1].append(line)
    shown: list[Shown] = []
    for i, (command, lines) in enumerate(steps):
        if command == "echo $?":
            continue
        following = steps[i + 1] if i + 1 < len(steps) else None
        code = int(following[1][0]) if following and following[0] == "echo $?" else 0
        while lines and not lines[-1].strip():
            lines.pop()
        shown.append(Shown(command, tuple(lines), code))
    return shown


EXAMPLE_COMMANDS = [s for s in transcript(README) if s.command.startswith("llmboom ")] + [
    s for s in transcript(DOCS) if "examples/" in s.command
]


def test_the_readme_runs_every_example_file() -> None:
    """Every file under examples/ is used by a README command, and every one it names exists."""
    named = {m for s in EXAMPLE_COMMANDS for m in re.findall(r"examples/[\w.-]+", s.command)}
    shipped = {f"examples/{p.name}" for p in EXAMPLES.iterdir() if p.is_file()}
    assert named == shipped


def test_the_jsonld_example_holds_the_same_triples_as_the_turtle_one() -> None:
    from llmboom.rdf.loading import parse_file

    turtle = {q.triple for q in parse_file(EXAMPLES / "example-ai.ttl")}
    jsonld = {q.triple for q in parse_file(EXAMPLES / "example-ai.jsonld")}
    assert turtle == jsonld
    assert len(turtle) > 20


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("readme"))
    shutil.copytree(EXAMPLES, root / "examples")
    return root


@pytest.mark.parametrize("step", EXAMPLE_COMMANDS, ids=lambda s: s.command)
def test_readme_example(step: Shown, root: Path) -> None:
    """Run in README order (the second `submit --apply` finds the first one's triples)."""
    env = {**os.environ, "LLMBOOM_ROOT": str(root)}
    args = shlex.split(step.command)
    assert args[0] == "llmboom"
    done = subprocess.run(
        [sys.executable, "-m", "llmboom", *args[1:]],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == step.exit_code, done.stdout + done.stderr

    def normal(line: str) -> str:
        return STAMP.sub("STAMP", line.replace(str(root), ROOT_PLACEHOLDER))

    out = [normal(line) for line in done.stdout.splitlines()]
    err = [normal(line) for line in done.stderr.splitlines()]
    shown = [STAMP.sub("STAMP", line) for line in step.lines]
    assert [line for line in shown if line not in err] == out
    assert all(line in out or line in err for line in shown)


def test_the_python_example_prints_what_the_readme_shows() -> None:
    code = re.search(r"^```python\n(.*?)^```", README, re.M | re.S)
    shown = re.search(r"^```python\n.*?^```\n\n```text\n(.*?)^```", README, re.M | re.S)
    assert code and shown
    done = subprocess.run(
        [sys.executable, "-c", code.group(1)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout == shown.group(1)


def test_the_readme_is_short_and_its_links_resolve() -> None:
    assert len(README.splitlines()) < 150
    links = re.findall(r"\]\(((?:docs|examples)/[^)#]+)\)", README)
    assert any(link.startswith("docs/") for link in links)
    assert all((REPO / link).is_file() for link in links), links
    docs = {path.name for path in (REPO / "docs").glob("*.md")}
    assert docs <= {link.removeprefix("docs/") for link in links}  # every page is linked
