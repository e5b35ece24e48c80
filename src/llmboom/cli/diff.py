"""`llmboom diff`: triples added and removed between two versions."""

from __future__ import annotations

import click

from llmboom.cli.common import format_option


@click.command(name="diff")
@click.argument("old", type=click.Path(path_type=str))
@click.argument("new", type=click.Path(path_type=str))
@format_option(["text", "json"], "text")
@click.pass_context
def diff_command(ctx: click.Context, old: str, new: str, output_format: str) -> None:
    """Show the triples added and removed between OLD and NEW.

    OLD and NEW are RDF files (any format: .ttl, .nt, .nq, .trig, .rdf, .jsonld) or folders
    of such files. Text output has one N-Triples line per change, `-` removed and `+` added.
    Exit status: 0 when equal, 1 when they differ, 2 when an input cannot be read or its
    blank nodes cannot be matched within 5 seconds.

    \b
    Example:
        llmboom diff old/ data/
        llmboom diff dist-1/dataset.nt dist-2/dataset.nt --format json
    """
    from llmboom.diff import diff_graphs
    from llmboom.rdf.input_guard import max_input_bytes
    from llmboom.rdf.loading import read_rdf_files

    limit = max_input_bytes()
    result = diff_graphs(read_rdf_files(old, limit=limit), read_rdf_files(new, limit=limit))
    if output_format == "json":
        click.echo(result.to_json(), nl=False)
    else:
        click.echo(result.to_text(), nl=False)
        click.echo(result.summary(), err=True)
    ctx.exit(0 if result.equal else 1)
