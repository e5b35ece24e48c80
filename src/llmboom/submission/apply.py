"""`apply_submission`: check under an exclusive lock, then write into `data/` in one step.

Layout: `data/submissions/<UTC time>-<digest>/` holds `submission.ttl` (the new triples and
the PROV record) and, for each new source text, `<slug>.txt` (read back as `lbo:fullText`,
like `data/sources/article.txt`). The folder is written whole in a staging folder beside
`data/` (`.llmboom-staging/`, same file system), its files synced, then renamed into
`data/submissions/` — a single atomic rename, so readers and a crash see the dataset before
or after, never between. The lock (`.llmboom-submit.lock` beside `data/`, a `filelock`)
serialises writers; the check runs under it, against the dataset as it is then. Nothing is
created in `data/` unless the submission is accepted and new.
"""

from __future__ import annotations

import errno
import re
import shutil
import uuid
from collections.abc import Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Final

from llmboom.dataset import Dataset
from llmboom.errors import DiskFullError, LlmboomError
from llmboom.namespaces import LBO, LBR
from llmboom.submission.check import evaluate
from llmboom.submission.inputs import SubmissionInput
from llmboom.submission.provenance import submission_record
from llmboom.submission.report import SubmissionReport

if TYPE_CHECKING:
    import pyoxigraph

    from llmboom.project import Project

LOCK_NAME: Final = ".llmboom-submit.lock"
STAGING_NAME: Final = ".llmboom-staging"
SUBMISSION_FILE: Final = "submission.ttl"
#: Default wait for the lock, in seconds.
LOCK_TIMEOUT: Final = 60.0
_SLUG: Final = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")


class ApplyError(LlmboomError):
    """An accepted submission could not be written; nothing in `data/` changed. Messages
    name files relative to the project (a server must not show its folders)."""


class ApplyNoSpaceError(ApplyError, DiskFullError):
    """The disk (or the quota) is full; nothing in `data/` changed."""


def apply_submission(
    project: Project,
    inputs: Sequence[SubmissionInput | str | Path],
    *,
    submitter: str,
    lock_timeout: float = LOCK_TIMEOUT,
    limit: int | None = None,
    now: datetime | None = None,
) -> SubmissionReport:
    """Check the submission and, if it is accepted and adds anything, write it into `data/`.

    The report says what happened: `written` is the new folder, `already_applied` is True
    when every triple was already in the dataset (nothing written). Raises `LockTimeoutError`
    when another writer holds the lock longer than `lock_timeout` seconds, `ApplyError` when
    writing fails (then `data/` is unchanged).
    """
    from llmboom.files.replace import exclusive_lock

    busy = (
        f"{LOCK_NAME}: another `llmboom submit --apply` held the lock for more than "
        f"{lock_timeout:g} s; try again when it has finished"
    )
    with exclusive_lock(project.root / LOCK_NAME, lock_timeout, busy):
        return _apply_locked(project, inputs, submitter, limit, now)


def _apply_locked(project, inputs, submitter, limit, now) -> SubmissionReport:
    from dataclasses import replace

    when = now or datetime.now(UTC)
    names = [item.name if isinstance(item, SubmissionInput) else str(item) for item in inputs]
    files = [Path(name).name for name in names]

    def record(content_digest: str, new: int) -> list[pyoxigraph.Quad]:
        return submission_record(project.base_iri, content_digest, submitter, files, new, when)

    dataset = Dataset(project)  # read under the lock: the data as it is now
    checked = evaluate(project, inputs, dataset=dataset, limit=limit, bookkeeping=record)
    report = checked.report
    if not report.accepted:
        return report
    if not checked.new:
        return replace(report, already_applied=True)
    _check_serialisable(project, dataset.quads() + checked.new)
    assert report.digest is not None
    folder = _write(project, checked.new, f"{when:%Y%m%dT%H%M%SZ}-{report.digest[:16]}")
    return replace(report, written=folder.relative_to(project.root).as_posix())


def _check_serialisable(project: Project, quads: list) -> None:
    """The merged dataset must be writable in every published format before it is kept."""
    from llmboom.export import prefixes_for, serialize
    from llmboom.rdf.formats import FORMATS
    from llmboom.rdf.jsonld import build_context

    for fmt in FORMATS:
        context = build_context(project) if fmt.name == "jsonld" else None
        try:
            serialize(quads, fmt, context=context, prefixes=prefixes_for(project.base_iri))
        except Exception as error:  # any failure means: do not write
            raise ApplyError(
                f"the merged dataset cannot be written as {fmt.name} ({error}); nothing applied"
            ) from None


def _write(project: Project, new: list, name: str) -> Path:
    from llmboom.export import prefixes_for, serialize
    from llmboom.files.replace import move_folder_into_place, sync_folder, write_synced
    from llmboom.rdf.formats import by_name

    staging_root = project.root / STAGING_NAME
    shutil.rmtree(staging_root, ignore_errors=True)  # left by a writer that died (we hold the lock)
    staging = staging_root / uuid.uuid4().hex
    target_dir = project.data_dir / "submissions"
    target = target_dir / name
    try:
        staging.mkdir(parents=True)
        texts, triples = _split_texts(_canonical(project, new))
        for slug, text in texts.items():
            write_synced(staging / f"{slug}.txt", text.encode("utf-8"))
        body = serialize(triples, by_name("turtle"), prefixes=prefixes_for())
        write_synced(staging / SUBMISSION_FILE, body)
        sync_folder(staging)
        target_dir.mkdir(exist_ok=True)
        if not move_folder_into_place(staging, target, replace=False):
            raise FileExistsError(errno.EEXIST, "a submission of that name exists", str(target))
    except OSError as error:
        shutil.rmtree(staging, ignore_errors=True)
        full = error.errno in (errno.ENOSPC, errno.EDQUOT)
        raise (ApplyNoSpaceError if full else ApplyError)(
            f"{target.relative_to(project.root).as_posix()}: cannot write the submission "
            f"({error.strerror or type(error).__name__}); nothing applied"
        ) from None
    finally:
        shutil.rmtree(staging_root, ignore_errors=True)
    return target


def _canonical(project: Project, quads: list) -> list:
    """The quads with the deployment's resource namespace mapped back to the canonical one
    (files in data/ are always written in the canonical namespace)."""
    import pyoxigraph

    base = project.base_iri
    if base == LBR:
        return quads

    def back(term):
        if isinstance(term, pyoxigraph.NamedNode) and term.value.startswith(base):
            return pyoxigraph.NamedNode(LBR + term.value[len(base) :])
        return term

    return [pyoxigraph.Quad(back(q.subject), back(q.predicate), back(q.object)) for q in quads]


def _split_texts(quads: list) -> tuple[dict[str, str], list]:
    """Source texts (`lbr:<slug> lbo:fullText "…"@en`) go to `<slug>.txt`, the rest stays."""
    texts: dict[str, str] = {}
    rest = []
    for quad in quads:
        obj = quad.object
        slug = quad.subject.value.removeprefix(LBR)
        if (
            quad.predicate.value == LBO + "fullText"
            and getattr(obj, "language", None) == "en"
            and _SLUG.fullmatch(slug)
            and slug not in texts
        ):
            texts[slug] = obj.value
        else:
            rest.append(quad)
    return texts, rest
