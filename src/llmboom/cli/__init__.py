"""The `llmboom` command line: thin click commands over the library.

Each command parses its options, makes one library call and renders the result. Library
errors (`LlmboomError`) become a one-line `Error: …` on stderr and the error's exit code,
here and nowhere else.
"""

from __future__ import annotations

import sys

import click

from llmboom import __version__
from llmboom.cli.common import AppContext
from llmboom.errors import LlmboomError

#: command name → module under llmboom.cli holding a click command of the same name.
COMMAND_MODULES: dict[str, str] = {
    "validate": "validate",
    "query": "query",
    "export": "export",
    "build": "build",
    "stats": "stats",
    "diff": "diff",
    "serve": "serve",
    "push": "push",
}


class LazyGroup(click.Group):
    """A group that imports a command's module only when that command runs."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted(COMMAND_MODULES)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        module_name = COMMAND_MODULES.get(cmd_name)
        if module_name is None:
            return None
        import importlib

        module = importlib.import_module(f"llmboom.cli.{module_name}")
        return getattr(module, cmd_name.replace("-", "_") + "_command")

    def invoke(self, ctx: click.Context):
        try:
            return super().invoke(ctx)
        except LlmboomError as error:
            raise UserError(error) from None
        except KeyboardInterrupt:
            raise Interrupted() from None


class UserError(click.ClickException):
    """A library error shown as one line, `Error: …`, with the error's exit code."""

    def __init__(self, error: LlmboomError) -> None:
        super().__init__(str(error))
        self.exit_code = error.exit_code


class Interrupted(click.ClickException):
    """Ctrl-C: one line and exit 2, whatever was running (work in progress is undone)."""

    exit_code = 2

    def __init__(self) -> None:
        super().__init__("interrupted")


@click.group(cls=LazyGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--root",
    type=click.Path(file_okay=False, path_type=str),
    envvar="LLMBOOM_ROOT",
    help="Project folder (ontology/, data/, shapes/, queries/). Default: this checkout.",
)
@click.option(
    "--base",
    "base_iri",
    envvar="LLMBOOM_BASE",
    help="Rebase resource IRIs (default https://w3id.org/llmboom/id/).",
)
@click.option(
    "--store",
    "store_dir",
    type=click.Path(file_okay=False, path_type=str),
    envvar="LLMBOOM_STORE",
    help="Keep the dataset in a persistent store in DIR (built from data/, rebuilt when "
    "data/ changes), so that commands start without re-parsing.",
)
@click.version_option(__version__, prog_name="llmboom")
@click.pass_context
def cli(ctx: click.Context, root: str | None, base_iri: str | None, store_dir: str | None) -> None:
    """llmboom: a linked-data knowledge graph of China's large-language-model race.

    \b
    Example:
        llmboom validate
        llmboom query --name reporting-chain
    """
    ctx.obj = AppContext(root=root, base_iri=base_iri, store_dir=store_dir)


def main() -> None:
    """Entry point of the `llmboom` console script."""
    try:
        cli(prog_name="llmboom")
    except BrokenPipeError:
        sys.exit(0)
    except KeyboardInterrupt:  # outside a command (while starting up)
        Interrupted().show()
        sys.exit(Interrupted.exit_code)
