"""The server's edges: names too long for the file system, applies that cannot write or wait
for a lock, `serve --get` ending cleanly, and a replaced site's documents kept while a
download streams from them and removed after, whenever the replacement happens."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import REPO
from tests.submission_support import SECOND_SOURCE, copy_project
from tests.web_server import Server, running_server

TOKEN = "s3cret-token-for-edges"
LONG = "a" * 256
APPLY = {"Content-Type": "text/turtle", "Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def served(tmp_path_factory) -> Iterator[tuple[Server, Path]]:
    root = copy_project(tmp_path_factory.mktemp("edges"))
    with running_server(root=root, env={"LLMBOOM_SUBMIT_TOKEN": TOKEN}) as running:
        yield running, root


@pytest.mark.parametrize("path", [f"/{LONG}", f"/{LONG}.ttl", f"/id/{LONG}", f"/id/{LONG}.ttl"])
def test_a_name_too_long_for_the_file_system_is_404(web_server, path: str) -> None:
    reply = web_server.request(path, headers={"Accept": "text/turtle"})
    assert reply.status == 404, reply.text


def _apply(server: Server):
    return server.request(
        "/submissions?apply=true&submitter=Edge",
        method="POST",
        data=SECOND_SOURCE.read_bytes(),
        headers=APPLY,
    )


def test_a_held_lock_is_503_with_retry_after_and_no_path(served) -> None:
    from filelock import FileLock

    from llmboom.submission.apply import LOCK_NAME

    server, root = served
    with FileLock(root / LOCK_NAME):
        reply = _apply(server)
    assert reply.status == 503, reply.text
    assert int(reply.headers["retry-after"]) > 0
    assert str(root) not in reply.text and "/tmp" not in reply.text


def test_an_apply_that_cannot_write_is_500_without_a_server_path(served) -> None:
    from llmboom.submission.apply import STAGING_NAME

    server, root = served
    blocker = root / STAGING_NAME
    blocker.write_text("a file where the staging folder goes")
    try:
        reply = _apply(server)
    finally:
        blocker.unlink()
    assert reply.status == 500, reply.text
    assert "cannot write the submission" in reply.text
    assert str(root) not in reply.text and "/tmp" not in reply.text
    written = _apply(server)  # and once it can write: `written` is relative to the project
    assert written.status == 200, written.text
    assert json.loads(written.body)["written"].startswith("data/submissions/")


@pytest.mark.parametrize(
    "path", [f"/id/{LONG}.ttl", "/dataset.ttl", "/id/bytedance", "/sparql?query=ASK%7B%7D"]
)
def test_serve_get_ends_cleanly(path: str, tmp_path: Path) -> None:
    for _ in range(3):  # the traceback came now and then, from a child started late
        done = subprocess.run(
            [sys.executable, "-m", "llmboom", "--root", str(REPO), "serve", "--get", path],
            capture_output=True,
            timeout=120,
            env={**os.environ, "TMPDIR": str(tmp_path)},
        )
        assert b"Traceback" not in done.stderr, done.stderr.decode()
        assert done.returncode == (2 if LONG in path else 0), done.stderr.decode()
    assert _site_folders(tmp_path) == []  # the documents made meanwhile are removed


@pytest.fixture
def private_tmp(tmp_path, monkeypatch) -> Path:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    return tmp_path


def _site(project):
    from llmboom.web.app import _load_site
    from llmboom.web.settings import ServerSettings

    return _load_site(project, ServerSettings())


def _site_folders(where: Path) -> list[Path]:
    return sorted(where.glob("llmboom-site-*"))


def test_a_replaced_site_keeps_its_documents_until_the_download_ends(project, private_tmp):
    site = _site(project)
    site.documents()
    (folder,) = _site_folders(private_tmp)
    release = site.hold()
    site.close()  # replaced while a download streams
    assert folder.is_dir()
    release()
    assert _site_folders(private_tmp) == []


def test_a_site_closed_while_its_documents_are_made_leaves_nothing(project, private_tmp):
    sites = [_site(project) for _ in range(3)]
    for site in sites:
        site.start_documents()
    closing = [threading.Thread(target=site.close) for site in sites]
    for thread in closing:
        thread.start()
    for thread in closing:
        thread.join(60)
    for site in sites:
        site._made.wait(60)
    assert _site_folders(private_tmp) == []


PUBLIC = "https://public.example.org/llmboom/"


@pytest.fixture(scope="module")
def guarded() -> Iterator[Server]:
    args = ("--header-timeout", "1", "--max-connections", "8", "--public-url", PUBLIC)
    with running_server(*args) as running:
        yield running


def _raw(server: Server, request: bytes) -> bytes:
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=10) as sock:
        sock.sendall(request)
        answer = b""
        while chunk := sock.recv(65536):
            answer += chunk
    return answer


@pytest.mark.parametrize(
    ("path", "location"),
    [
        ("/id/bytedance/", "/id/bytedance"),
        ("//evil.example/", "/evil.example"),
        ("/sparql/?x=1", "/sparql?x=1"),
    ],
)
def test_redirects_are_relative_whatever_the_host_header(guarded, path, location) -> None:
    answer = _raw(
        guarded,
        f"GET {path} HTTP/1.1\r\nHost: evil.example:666\r\nConnection: close\r\n\r\n".encode(),
    )
    head = answer.split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()
    assert head.startswith("http/1.1 307")
    assert f"\r\nlocation: {location}\r\n" in head + "\r\n"


def test_the_home_page_names_the_public_url_not_the_host(guarded) -> None:
    answer = _raw(
        guarded,
        b"GET / HTTP/1.1\r\nHost: evil.example:666\r\nAccept: text/html\r\n"
        b"Connection: close\r\n\r\n",
    )
    assert answer.startswith(b"HTTP/1.1 200")
    assert b"evil.example" not in answer
    assert f"{PUBLIC}sparql".encode() in answer


def _closed_by_the_server(sock: socket.socket, seconds: float) -> bool:
    sock.settimeout(seconds)
    try:
        return sock.recv(1) == b""
    except TimeoutError:
        return False
    except ConnectionResetError:
        return True


def test_idle_and_slow_connections_are_closed_and_capped(guarded) -> None:
    host, port = guarded.url.removeprefix("http://").split(":")
    idle = [socket.create_connection((host, int(port))) for _ in range(8)]
    slow = socket.create_connection((host, int(port)))
    slow.sendall(b"GET / HTTP/1.1\r\nHost: x\r\n")  # headers that never end
    try:
        # at the cap, one more request is turned away at once (503), not queued for ever
        assert guarded.request("/openapi.json", timeout=10).status == 503
        assert all(_closed_by_the_server(sock, 5) for sock in [*idle, slow])
    finally:
        for sock in [*idle, slow]:
            sock.close()
    assert guarded.request("/openapi.json", timeout=10).status == 200
