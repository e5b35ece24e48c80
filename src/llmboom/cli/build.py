"""`llmboom build`: validate, then write the static publication."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from llmboom.cli.common import AppContext, as_of_option, format_option, pass_app


@click.command(name="build")
@click.option(
    "--out",
    "-o",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("dist"),
    show_default=True,
    help="Output folder; replaced whole (see above).",
)
@click.option(
    "--progress/--no-progress",
    default=None,
    help="Show progress on stderr. Default: only when stderr is a terminal.",
)
@click.option(
    "--pages",
    type=click.Choice(["auto", "all", "none"]),
    default="auto",
    show_default=True,
    help="Static per-resource pages: always, never, or up to 5,000 resources.",
)
@format_option(["text", "json"], "text", "Summary format on stdout.")
@as_of_option()
@pass_app
def build_command(
    app: AppContext, out_dir: Path, progress: bool | None, pages: str, output_format: str
) -> None:
    """Validate the dataset, then write its publication for static hosting.

    The output folder gets the dataset and the ontology in Turtle, N-Triples, N-Quads,
    TriG, RDF/XML and JSON-LD (dataset.*, ontology.*), context.jsonld, ontology.html,
    void.ttl (VoID + DCAT: counts, partitions, one distribution per file with its size and
    SHA-256) and id/<slug>.html, .ttl and .jsonld for every resource. Two builds of the same
    input are byte-identical; dates come from data/meta/dataset.ttl, never from the clock.

    Per-resource pages are written up to 5,000 resources (--pages auto); above that a build
    would be mostly small files that `llmboom serve` renders live, so the landing page and
    the search link each resource's IRI instead. --pages all or none decides it yourself.

    With --as-of DATE the publication is the dataset as known to hold on DATE
    (docs/time-and-claims.md); the whole dataset is what must conform.

    If the dataset does not conform to its shapes, nothing is written (exit 1). The
    publication is built in a temporary folder beside OUT and swapped in at the end, so OUT
    is never half-written. Because OUT is replaced whole, the build refuses (exit 2) an
    OUT that exists, is not empty and holds no .llmboom-build file (the mark of a previous
    build): `--out ~` cannot wipe your home folder.

    \b
    Example:
        llmboom build
        llmboom build --out public --format json
        llmboom build --pages none      # documents, landing page and search only
        llmboom build --as-of 2020-06-01 --out dist-2020   # the dataset as of a date
    """
    from llmboom.publication import build

    show = sys.stderr.isatty() if progress is None else progress
    # the whole dataset is validated; with --as-of, the snapshot is published
    summary = build(app.dataset, out_dir, progress=show, pages=pages)
    app.say_snapshot()
    facts = {
        "out": str(out_dir),
        "files": len(summary.files),
        "bytes": summary.bytes_written,
        "triples": summary.triples,
        "entities": summary.entities,
        "resource_pages": summary.resource_pages,
    }
    if output_format == "json":
        click.echo(json.dumps(facts, indent=2))
    else:
        click.echo(
            f"Wrote {facts['files']} files ({facts['bytes']} bytes) to {out_dir}: "
            f"{facts['triples']} triples, {facts['resource_pages']} resource pages."
        )
    if summary.charts_skipped:
        click.echo(
            f"Note: {summary.charts_skipped} pages have no chart: Graphviz's `dot` is not "
            "installed (Debian: apt install graphviz)",
            err=True,
        )
