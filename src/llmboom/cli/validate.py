"""`llmboom validate`: SHACL-validate the dataset, or files in the context of the dataset."""

from __future__ import annotations

from pathlib import Path

import click

from llmboom.cli.common import AppContext, format_option, pass_app


@click.command(name="validate")
@click.argument("files", nargs=-1, type=click.Path(dir_okay=False, path_type=Path))
@format_option(
    ["text", "json", "turtle"],
    "text",
    "Report format: text (grouped by node), json, or turtle (the standard SHACL report graph).",
)
@pass_app
def validate_command(app: AppContext, files: tuple[Path, ...], output_format: str) -> None:
    """Check the dataset against the SHACL shapes in shapes/.

    With FILEs (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML), check them merged with
    the dataset. Exit status: 0 the data conforms (warnings and infos are shown but do not
    fail), 1 at least one violation, 2 a file cannot be read or parsed (FILE:LINE: reason).
    Nothing is fetched from the network.

    \b
    Example:
        llmboom validate
        llmboom validate new-facts.ttl
        llmboom validate --format json
    """
    from llmboom.shacl.rendering import render_report
    from llmboom.shacl.validation import validate_project

    report = validate_project(app.dataset, files)
    click.echo(render_report(report, output_format.lower()), nl=False)
    if not report.conforms:
        raise click.exceptions.Exit(1)
