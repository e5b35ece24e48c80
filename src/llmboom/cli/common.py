"""What every command shares: the project context and the repeated options."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from llmboom.project import Project
    from llmboom.snapshot import Snapshot
    from llmboom.store import DatasetStore


@dataclass
class AppContext:
    """Built once per invocation by the `llmboom` group; the project is located lazily."""

    root: str | None = None
    base_iri: str | None = None
    #: `--store DIR`: a persistent embedded store, built from data/ and kept up to date.
    store_dir: str | None = None
    #: `--as-of DATE` of the command: the dataset as known to hold on that date
    #: (llmboom.snapshot); `snapshot` then says what the answer rests on.
    as_of: date | None = None
    snapshot: Snapshot | None = None
    _project: Project | None = field(default=None, repr=False)

    @property
    def project(self) -> Project:
        if self._project is None:
            from llmboom.project import Project

            self._project = Project.locate(self.root, self.base_iri)
        return self._project

    def open_store(self) -> DatasetStore:
        """The dataset's store: on disk in `--store DIR` when given, else in memory; with
        `as_of`, an in-memory store of the snapshot."""
        from llmboom.store import open_store

        if self.as_of is None:
            return open_store(self.project, store_dir=self.store_dir)
        from llmboom.store.embedded import EmbeddedStore

        return EmbeddedStore.of_quads(self.project, self.dataset_quads())

    def dataset_quads(self) -> list:
        """The dataset's quads: read from `--store DIR` when given, else parsed from data/;
        with `as_of`, the snapshot as of that date (and `snapshot` set)."""
        if self.store_dir is None:
            from llmboom.loading import load_data

            quads = load_data(self.project)
        else:
            from llmboom.store import open_store

            quads = open_store(self.project, store_dir=self.store_dir).dataset_quads()
        if self.as_of is None:
            return quads
        from llmboom.loading import load_ontology
        from llmboom.snapshot import snapshot_quads

        quads, self.snapshot = snapshot_quads(quads, load_ontology(self.project), self.as_of)
        return quads

    def say_snapshot(self) -> None:
        """Tell stderr what a snapshot answer rests on."""
        if self.snapshot is not None:
            click.echo(self.snapshot.note(), err=True)


pass_app = click.make_pass_decorator(AppContext)


def _parse_as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    from llmboom.snapshot import parse_as_of

    parsed = parse_as_of(value)
    app = ctx.find_object(AppContext)
    if app is not None:
        app.as_of = parsed
    return parsed


def as_of_option():
    """The `--as-of DATE` option: the dataset as known to hold on DATE (SPEC §10)."""
    return click.option(
        "--as-of",
        "as_of",
        metavar="DATE",
        callback=_parse_as_of,
        expose_value=False,
        help="Use the dataset as known to hold on DATE (YYYY-MM-DD): facts whose validity "
        "contains it, and undated facts known by then (docs/time-and-claims.md).",
    )


def format_option(choices: list[str], default: str | None, help_text: str = "Output format."):
    """The `--format` option, spelled the same in every command."""
    return click.option(
        "--format",
        "-F",
        "output_format",
        type=click.Choice(choices, case_sensitive=False),
        default=default,
        show_default=True,
        help=help_text,
    )
