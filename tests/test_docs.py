"""Documentation cannot drift: every command is documented, README shows the essentials."""

from __future__ import annotations

import click
import pytest

from llmboom.cli import COMMAND_MODULES, cli
from tests.conftest import REPO

README = (REPO / "README.md").read_text(encoding="utf-8")


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
    assert f"llmboom {name}" in README, f"README.md does not show `llmboom {name}`"


def test_readme_gives_the_two_commands() -> None:
    assert "make run" in README
    assert "make test" in README


def test_help_runs(run_cli) -> None:
    result = run_cli("--help")
    assert result.exit_code == 0
    for name in COMMAND_MODULES:
        assert name in result.stdout
