"""Real SPARQL servers for the push and remote-store tests, each a private process on a free
loopback port: Oxigraph (`oxigraph serve`, the PyPI package in the test extra) and Virtuoso
Open Source (Debian's virtuoso-opensource: `virtuoso-t -f` from a copy of its virtuoso.ini
with its own database folder and ports). Missing programs skip, or fail when CI is set."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

VIRTUOSO_INI = Path("/etc/virtuoso-opensource-7/virtuoso.ini")


@dataclass(frozen=True)
class Server:
    name: str
    gsp_url: str
    sparql_url: str
    auth: tuple[str, str] | None = None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def missing(what: str) -> None:
    if os.environ.get("CI"):
        pytest.fail(f"{what} and CI is set")
    pytest.skip(what)


def wait_until_up(url: str, process: subprocess.Popen, seconds: float, log: Path) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"server exited early: {log.read_text(errors='replace')[-2000:]}")
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except urllib.error.HTTPError:
            return  # it answers, even if not 200
        except OSError:
            time.sleep(0.3)
    raise AssertionError(
        f"{url} not up after {seconds} s: {log.read_text(errors='replace')[-2000:]}"
    )


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def oxigraph(tmp: Path) -> Iterator[Server]:
    program = Path(sys.executable).parent / "oxigraph"
    if not program.exists() and shutil.which("oxigraph") is None:
        missing("the oxigraph server is not installed (pip install oxigraph)")
    program_path = str(program) if program.exists() else "oxigraph"
    port = free_port()
    log = tmp / "oxigraph.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [program_path, "serve", "--location", str(tmp / "db"), "--bind", f"127.0.0.1:{port}"],
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_up(f"http://127.0.0.1:{port}/", process, 30, log)
        base = f"http://127.0.0.1:{port}"
        yield Server("oxigraph", base + "/store", base + "/query")
    finally:
        stop(process)


def virtuoso(tmp: Path) -> Iterator[Server]:
    program = shutil.which("virtuoso-t")
    if program is None or not VIRTUOSO_INI.exists():
        missing("virtuoso-t is not installed (Debian's virtuoso-opensource)")
    sql_port, http_port = free_port(), free_port()
    db = tmp / "db"
    db.mkdir()
    text = VIRTUOSO_INI.read_text(encoding="utf-8")
    text = text.replace("/var/lib/virtuoso-opensource-7/db", str(db))
    section = None
    lines = []
    for line in text.splitlines():
        header = re.match(r"\s*\[(.+)\]", line)
        if header:
            section = header.group(1)
        if re.match(r"\s*ServerPort\s*=", line):
            port = sql_port if section == "Parameters" else http_port
            line = f"ServerPort = {port}"
        lines.append(line)
    ini = tmp / "virtuoso.ini"
    ini.write_text("\n".join(lines) + "\n", encoding="utf-8")
    log = tmp / "virtuoso.out"
    with open(log, "wb") as out:
        process = subprocess.Popen(
            [program, "-f", "-c", str(ini)], cwd=db, stdout=out, stderr=subprocess.STDOUT
        )
    try:
        base = f"http://127.0.0.1:{http_port}"
        wait_until_up(base + "/sparql?query=ASK%7B%7D", process, 240, log)
        yield Server("virtuoso", base + "/sparql-graph-crud-auth", base + "/sparql", ("dba", "dba"))
    finally:
        stop(process)
