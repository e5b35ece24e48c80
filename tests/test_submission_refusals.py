"""One test per refusal class of issue 6: each exits 1 (refused) or 2 (unreadable) within 2 s,
names the problem precisely, and leaves data/ byte-identical (even with --apply)."""

from __future__ import annotations

import socket
import threading
import time
from pathlib import Path

import pytest

from tests.submission_support import (
    PREFIXES,
    SECOND_SOURCE,
    copy_project,
    data_hashes,
    fact,
    submit_cli,
)

FACT_RECORD = fact  # short alias for the table below
TEAM = "lbr:bytedance-image-model-team"
MOBVOI = ("lbr:mobvoi", "lbo:participatesIn", "lbr:china-llm-boom")

CASES: dict[str, tuple[str, int, str]] = {
    # name: (Turtle body, exit status, a fragment the report must contain)
    "self-reporting-person": (
        FACT_RECORD("lbr:zhu-wenjia", "lbo:reportsTo", "lbr:zhu-wenjia", "s-self"),
        1,
        "lbs:NoReportingCycle",
    ),
    "cycle-through-existing-people": (
        FACT_RECORD(
            "lbr:shouzi-chew",
            "lbo:reportsTo",
            "lbr:head-of-bytedance-language-model-team",
            "s-cycle",
        ),
        1,
        "Reporting lines cannot loop",
    ),
    "missing-english-label": (
        """lbr:new-person a lbo:Person ; rdfs:label "朱某"@zh .""",
        1,
        "lbs:Entity-label",
    ),
    "person-as-announced-model": (
        FACT_RECORD("lbr:baidu", "lbo:announcedModel", "lbr:zhu-wenjia", "s-wrong-class"),
        1,
        "lbo:announcedModel points to a lbo:AIModel",
    ),
    "team-size-as-text": (
        FACT_RECORD(
            "lbr:bytedance-image-model-team", "lbo:approximateSize", '"about ten"@en', "s-size-text"
        ),
        1,
        "sh:DatatypeConstraintComponent",
    ),
    "team-size-negative": (
        FACT_RECORD(
            "lbr:bytedance-image-model-team", "lbo:approximateSize", "-10", "s-size-negative"
        ),
        1,
        "sh:MinInclusiveConstraintComponent",
    ),
    "fact-without-statement-record": (
        "lbr:baidu lbo:usesTechnology lbr:aigc .",
        1,
        "This fact has no statement record",
    ),
    "quote-not-in-source": (
        FACT_RECORD(
            "lbr:mobvoi",
            "lbo:participatesIn",
            "lbr:china-llm-boom",
            "s-bad-quote",
            "Mobvoi invented ChatGPT",
        ),
        1,
        "lbs:QuoteIsVerbatim",
    ),
    "statement-record-of-unasserted-triple": (
        FACT_RECORD("lbr:mobvoi", "lbo:participatesIn", "lbr:china-llm-boom", "s-unasserted").split(
            " .\n", 1
        )[1],
        1,
        "lbs:StatementIsAsserted",
    ),
    "position-ending-before-it-starts": (
        FACT_RECORD("lbr:zhu-wenjia-toutiao-ceo", "lbo:endDate", '"2001"^^xsd:gYear', "s-end"),
        1,
        "lbs:EndNotBeforeStart",
    ),
    "ontology-term-redefined": (
        "lbo:reportsTo a owl:SymmetricProperty .",
        1,
        "lbo:reportsTo ontology term as a subject",
    ),
    "subject-outside-lbr": (
        '<http://example.org/acme> a lbo:Organization ; rdfs:label "Acme"@en .',
        1,
        "subject outside the resource namespace",
    ),
    "blank-nodes": (
        'lbr:baidu lbo:founder [ a lbo:Person ; rdfs:label "Someone"@en ] .',
        1,
        "blank node refused",
    ),
}


def _submit(root: Path, path: Path, *extra: str):
    started = time.perf_counter()
    result = submit_cli(root, "submit", str(path), "--apply", *extra)
    return result, time.perf_counter() - started


@pytest.fixture(scope="module")
def root(tmp_path_factory) -> Path:
    root = copy_project(tmp_path_factory.mktemp("project"))
    submit_cli(root, "submit", str(SECOND_SOURCE))  # warm up imports and caches
    return root


