"""What every command shares: the project context and the repeated options."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import click

if TYPE_CHECKING:
    from llmboom.project import Project
    from llmboom.store import DatasetStore


@dataclass
class AppContext:
    """Built once per invocation by the `llmboom` group; the project is located lazily."""

    root: str | None = None
    base_iri: str | None = None
    #: `--store DIR`: a persistent embedded store, built from data/ and kept up to date.
    store_dir: str | None = None
    _project: Project | None = field(default=None, repr=False)

    @property
    def project(self) -> Project:
        if self._project is None:
            from llmboom.project import Project

            self._project = Project.locate(self.root, self.base_iri)
        return self._project

    def open_store(self) -> DatasetStore:
        """The dataset's store: on disk in `--store DIR` when given, else in memory."""
        from llmboom.store import open_store

        return open_store(self.project, store_dir=self.store_dir)

    def dataset_quads(self) -> list:
        """The dataset's quads: read from `--store DIR` when given, else parsed from data/."""
        if self.store_dir is None:
            from llmboom.loading import load_data

            return load_data(self.project)
        return self.open_store().dataset_quads()


pass_app = click.make_pass_decorator(AppContext)


def format_option(choices: list[str], default: str, help_text: str = "Output format."):
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
