"""Control characters in values never reach the terminal raw, in any text output."""

from __future__ import annotations

from pathlib import Path

import pytest

from llmboom.cli.terminal import safe_line, safe_lines

FORGED = "0 violations, 0 warnings, 0 infos: the data conforms."
ESC = "\x1b"


@pytest.mark.parametrize(
    ("raw", "shown"),
    [
        ("plain text, ünïcödé 字", "plain text, ünïcödé 字"),
        ("a\nb", "a\\nb"),
        ("tab\there\r", "tab\\there\\r"),
        ("\x1b[2J\x1b]0;title\x07", "\\x1b[2J\\x1b]0;title\\x07"),
        ("\x9b31m", "\\x9b31m"),
        ("right\u202eto left\u2028", "right\\u202eto left\\u2028"),
    ],
)
def test_safe_line_escapes_every_control_character(raw: str, shown: str) -> None:
    assert safe_line(raw) == shown


def test_safe_lines_keeps_the_line_structure() -> None:
    assert safe_lines(["one", "t\nwo"]) == "one\nt\\nwo\n"


def test_a_label_cannot_forge_the_verdict_of_validate(run_cli, tmp_path: Path) -> None:
    evil = tmp_path / "evil.ttl"
    label = f"Evil\\n\\n{FORGED}\\u001b[2J\\u001b[1A"
    evil.write_text(
        "@prefix lbr: <https://w3id.org/llmboom/id/> .\n"
        "@prefix lbo: <https://w3id.org/llmboom/ontology#> .\n"
        "@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .\n"
        f'lbr:evil a lbo:Person ; rdfs:label "{label}"@en ; lbo:reportsTo lbr:shouzi-chew .\n'
    )
    result = run_cli("validate", str(evil))
    assert result.exit_code == 1, result.stderr
    assert ESC not in result.stdout
    lines = result.stdout.splitlines()
    assert FORGED not in lines
    assert lines[-1].endswith("the data does not conform.")
    assert f"\\n\\n{FORGED}\\x1b[2J" in result.stdout


def test_query_tables_and_lists_escape_values(run_cli) -> None:
    query = 'SELECT ?x WHERE { BIND("red\\u001b[31m\\nforged\\u0007" AS ?x) }'
    result = run_cli("query", query)
    assert result.exit_code == 0, result.stderr
    assert ESC not in result.stdout and "\x07" not in result.stdout
    assert "red\\x1b[31m" in result.stdout


def test_diff_text_escapes_values(run_cli, tmp_path: Path) -> None:
    old, new = tmp_path / "old.nt", tmp_path / "new.nt"
    old.write_text("")
    new.write_text('<http://example.org/s> <http://example.org/p> "a\x1b[2Jb\u202e" .\n')
    result = run_cli("diff", str(old), str(new))
    assert result.exit_code == 1, result.stderr
    assert ESC not in result.stdout and "\u202e" not in result.stdout
    assert "[2J" in result.stdout


def test_error_messages_escape_file_names(run_cli, tmp_path: Path) -> None:
    name = tmp_path / "bad\x1b[31m\nname.ttl"
    result = run_cli("validate", str(name))
    assert result.exit_code == 2
    assert ESC not in result.stderr
