"""What every command shares: the project context and the repeated options."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from llmboom.dataset import Dataset
    from llmboom.project import Project


@dataclass
class AppContext:
    """Built once per invocation by the `llmboom` group; the project and its dataset are
    opened lazily."""

    root: str | None = None
    base_iri: str | None = None
    #: `--store DIR`: a persistent embedded store, built from data/ and kept up to date.
    store_dir: str | None = None
    #: `--as-of DATE` of the command: the dataset as known to hold on that date
    #: (llmboom.history.snapshot); the dataset's `snapshot` then says what the answer rests on.
    as_of: date | None = None
    _project: Project | None = field(default=None, repr=False)
    _dataset: Dataset | None = field(default=None, repr=False)

    @property
    def project(self) -> Project:
        if self._project is None:
            from llmboom.project import Project

            self._project = Project.locate(self.root, self.base_iri)
        return self._project

    @property
    def dataset(self) -> Dataset:
        """The dataset the options name (`--root`, `--base`, `--store`, `--as-of`)."""
        if self._dataset is None:
            from llmboom.dataset import Dataset

            self._dataset = Dataset(self.project, store_dir=self.store_dir, as_of=self.as_of)
        return self._dataset

    def say_snapshot(self) -> None:
        """Tell stderr what a snapshot answer rests on."""
        snapshot = self.dataset.snapshot if self.as_of is not None else None
        if snapshot is not None:
            click.echo(snapshot.note(), err=True)


pass_app = click.make_pass_decorator(AppContext)


def _parse_as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    from llmboom.history.snapshot import parse_as_of

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
