"""The `llmboom` command line: thin click commands over the library.

Each command parses its options, makes one library call and renders the result. Library
errors (`LlmboomError`) become a one-line `Error: …` on stderr and the error's exit code,
here and nowhere else.
"""

from __future__ import annotations

import os
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
    "submit": "submit",
    "import": "import_table",
}

#: command name → the summary `llmboom --help` lists (its help's first sentence), so that
#: listing the commands imports none of them (tests/test_docs.py keeps the two in step).
COMMAND_SUMMARIES: dict[str, str] = {
    "build": "Validate the dataset, then write its publication for static hosting.",
    "diff": "Show the triples added and removed between OLD and NEW.",
    "import": "Turn a table (CSV) into a submission through a declared mapping, then check it.",
    "export": "Export the dataset in an RDF format; the output is byte-identical for the "
    "same data.",
    "push": "Replace a graph on a SPARQL server with the dataset, and the graph "
    "<https://w3id.org/llmboom/ontology> with the ontology (SPARQL 1.1 Graph Store Protocol, "
    "HTTP PUT of N-Triples), then count each graph with a SPARQL query.",
    "query": "Run a read-only SPARQL query (SELECT, ASK, CONSTRUCT, DESCRIBE) on the dataset.",
    "serve": "Serve the dataset over HTTP until interrupted (Ctrl-C).",
    "stats": "Count the dataset: instances by class, triples by property, statement records, "
    "sources, attributions, and the share of facts resting only on anonymous informants.",
    "submit": "Check a contribution: FILEs of new facts with their statement records and source.",
    "validate": "Check the dataset against the SHACL shapes in shapes/.",
}


def summary(name: str, limit: int) -> str:
    """What `llmboom --help` says of a command, in at most about `limit` characters."""
    return click.Command(name, help=COMMAND_SUMMARIES[name]).get_short_help_str(limit)


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

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """The command list of `llmboom --help`, from `COMMAND_SUMMARIES` (start-up stays
        fast: no command module is imported to list the commands)."""
        names = self.list_commands(ctx)
        limit = formatter.width - 6 - max(len(name) for name in names)
        rows = [(name, summary(name, limit)) for name in names]
        with formatter.section("Commands"):
            formatter.write_dl(rows)

    def invoke(self, ctx: click.Context):
        try:
            try:
                return super().invoke(ctx)
            finally:
                sys.stdout.flush()  # a full disk or a closed pipe shows here, not at exit
        except LlmboomError as error:
            raise UserError(error) from None
        except KeyboardInterrupt:
            raise Interrupted() from None
        except BrokenPipeError:
            raise
        except OSError as error:  # the output could not be written
            _discard_stdout()
            raise OutputFailed(error) from None


def _discard_stdout() -> None:
    """Point standard output at /dev/null, so that the final flush does not fail again."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass  # not a real file (tests capture output)


class UserError(click.ClickException):
    """A library error shown as one line, `Error: …`, with the error's exit code."""

    def __init__(self, error: LlmboomError) -> None:
        from llmboom.cli.terminal import safe_line

        super().__init__(safe_line(str(error)))
        # click declares exit_code a class variable; here each error brings its own
        self.exit_code = error.exit_code  # type: ignore[misc]


class OutputFailed(click.ClickException):
    """Writing the output failed (a full disk, say): one line and exit 2."""

    exit_code = 2

    def __init__(self, error: OSError) -> None:
        where = error.filename or "standard output"
        super().__init__(f"{where}: cannot write: {error.strerror or error}")


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
        code = cli.main(prog_name="llmboom", standalone_mode=False)
    except BrokenPipeError:
        sys.exit(0)
    except (KeyboardInterrupt, click.Abort):  # outside a command (while starting up)
        _fail(Interrupted())
    except click.ClickException as error:
        _fail(error)
    sys.exit(code if isinstance(code, int) else 0)


def _fail(error: click.ClickException) -> None:
    """One line on stderr, `Error: …` (a usage error points at --help), and its exit code."""
    from llmboom.cli.terminal import safe_line

    message = safe_line(error.format_message().strip())
    if isinstance(error, click.UsageError) and error.ctx is not None:
        message += f" (see '{error.ctx.command_path} --help')"
    click.echo(f"Error: {message}", err=True)
    sys.exit(error.exit_code)
