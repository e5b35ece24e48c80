"""`llmboom export`: the dataset in any RDF format, or as a framed JSON-LD tree."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path
from typing import BinaryIO

import click

from llmboom.cli.common import AppContext, as_of_option, format_option, pass_app
from llmboom.rdf.formats import FORMAT_NAMES

VIEWS = ("all", "truthy")


@click.command(name="export")
@format_option(
    list(FORMAT_NAMES),
    None,
    "RDF format: turtle, nt, nq, trig, xml (RDF/XML) or jsonld. "
    "Default: from the suffix of -o, else turtle (jsonld with --frame).",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, allow_dash=True, path_type=Path),
    help="Write to FILE (atomically; a regular file or a new one) or '-' for standard output.",
)
@click.option(
    "--frame",
    "frame_name",
    metavar="NAME",
    help="Shape the JSON-LD into a tree with frames/NAME.jsonld (organization, person).",
)
@click.option(
    "--node",
    metavar="IRI",
    help="With --frame: the one node at the top of the tree (lbr:bytedance, or bytedance).",
)
@click.option(
    "--view",
    type=click.Choice(VIEWS),
    default="all",
    show_default=True,
    help="all: facts and their statement records; truthy: the plain facts only, the "
    "best-ranked value per subject, property and time (docs/time-and-claims.md).",
)
@click.option(
    "--stream",
    is_flag=True,
    help="Write the quads as the files are read, without holding them: flat memory and "
    "about pyoxigraph's own speed at millions of triples; a subject met in two files gets two "
    "blocks, N-Triples are not sorted, repeats stay, every prefix is declared.",
)
@as_of_option()
@pass_app
def export_command(
    app: AppContext,
    output_format: str | None,
    output: Path | None,
    frame_name: str | None,
    node: str | None,
    view: str,
    stream: bool,
) -> None:
    """Export the dataset in an RDF format; the output is byte-identical for the same data.

    JSON-LD is compacted with the project's context (embedded, so any JSON-LD parser reads it
    offline). --frame NAME shapes it into a tree a web developer can walk with plain keys:
    `organization` (organization, its platforms, units, teams, their heads and reporting
    lines, announced models) or `person` (positions, reporting lines); every fact's
    provenance is under `statements`.

    \b
    Example:
        llmboom export --format nt > llmboom.nt
        llmboom export -o dist/llmboom.jsonld
        llmboom export --format turtle --view truthy
        llmboom export --frame organization --node bytedance
        llmboom export --format nt --as-of 2016-06-01
        llmboom export --stream -o llmboom.ttl
    """
    from llmboom.export import export_dataset
    from llmboom.files.replace import check_replaceable
    from llmboom.rdf.formats import by_name, by_path

    if output is not None and str(output) == "-":
        output = None
    if output is not None:
        check_replaceable(output)  # before the work, so a refusal is immediate
    if output_format is None:
        if frame_name is not None:
            output_format = "jsonld"
        elif output is not None:
            output_format = by_path(output).name
        else:
            output_format = "turtle"
    if stream:
        _export_streamed(app, output_format, output, frame_name, view)
        return
    data = export_dataset(
        app.dataset, by_name(output_format), view=view, frame_name=frame_name, node=node
    )
    app.say_snapshot()
    snapshot = app.dataset.snapshot
    if snapshot is not None and output_format in ("turtle", "nt", "nq", "trig"):
        data = f"# {snapshot.note()}\n".encode() + data
    if output is None:
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    _write_atomically(output, lambda file: file.write(data))
    click.echo(f"wrote {output} ({len(data)} bytes)", err=True)


def _write_atomically(path: Path, write: Callable[[BinaryIO], object]) -> None:
    """Write the export whole or not at all (`write` is given the file to write to); a
    failure is a one-line error naming the file."""
    from llmboom.errors import OutputError
    from llmboom.files.replace import check_replaceable, write_atomically

    check_replaceable(path)
    try:
        write_atomically(path, write)
    except OSError as error:
        raise OutputError(f"{path}: {error.strerror or error}") from None


def _export_streamed(
    app: AppContext, output_format: str, output: Path | None, frame_name: str | None, view: str
) -> None:
    """`export --stream`: the quads written as they are parsed, to the file or standard
    output (a file is still replaced whole: on an error it is left as it was)."""
    from llmboom.errors import FormatError
    from llmboom.export import stream_dataset
    from llmboom.rdf.formats import by_name

    if frame_name is not None or view != "all":
        option = "--frame" if frame_name is not None else f"--view {view}"
        raise FormatError(f"{option} needs every fact at once; leave out --stream")
    fmt = by_name(output_format)
    if output is None:
        stream_dataset(app.dataset, fmt, sys.stdout.buffer)
        sys.stdout.flush()
        return
    _write_atomically(output, lambda file: stream_dataset(app.dataset, fmt, file))
    click.echo(f"wrote {output} ({output.stat().st_size} bytes)", err=True)