@pytest.mark.parametrize("name", sorted(CASES))
def test_refusal(root: Path, tmp_path: Path, name: str) -> None:
    body, status, fragment = CASES[name]
    path = tmp_path / f"{name}.ttl"
    path.write_text(PREFIXES + body, encoding="utf-8")
    before = data_hashes(root)
    result, elapsed = _submit(root, path)
    assert result.exit_code == status, result.output
    assert fragment in result.output
    assert "nothing written" in result.output
    assert data_hashes(root) == before
    assert elapsed < 2.0, f"{name} took {elapsed:.2f} s"


def test_remote_context_is_refused_without_any_connection(root: Path, tmp_path: Path) -> None:
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    server.settimeout(0.2)
    port = server.getsockname()[1]
    connections: list = []
    stop = threading.Event()

    def accept() -> None:
        while not stop.is_set():
            try:
                connections.append(server.accept())
            except TimeoutError:
                continue

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    path = tmp_path / "remote.jsonld"
    path.write_text(
        f'{{"@context": "http://127.0.0.1:{port}/context.jsonld", "@id": "lbr:x", "name": "X"}}',
        encoding="utf-8",
    )
    before = data_hashes(root)
    try:
        result, elapsed = _submit(root, path)
    finally:
        time.sleep(0.3)
        stop.set()
        thread.join()
        server.close()
    assert connections == []
    assert result.exit_code == 1, result.output
    assert "remote JSON-LD @context refused (not fetched)" in result.output
    assert f"http://127.0.0.1:{port}/context.jsonld" in result.output
    assert data_hashes(root) == before
    assert elapsed < 2.0


def test_twenty_megabyte_literal_is_refused_before_reading(root: Path, tmp_path: Path) -> None:
    path = tmp_path / "huge.ttl"
    with open(path, "w", encoding="utf-8") as stream:
        stream.write(PREFIXES + 'lbr:baidu lbo:describedAs "')
        stream.write("x" * (20 * 1024 * 1024))
        stream.write('"@en .\n')
    before = data_hashes(root)
    result, elapsed = _submit(root, path)
    assert result.exit_code == 2
    assert f"Error: {path}: too large: 20 MB exceeds the limit of 5 MB" in result.stderr
    assert data_hashes(root) == before
    assert elapsed < 2.0


@pytest.mark.parametrize(
    ("suffix", "text", "message"),
    [
        (
            ".jsonld",
            '{"@id": "https://w3id.org/llmboom/id/x", "https://w3id.org/llmboom/ontology#p": '
            + '{"https://w3id.org/llmboom/ontology#p": ' * 5000
            + "1"
            + "}" * 5001,
            "nested",
        ),
        (
            ".rdf",
            '<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
            'xmlns:lbo="https://w3id.org/llmboom/ontology#">\n'
            '<rdf:Description rdf:about="https://w3id.org/llmboom/id/x">\n'
            + '<lbo:p rdf:parseType="Resource">\n' * 100000
            + "</lbo:p>" * 100000
            + "</rdf:Description></rdf:RDF>",
            "nested",
        ),
    ],
    ids=["jsonld", "rdfxml"],
)
def test_deeply_nested_input_is_refused(root: Path, tmp_path: Path, suffix, text, message) -> None:
    path = tmp_path / f"nested{suffix}"
    path.write_text(text, encoding="utf-8")
    before = data_hashes(root)
    result, elapsed = _submit(root, path)
    assert result.exit_code == 2
    assert result.stderr.startswith("Error: " + str(path))
    assert message in result.stderr and result.stderr.count("\n") == 1
    assert data_hashes(root) == before
    assert elapsed < 2.0


def test_rdfxml_entity_expansion_is_refused(root: Path, tmp_path: Path) -> None:
    path = tmp_path / "laughs.rdf"
    entities = "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">\n' for i in range(1, 10))
    path.write_text(
        '<?xml version="1.0"?>\n<!DOCTYPE rdf:RDF [\n<!ENTITY lol0 "lol">\n'
        + entities
        + ']>\n<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"/>\n',
        encoding="utf-8",
    )
    before = data_hashes(root)
    result, elapsed = _submit(root, path)
    assert result.exit_code == 2
    assert f"Error: {path}:2: RDF/XML with a DOCTYPE declaration is refused" in result.stderr
    assert data_hashes(root) == before
    assert elapsed < 2.0
