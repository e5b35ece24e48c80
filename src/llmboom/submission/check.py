"""`check_submission`: read, apply the policy, validate in context; one report, every reason."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from llmboom.dataset import Dataset
from llmboom.rdf.input_guard import max_input_bytes
from llmboom.rdf.loading import as_default_graph, rebase
from llmboom.submission.claims import check_existing_records
from llmboom.submission.focus import MergedView, focus_nodes, neighbourhood
from llmboom.submission.inputs import SubmissionInput, as_inputs, read_inputs
from llmboom.submission.policy import check_policy
from llmboom.submission.provenance import digest
from llmboom.submission.report import Outcome, SubmissionReport

if TYPE_CHECKING:
    import pyoxigraph

    from llmboom.project import Project

#: When reading fails, the outcome named by the first kind of problem found in this order.
_READ_OUTCOMES = (
    ("size", Outcome.TOO_LARGE),
    ("format", Outcome.UNSUPPORTED_FORMAT),
    ("syntax", Outcome.UNREADABLE),
)


@dataclass
class Checked:
    """A report and, when the submission was read, its new triples (as checked)."""

    report: SubmissionReport
    new: list[pyoxigraph.Quad]


def check_submission(
    project: Project,
    inputs: Sequence[SubmissionInput | str | Path],
    *,
    dataset: Dataset | None = None,
    limit: int | None = None,
    incremental: bool = True,
) -> SubmissionReport:
    """Check a submission (one or more files or request bodies) against the dataset.

    Nothing is written and nothing is fetched. `limit` is the size limit per input (default
    `input_guard.max_input_bytes()`); `incremental=False` validates the whole merged dataset
    instead of the affected focus nodes (same verdict, slower; for tests and benchmarks).
    Library errors are raised only for a broken project; every problem of the submission is
    in the report.
    """
    return evaluate(project, inputs, dataset=dataset, limit=limit, incremental=incremental).report


def evaluate(
    project: Project,
    inputs: Sequence[SubmissionInput | str | Path],
    *,
    dataset: Dataset | None = None,
    limit: int | None = None,
    incremental: bool = True,
    bookkeeping: Callable[[str, int], list[pyoxigraph.Quad]] | None = None,
) -> Checked:
    """`check_submission`, also returning the new triples. `bookkeeping(digest, new)` may
    add triples (the apply's PROV record) that are validated with the submission."""
    items = as_inputs(inputs)
    names = tuple(item.name for item in items)
    read = read_inputs(project, items, max_input_bytes() if limit is None else limit)
    if read.problems:
        kinds = {problem.kind for problem in read.problems}
        outcome = next((o for kind, o in _READ_OUTCOMES if kind in kinds), Outcome.REFUSED)
        return Checked(SubmissionReport(outcome, names, tuple(read.problems)), [])

    submitted = _distinct(as_default_graph(read.quads))
    content_digest = digest(submitted)
    source = ", ".join(names)
    policy = check_policy(submitted, project.base_iri, source)
    if policy:
        report = SubmissionReport(
            Outcome.REFUSED, names, tuple(policy), triples=len(submitted), digest=content_digest
        )
        return Checked(report, [])

    dataset = dataset or Dataset(project)
    checked = _distinct(rebase(submitted, project.base_iri))
    new = [quad for quad in checked if not dataset.contains(quad)]
    claims = check_existing_records(new, _oxigraph(dataset), source)
    if claims:
        report = SubmissionReport(
            Outcome.REFUSED, names, tuple(claims), triples=len(submitted), digest=content_digest
        )
        return Checked(report, [])
    extra = bookkeeping(content_digest, len(new)) if bookkeeping and new else []
    validation = _validate(project, dataset, new + extra, incremental)
    outcome = Outcome.ACCEPTED if validation is None or validation.conforms else Outcome.REFUSED
    report = SubmissionReport(
        outcome,
        names,
        validation=validation,
        triples=len(checked),
        known=len(checked) - len(new),
        digest=content_digest,
    )
    return Checked(report, new + extra)


def _validate(project: Project, dataset: Dataset, new: list, incremental: bool):
    from llmboom.shacl.validation import validate_quads

    if not new:
        return None
    if not incremental:
        return validate_quads(project, dataset.quads() + new)
    view = MergedView(_oxigraph(dataset), new)
    focus = focus_nodes(view, new, project.base_iri)
    quads = neighbourhood(view, focus)
    return validate_quads(project, quads, focus_nodes={n.value for n in focus})


def _oxigraph(dataset: Dataset) -> pyoxigraph.Store:
    """The pyoxigraph store of the dataset a submission is checked against (embedded: the
    submission check reads the project's own files, never a remote endpoint)."""
    oxigraph = dataset.store().oxigraph
    assert oxigraph is not None, "submissions are checked against an embedded store"
    return oxigraph


def _distinct(quads: Iterable[pyoxigraph.Quad]) -> list[pyoxigraph.Quad]:
    return list(dict.fromkeys(quads))
