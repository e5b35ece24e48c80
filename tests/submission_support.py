"""Helpers for the submission tests: a throw-away copy of the project, hashes of data/, and
Turtle snippets of a fact with its statement record."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

from tests.conftest import REPO

PREFIXES = """\
@prefix lbo:  <https://w3id.org/llmboom/ontology#> .
@prefix lbr:  <https://w3id.org/llmboom/id/> .
@prefix owl:  <http://www.w3.org/2002/07/owl#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdf:  <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd:  <http://www.w3.org/2001/XMLSchema#> .
"""

SECOND_SOURCE = REPO / "tests" / "submissions" / "second-source.ttl"


def copy_project(target: Path) -> Path:
    """A copy of the checkout's project folders under `target`; tests that write use it."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("ontology", "data", "shapes", "queries", "frames"):
        shutil.copytree(REPO / name, target / name)
    return target


def data_hashes(root: Path) -> dict[str, str]:
    """SHA-256 of every file under `root/data`, by relative path."""
    data = root / "data"
    return {
        str(path.relative_to(data)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(data.rglob("*"))
        if path.is_file()
    }


def fact(subject: str, predicate: str, obj: str, slug: str, quote: str = "ByteDance") -> str:
    """`subject predicate obj` and a statement record quoting the article."""
    return f"""
{subject} {predicate} {obj} .
lbr:{slug} a rdf:Statement ;
    rdf:subject {subject} ;
    rdf:predicate {predicate} ;
    rdf:object {obj} ;
    prov:wasDerivedFrom lbr:article ;
    lbo:quote "{quote}"@en ;
    lbo:attributedTo lbr:attribution-article .
"""


def submit_cli(root: Path, *args: str):
    """Run `llmboom --root ROOT ARGS…` in-process (stdout and stderr kept apart)."""
    from click.testing import CliRunner

    from llmboom.cli import cli

    return CliRunner().invoke(cli, ["--root", str(root), *args])
