"""Documentation cannot drift: every command is documented, README shows the essentials."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest

from llmboom.cli import COMMAND_MODULES, COMMAND_SUMMARIES, cli, summary
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")
#: The README and the pages under docs/ it links.
DOCUMENTATION = README + "".join(
    path.read_text(encoding="utf-8") for path in sorted((REPO / "docs").glob("*.md"))
)


@pytest.mark.parametrize("name", sorted(COMMAND_MODULES))
def test_every_command_has_help_with_an_example(name: str) -> None:
    command = cli.get_command(click.Context(cli), name)
    assert command is not None, name
    help_text = command.help or ""
    assert len(help_text.strip()) > 20, name
    assert "Example:" in help_text, f"{name}: --help lacks an Example: block"
    assert f"llmboom {name}" in help_text, f"{name}: the example does not run the command"


@pytest.mark.parametrize("name", sorted(COMMAND_MODULES))
def test_every_command_is_in_the_readme(name: str) -> None:
    assert f"llmboom {name}" in DOCUMENTATION, f"no page shows `llmboom {name}`"


def test_readme_gives_the_two_commands() -> None:
    assert "make run" in README
    assert "make test" in README


def test_help_runs(run_cli) -> None:
    result = run_cli("--help")
    assert result.exit_code == 0
    for name in COMMAND_MODULES:
        assert name in result.stdout


@pytest.mark.parametrize("name", sorted(COMMAND_MODULES))
def test_the_listed_summary_is_the_commands_own(name: str) -> None:
    """`llmboom --help` lists commands from a table (so that it imports none of them): the
    table says what each command's help says, at any width."""
    command = cli.get_command(click.Context(cli), name)
    assert command is not None
    assert sorted(COMMAND_SUMMARIES) == sorted(COMMAND_MODULES)
    for limit in (30, 45, 60, 10_000):
        assert summary(name, limit) == command.get_short_help_str(limit), (name, limit)


def test_help_imports_no_command() -> None:
    """`llmboom --help` starts fast: no command module, nor anything heavy, is imported."""
    program = (
        "import sys\n"
        "from llmboom.cli import cli\n"
        "try:\n"
        "    cli(['--help'])\n"
        "except SystemExit:\n"
        "    pass\n"
        "loaded = sorted(m for m in sys.modules if m.startswith('llmboom.cli.')\n"
        "    or m.split('.')[0] in ('rdflib', 'pyshacl', 'pyoxigraph', 'starlette'))\n"
        "print('LOADED', loaded)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", program], capture_output=True, text=True, check=True, cwd=REPO
    )
    assert "Commands:" in done.stdout
    assert "LOADED ['llmboom.cli.common']" in done.stdout


def test_the_push_example_counts_what_push_sends(project) -> None:
    """The `push` transcript (docs/commands.md) states the triples of the dataset and the
    ontology."""
    import re

    from llmboom.rdf.loading import load_data, load_ontology

    readme = DOCUMENTATION
    stated = dict(
        re.findall(
            r"^https://w3id\.org/llmboom/(dataset|ontology): (\d+) triples sent", readme, re.M
        )
    )
    assert int(stated["dataset"]) == len({q.triple for q in load_data(project)})
    assert int(stated["ontology"]) == len({q.triple for q in load_ontology(project)})
