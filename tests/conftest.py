"""Shared fixtures: the project, its parsed dataset, a CLI runner, and no network."""

from __future__ import annotations

import os
import socket
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from llmboom.project import Project

REPO = Path(__file__).resolve().parent.parent
#: The shared folder beside the checkout (W3C test suites, the original article).
SHARED = Path(os.environ.get("LLMBOOM_SHARED", REPO.parent / "shared"))


def shared_or_skip(*parts: str) -> Path:
    """A path under ../shared; skip when it is absent, but fail when $CI is set."""
    path = SHARED.joinpath(*parts)
    if not path.exists():
        message = f"{path} is absent: the W3C/shared test data lives outside the repository"
        if os.environ.get("CI"):
            pytest.fail(message + " and CI is set")
        pytest.skip(message)
    return path


@pytest.fixture(autouse=True)
def _no_network(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests may talk to loopback only; any other connection attempt fails loudly."""
    real_connect = socket.socket.connect

    def guarded_connect(sock: socket.socket, address, *args, **kwargs):
        host = address[0] if isinstance(address, tuple) else address
        remote = isinstance(host, str) and host not in {"127.0.0.1", "::1", "localhost"}
        if remote and sock.family in (socket.AF_INET, socket.AF_INET6):
            raise OSError(f"network access blocked in tests: {address!r}")
        return real_connect(sock, address, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guarded_connect)


@pytest.fixture(scope="session")
def project() -> Project:
    return Project.locate(REPO)


@pytest.fixture(scope="session")
def data_quads(project: Project):
    from llmboom.rdf.loading import load_data

    return load_data(project)


@pytest.fixture(scope="session")
def article_quads(project: Project):
    """The article's own facts (data/article.ttl, data/entities.ttl and the text), without the
    later reports contributed as submissions: for tests that read the article's answers."""
    from llmboom.namespaces import LBO
    from llmboom.rdf.loading import as_default_graph, load_data, parse_file

    files = [project.data_dir / name for name in ("article.ttl", "entities.ttl")]
    quads = [q for path in files for q in as_default_graph(parse_file(path))]
    return quads + [q for q in load_data(project) if q.predicate.value == LBO + "fullText"]


@pytest.fixture(scope="session")
def data_graph(data_quads):
    """The dataset as an rdflib graph (read-only: do not modify in tests)."""
    from llmboom.rdf.loading import to_rdflib_graph

    return to_rdflib_graph(data_quads)


@pytest.fixture
def run_cli():
    """Run `llmboom ARGS…` in-process; stdout and stderr are kept apart."""
    from llmboom.cli import cli

    def run(*args: str, input: str | None = None) -> Result:
        runner = CliRunner()
        return runner.invoke(cli, ["--root", str(REPO), *args], input=input)

    return run


@pytest.fixture(scope="session")
def web_server():
    """One real `llmboom serve` process for the session's HTTP tests (tests/web_server.py)."""
    from tests.web_server import running_server

    with running_server() as server:
        yield server


def dot_or_skip() -> None:
    """Skip when Graphviz's `dot` is missing (apt-get install graphviz); fail when $CI is set."""
    import shutil

    if shutil.which("dot"):
        return
    message = "Graphviz's dot is not installed (apt-get install graphviz)"
    if os.environ.get("CI"):
        pytest.fail(message + " and CI is set")
    pytest.skip(message)
