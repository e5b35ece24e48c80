"""`llmboom import`: a table (CSV) turned into a submission through a declared mapping, then
checked, and applied, like any contribution (`llmboom.submission`).

`import_table(project, mapping, table, ...)` reads the mapping (a shipped name such as
`epoch-notable-models`, or a mapping file), reads the whole table (a malformed file or cell
is a `TableError` naming FILE:LINE:COLUMN, and nothing is written), plans the triples the
dataset lacks (`build.plan_import`) and hands them to `check_submission` or
`apply_submission`. See docs/citations-and-import.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from llmboom.importing.build import ImportPlan, plan_import
from llmboom.importing.csv_table import TableError
from llmboom.importing.mapping import Mapping, MappingError, load_mapping, mapping_path

if TYPE_CHECKING:
    from llmboom.project import Project
    from llmboom.submission import SubmissionReport

__all__ = ["ImportResult", "MappingError", "TableError", "import_table", "shipped_mappings"]


@dataclass
class ImportResult:
    """The plan (figures and triples), and the submission's report (None when the plan adds
    nothing: then nothing was submitted)."""

    mapping: Mapping
    plan: ImportPlan
    report: SubmissionReport | None
    retrieved: dt.date

    @property
    def exit_code(self) -> int:
        return 0 if self.report is None else self.report.exit_code


def shipped_mappings(project: Project) -> list[Path]:
    """Where shipped mappings are looked for: the project's `mappings/`, then the checkout's
    or the wheel's."""
    from llmboom.project import BUNDLED_DIR, CHECKOUT_DIR

    folders = [project.root / "mappings", CHECKOUT_DIR / "mappings", BUNDLED_DIR / "mappings"]
    return list(dict.fromkeys(f for f in folders if f.is_dir()))


def import_table(
    project: Project,
    mapping: str,
    table: str | Path,
    *,
    retrieved: dt.date | None = None,
    output: Path | None = None,
    apply: bool = False,
    submitter: str = "llmboom import",
    progress: Callable[[int, int], None] | None = None,
) -> ImportResult:
    """Import `table` through `mapping`; check the submission, or with `apply` merge it.

    `retrieved` is the date the copy of the table was taken (its citation's date; by default
    the file's modification date). `output` also keeps the submission as a Turtle file.
    `progress(done, total)` is called as rows are turned into facts.
    """
    from llmboom.dataset import Dataset
    from llmboom.export import prefixes_for, serialize
    from llmboom.files.replace import write_bytes_atomically
    from llmboom.rdf.formats import by_name
    from llmboom.submission import SubmissionInput, apply_submission, check_submission

    dataset = Dataset(project)
    spec = load_mapping(mapping_path(mapping, shipped_mappings(project)))
    table = Path(table)
    if not table.is_file():
        raise TableError(str(table), 1, 1, "no such file")
    if retrieved is None:
        retrieved = dt.datetime.fromtimestamp(table.stat().st_mtime, dt.UTC).date()
    plan = plan_import(
        spec,
        table,
        retrieved,
        dataset.quads(),
        dataset.ontology(),
        project.base_iri,
        progress=progress,
    )
    body = serialize(plan.quads, by_name("turtle"), prefixes=prefixes_for(project.base_iri))
    if output is not None:
        write_bytes_atomically(output, body)
    if not plan.quads:
        return ImportResult(spec, plan, None, retrieved)
    name = str(output) if output is not None else f"{table.name}.ttl"
    item = SubmissionInput.from_bytes(body, by_name("turtle"), name)
    if apply:
        report = apply_submission(project, [item], submitter=submitter)
    else:
        report = check_submission(project, [item], dataset=dataset)
    return ImportResult(spec, plan, report, retrieved)
