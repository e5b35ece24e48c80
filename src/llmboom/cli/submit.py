"""`llmboom submit`: check a contribution in the context of the dataset; `--apply` merges it."""

from __future__ import annotations

from pathlib import Path

import click

from llmboom.cli.common import AppContext, format_option, pass_app


def _default_submitter() -> str:
    import getpass

    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return "anonymous"


@click.command(name="submit")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
@click.option("--apply", "apply_", is_flag=True, help="Merge an accepted submission into data/.")
@click.option(
    "--submitter",
    metavar="AGENT",
    help="Who contributes it, recorded with --apply (default: your user name).",
)
@click.option(
    "--lock-timeout",
    type=click.FloatRange(min=0),
    default=60.0,
    show_default=True,
    metavar="SECONDS",
    help="How long --apply waits for another writer to finish.",
)
@format_option(
    ["text", "json", "turtle"],
    "text",
    "Report format: text, json, or turtle (a SHACL validation report).",
)
@pass_app
def submit_command(
    app: AppContext,
    files: tuple[Path, ...],
    apply_: bool,
    submitter: str | None,
    lock_timeout: float,
    output_format: str,
) -> None:
    """Check a contribution: FILEs of new facts with their statement records and source.

    The files (Turtle, TriG, N-Triples, N-Quads, JSON-LD, RDF/XML; nothing is fetched) must
    parse, stay within the size limit, add facts only (lbr: subjects, no ontology terms, no
    schema statements, no blank nodes) and, merged with the dataset, conform to the shapes.
    Every problem is listed. Triples the dataset already has are counted, not refused.
    With --apply, an accepted submission is written into data/submissions/ with a record of
    who submitted it, when and its SHA-256, in one atomic step; applying the same content
    again changes nothing. Exit status: 0 accepted, 1 refused, 2 unreadable (FILE:LINE).

    \b
    Example:
        llmboom submit new-facts.ttl
        llmboom submit new-facts.ttl --apply --submitter alice
        llmboom submit new-facts.jsonld --format json
    """
    from llmboom.submission import apply_submission, check_submission

    if apply_:
        report = apply_submission(
            app.project,
            files,
            submitter=submitter or _default_submitter(),
            lock_timeout=lock_timeout,
        )
    else:
        report = check_submission(app.project, files, dataset=app.dataset)
    finish_with_report(report, output_format, apply_)


def finish_with_report(report, output_format: str, apply_: bool) -> None:
    """Print a submission report as `submit` and `import` do, and exit with its code."""
    from llmboom.submission.render import render

    if report.exit_code == 2:
        for problem in report.problems:
            click.echo(f"Error: {problem.location}: {problem.message}", err=True)
        raise click.exceptions.Exit(2)
    click.echo(render(report, output_format.lower()), nl=False)
    if report.written:
        click.echo(f"Applied: {report.written}", err=True)
    elif apply_ and report.already_applied:
        click.echo("Nothing to apply: the dataset already has every triple.", err=True)
    raise click.exceptions.Exit(report.exit_code)
