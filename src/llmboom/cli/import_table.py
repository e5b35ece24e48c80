"""`llmboom import`: a table through a declared mapping, checked (and applied) like `submit`."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import click

from llmboom.cli.common import AppContext, format_option, pass_app


@click.command(name="import")
@click.argument("mapping")
@click.argument("table", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Also write the submission (Turtle) to this file.",
)
@click.option("--apply", "apply_", is_flag=True, help="Merge an accepted import into data/.")
@click.option(
    "--submitter",
    metavar="NAME",
    default="llmboom import",
    show_default=True,
    help="Who contributes it, recorded with --apply.",
)
@click.option(
    "--retrieved",
    type=click.DateTime(formats=["%Y-%m-%d"]),
    metavar="DATE",
    help="When this copy of the table was taken (YYYY-MM-DD), the date its citation gives; "
    "default: the file's modification date.",
)
@format_option(["text", "json", "turtle"], "text", "Report format: text, json, or turtle.")
@pass_app
def import_command(
    app: AppContext,
    mapping: str,
    table: Path,
    output: Path | None,
    apply_: bool,
    submitter: str,
    retrieved: dt.datetime | None,
    output_format: str,
) -> None:
    """Turn a table (CSV) into a submission through a declared mapping, then check it.

    MAPPING is a shipped mapping's name (epoch-notable-models) or a mapping file (CSVW JSON).
    Every fact gets a statement record citing the copy of the table (dated --retrieved) with
    the mapping's one-sentence summary. Only what the dataset lacks is submitted: importing
    the same copy again changes nothing; a later copy's changed value is added as preferred
    and the old one kept, deprecated. A malformed row stops the import with FILE:LINE:COLUMN
    and nothing is written. Exit status as `submit`: 0 accepted (or nothing new), 1 refused,
    2 unreadable.

    \b
    Example:
        llmboom import epoch-notable-models notable_ai_models.csv --retrieved 2026-05-02
        llmboom import epoch-notable-models notable_ai_models.csv -o epoch.ttl
        llmboom import mappings/epoch-notable-models.json notable_ai_models.csv --apply
    """
    from llmboom.importing import import_table

    bar = None
    if apply_:
        from tqdm import tqdm

        # disable=None: drawn on a terminal only (a pipe or a log gets no control characters)
        bar = tqdm(unit=" rows", desc="import", leave=False, file=sys.stderr, disable=None)

    def progress(done: int, total: int) -> None:
        if bar is not None and not bar.disable:
            bar.total = total
            bar.update(done - bar.n)

    try:
        result = import_table(
            app.project,
            mapping,
            table,
            retrieved=retrieved.date() if retrieved else None,
            output=output,
            apply=apply_,
            submitter=submitter,
            progress=progress,
        )
    finally:
        if bar is not None:
            bar.close()
    plan, report = result.plan, result.report
    click.echo(
        f"{result.mapping.path.name}: {plan.rows} rows, {len(plan.models)} models, "
        f"{plan.facts} new facts, {len(plan.matched)} resources matched, "
        f"{len(plan.minted)} minted, {plan.superseded} superseded (copy of {result.retrieved})",
        err=True,
    )
    if report is None:
        click.echo("Nothing to import: the dataset already has every fact of this table.", err=True)
        return
    from llmboom.cli.submit import finish_with_report

    finish_with_report(report, output_format, apply_)
