"""`llmboom stats`: counts by class and property, records, sources and attributions."""

from __future__ import annotations

import click

from llmboom.cli.common import AppContext, as_of_option, format_option, pass_app


@click.command(name="stats")
@format_option(["text", "json"], "text")
@as_of_option()
@pass_app
def stats_command(app: AppContext, output_format: str) -> None:
    """Count the dataset: instances by class, triples by property, statement records,
    sources, attributions, and the share of facts resting only on anonymous informants.

    Classes are counted twice: by asserted rdf:type, and with the instances of their
    sub-classes (RDFS entailment under the ontology, as `llmboom query` sees them by default).

    \b
    Example:
        llmboom stats
        llmboom stats --format json
        llmboom stats --as-of 2020-06-01
    """
    from llmboom.stats import compute_stats

    stats = compute_stats(app.dataset.quads(), app.dataset.ontology())
    app.say_snapshot()
    click.echo(stats.to_json() if output_format == "json" else stats.to_text(), nl=False)
