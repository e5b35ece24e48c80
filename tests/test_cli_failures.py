"""Every failure is one line `Error: …` and exit 2, never a traceback (the real CLI).

Hostile files are refused quickly with flat memory: each run's peak memory is read from the
kernel (wait4), so a blow-up shows even when the refusal comes in the end.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.peak_memory import run_measured
from tests.test_input_guard import BILLION_LAUGHS

DEPTH = 100_000


def _quadratic_blowup() -> bytes:
    entity = "x" * 20_000
    body = "&a;" * 5_000
    return (
        f'<?xml version="1.0"?>\n<!DOCTYPE r [<!ENTITY a "{entity}">]>\n'
        '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
        f'xmlns:ex="http://example.org/"><rdf:Description><ex:p>{body}</ex:p>'
        "</rdf:Description></rdf:RDF>\n"
    ).encode()


HOSTILE: dict[str, bytes] = {
    "literal-20mb.ttl": b'<http://example.org/s> <http://example.org/p> "'
    + b"x" * (20 * 1024 * 1024)
    + b'" .\n',
    "iri-20mb.nt": b"<http://example.org/s> <http://example.org/p> <http://example.org/"
    + b"x" * (20 * 1024 * 1024)
    + b"> .\n",
    "billion-laughs.rdf": BILLION_LAUGHS,
    "quadratic-blowup.rdf": _quadratic_blowup(),
    "deep-collections.ttl": b"<http://example.org/s> <http://example.org/p> "
    + b"(" * DEPTH
    + b")" * DEPTH
    + b" .\n",
    "deep-blank-nodes.ttl": b"<http://example.org/s> <http://example.org/p> "
    + b"[ <http://example.org/p> " * DEPTH
    + b"1"
    + b" ]" * DEPTH
    + b" .\n",
    "deep.jsonld": b'{"@id": "http://example.org/s", "http://example.org/p": '
    + b'{"http://example.org/p": ' * DEPTH
    + b'"x"'
    + b"}" * (DEPTH + 1),
    "deep.rdf": b'<?xml version="1.0"?>\n<rdf:RDF '
    b'xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">'
    b'<rdf:Description rdf:about="http://example.org/s">'
    + b"<ex:p><rdf:Description>" * DEPTH
    + b"</rdf:Description></ex:p>" * DEPTH
    + b"</rdf:Description></rdf:RDF>\n",
    "empty.rdf": b"",
}


def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None, stdout=None):
    """Run the real CLI; return (exit status, stderr, seconds, peak memory in MB)."""
    command = [sys.executable, "-m", "llmboom", "--root", str(REPO), *args]
    return run_measured(
        command,
        cwd=cwd,
        env=env,
        stdout=stdout,
        seconds=float(os.environ.get("LLMBOOM_TEST_TIMEOUT", 600)),
    )


def assert_one_line_error(status: int, stderr: str, expected: str = "") -> None:
    assert "Traceback" not in stderr, stderr
    assert status == 2, stderr
    assert stderr.startswith("Error: ") and stderr.count("\n") == 1, stderr
    assert expected in stderr


@pytest.fixture(scope="module")
def hostile(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile")
    paths = {}
    for name, data in HOSTILE.items():
        paths[name] = folder / name
        paths[name].write_bytes(data)
    return paths


EXPECTED = {
    "literal-20mb.ttl": "too large",
    "iri-20mb.nt": "too large",
    "billion-laughs.rdf": "DOCTYPE",
    "quadratic-blowup.rdf": "DOCTYPE",
    "deep-collections.ttl": "nested more than",
    "deep-blank-nodes.ttl": "nested more than",
    "deep.jsonld": "nested more than",
    "deep.rdf": "nested more than",
    "empty.rdf": "empty file",
}


@pytest.mark.parametrize("command", ["validate", "diff"])
@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_files_are_refused_quickly_with_flat_memory(hostile, command, name) -> None:
    path = str(hostile[name])
    args = (command, path) if command == "validate" else (command, path, path)
    status, stderr, seconds, megabytes = run(*args)
    assert_one_line_error(status, stderr, EXPECTED[name])
    assert path in stderr
    # Bounds far above a refusal (about a second, under 100 MB) and far below what these
    # files cost before (minutes, gigabytes).
    assert seconds < 30
    assert megabytes < 400


def test_a_raised_size_limit_lets_the_big_literal_through_to_the_parser(hostile) -> None:
    status, stderr, _, _ = run(
        "validate", str(hostile["literal-20mb.ttl"]), env={"LLMBOOM_MAX_INPUT_BYTES": "30000000"}
    )
    assert "Traceback" not in stderr
    assert status == 2
    assert "too large to parse" in stderr


FAILURES = {
    "build-under-a-file": ("build", "--out", "{tmp}/afile/dist"),
    "build-under-proc": ("build", "--out", "/proc/llmboom-dist"),
    "export-under-a-file": ("export", "-o", "{tmp}/afile/x.ttl"),
    "export-to-a-fifo": ("export", "-o", "{tmp}/fifo"),
    "export-to-a-folder": ("export", "-o", "{tmp}"),
    "base-not-an-iri": ("--base", "not an iri", "stats"),
    "base-relative": ("--base", "id/", "query", "ASK {}"),
    "base-without-end": ("--base", "http://example.org/id", "export"),
    "diff-missing": ("diff", "{tmp}/missing.ttl", "{tmp}/afile"),
    "validate-folder": ("validate", "{tmp}"),
    "validate-a-fifo": ("validate", "{tmp}/pipe.ttl"),
    "submit-a-fifo": ("submit", "{tmp}/pipe.ttl"),
    "submit-a-device": ("submit", "/dev/zero", "--format", "nt"),
    "store-not-its-own": ("--store", "{tmp}", "query", "ASK {}"),
    "store-empty-name": ("--store", "", "stats"),
    "query-grammar-words": ("query", "SELECT ?x WHERE { _ }"),
    "push-bad-ipv6-url": ("push", "--endpoint", "http://[::1/store"),
    "push-bad-port": ("push", "--endpoint", "http://u:secret@host:port/store"),
    "push-closed-port-with-credentials": (
        "push",
        "--endpoint",
        "http://u:secret@127.0.0.1:9/store",
    ),
    "push-credentials-twice": (
        "push",
        "--endpoint",
        "http://u:p@127.0.0.1:9/store",
        "--token",
        "t",
    ),
    "serve-endpoint-bad-url": ("serve", "--endpoint", "http://[::1/sparql", "--get", "/"),
    "serve-public-url-not-http": ("serve", "--public-url", "ftp://x/", "--get", "/"),
    "serve-get-long-name": ("serve", "--get", "/" + "a" * 256 + ".ttl"),
    "query-bad": ("query", "SELECT ?x WHERE {"),
    "query-update": ("query", "DROP ALL"),
    "query-service": ("query", "ASK { SERVICE <http://127.0.0.1:9/> {} }"),
    "query-timeout": (
        "query",
        "--timeout",
        "0.3",
        "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }",
    ),
    "query-unknown-name": ("query", "--name", "no-such-query"),
    "size-limit-not-a-number": ("validate", "{tmp}/afile"),
    "export-bad-format": ("export", "--format", "nope"),
}


@pytest.mark.parametrize("case", sorted(FAILURES))
def test_every_failure_is_one_line_and_exit_2(tmp_path: Path, case: str) -> None:
    (tmp_path / "afile").write_text("x")
    os.mkfifo(tmp_path / "fifo")
    os.mkfifo(tmp_path / "pipe.ttl")
    args = [arg.replace("{tmp}", str(tmp_path)) for arg in FAILURES[case]]
    env = {"LLMBOOM_MAX_INPUT_BYTES": "many"} if case == "size-limit-not-a-number" else None
    status, stderr, _, _ = run(*args, env=env)
    assert_one_line_error(status, stderr)
    assert (tmp_path / "fifo").exists() and not (tmp_path / "fifo").is_file()


@pytest.mark.parametrize(
    "command", [("export",), ("stats",), ("query", "--name", "reporting-chain")]
)
def test_a_full_disk_on_standard_output_is_one_line_and_exit_2(command) -> None:
    with open("/dev/full", "wb") as full:
        status, stderr, _, _ = run(*command, stdout=full)
    assert_one_line_error(status, stderr, "No space left on device")
