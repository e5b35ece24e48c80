"""How the server starts: pages before the query workers are ready, a persisted store's
entailed copy shared by the workers, the whole-dataset documents made once."""

from __future__ import annotations

import asyncio
import json
import shutil
import urllib.parse
from pathlib import Path

from llmboom.project import Project
from llmboom.web.app import create_app, get_once
from llmboom.web.settings import ServerSettings
from llmboom.web.site import LiveSite
from tests.web_server import running_server

ORGANIZATIONS = "SELECT ?x WHERE { ?x a lbo:Organization } ORDER BY ?x"
REPORTS_TO = "SELECT ?a ?b WHERE { ?a org:reportsTo ?b } ORDER BY ?a ?b"
GRAPHS = "SELECT ?g WHERE { GRAPH ?g { } } ORDER BY ?g"
JSON_RESULTS = "application/sparql-results+json"


def _copy(project: Project, where: Path) -> Project:
    for name in ("ontology", "data", "shapes", "queries"):
        shutil.copytree(project.root / name, where / name)
    return Project.locate(where)


def _rows(body: bytes) -> list[dict]:
    return json.loads(body)["results"]["bindings"]


def test_a_persisted_store_serves_what_llmboom_query_sees(run_cli, tmp_path: Path) -> None:
    """The workers query the store's persisted entailed copy: the same answers as the
    in-memory entailment of `llmboom query`, and no extra named graph."""
    store = tmp_path / "store"
    with running_server(env={"LLMBOOM_STORE": str(store)}) as server:
        for query in (ORGANIZATIONS, REPORTS_TO, GRAPHS):
            expected = run_cli("query", query, "--format", "json")
            assert expected.exit_code == 0, expected.output
            path = "/sparql?" + urllib.parse.urlencode({"query": query})
            reply = server.request(path, headers={"Accept": JSON_RESULTS})
            assert reply.status == 200, reply.text
            assert _rows(reply.body) == _rows(expected.stdout.encode()), query
            assert _rows(reply.body)
        assert (store / "entailed").is_dir()
        home = server.request("/", headers={"Accept": "text/html"})
        assert home.status == 200 and '<a href="/sparql">' in home.text  # never the Host
        # its downloads are what `llmboom --store DIR build` writes, to the byte
        built = run_cli("--store", str(store), "build", "--out", str(tmp_path / "dist"))
        assert built.exit_code == 0, built.output
        for name in ("dataset.ttl", "dataset.rdf", "ontology.ttl", "void.ttl"):
            assert server.request("/" + name).body == (tmp_path / "dist" / name).read_bytes()
    (made,) = (store / "site").iterdir()  # the documents, kept for the next start
    assert (made / "dataset.ttl").is_file() and (made / "manifest.json").is_file()


def test_pages_answer_when_the_query_workers_cannot_start(project: Project, tmp_path) -> None:
    """The workers start in the background: their failure is a 503 for queries (one line,
    naming the file and line), and pages are served all the same."""
    broken = _copy(project, tmp_path / "broken")
    (broken.data_dir / "bad.ttl").write_text("lbr:x lbr:y .\n", encoding="utf-8")
    app = create_app(broken, ServerSettings(), site=LiveSite(project))
    query = "/sparql?" + urllib.parse.urlencode({"query": "ASK {}"})
    status, body = asyncio.run(get_once(app, query, JSON_RESULTS))
    assert status == 503
    assert "SPARQL workers cannot start" in body.decode() and "bad.ttl:1" in body.decode()
    status, body = asyncio.run(get_once(app, "/id/bytedance", "text/turtle"))
    assert status == 200 and b"lbr:bytedance" in body


def test_a_large_dataset_is_served_from_a_temporary_store(project: Project, run_cli) -> None:
    """Past `memory_max_bytes` of data files, `serve` without --store parses the data once
    into a temporary store on disk, which the server and its workers share, and removes it
    when it stops; the answers are the same."""
    settings = ServerSettings()
    assert settings.sized_for(project) is settings  # the project's data is small
    assert (
        ServerSettings(store_dir="elsewhere").sized_for(project, memory_max_bytes=1).store_dir
        == "elsewhere"
    )
    sized = settings.sized_for(project, memory_max_bytes=1)
    assert sized.temporary_store and sized.store_dir is not None
    try:
        app = create_app(
            project, sized, site=LiveSite(project, sized.dataset(project).store(), sized)
        )
        query = "/sparql?" + urllib.parse.urlencode({"query": ORGANIZATIONS})
        status, body = asyncio.run(get_once(app, query, JSON_RESULTS))
        assert status == 200, body
        expected = run_cli("query", ORGANIZATIONS, "--format", "json")
        assert _rows(body) == _rows(expected.stdout.encode())
        assert (Path(sized.store_dir) / "entailed").is_dir()
    finally:
        sized.remove_temporary_store()
    assert not Path(sized.store_dir).exists()
