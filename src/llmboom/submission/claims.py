"""A submission may add a competing claim, or re-rank an existing one; it never changes
another source's claim (SPEC §10, docs/time-and-claims.md).

Submissions only add triples, so nothing can be deleted. What a submission adds to a
statement record the dataset already holds is limited to its rank and the reason for it
(`lbo:rank`, `lbo:rankReason`): a new validity, source, quote or summary on someone else's
record would change what that source is recorded as saying. A competing claim is a new
record of its own.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

from llmboom.namespaces import LBO, RDF
from llmboom.submission.report import Problem

if TYPE_CHECKING:
    import pyoxigraph

#: What a submission may add to a record already in the dataset.
RERANKING: Final = frozenset({LBO + "rank", LBO + "rankReason"})


def check_existing_records(
    new: Iterable[pyoxigraph.Quad], dataset: pyoxigraph.Store, source: str
) -> list[Problem]:
    """A problem for each new triple about a record of the dataset other than its rank."""
    import pyoxigraph

    statement = pyoxigraph.NamedNode(RDF + "Statement")
    typed = pyoxigraph.NamedNode(RDF + "type")
    default = pyoxigraph.DefaultGraph()
    problems = []
    for quad in new:
        if quad.predicate.value in RERANKING:
            continue
        pattern = (quad.subject, typed, statement, default)
        if next(iter(dataset.quads_for_pattern(*pattern)), None) is not None:
            problems.append(
                Problem(
                    "policy",
                    "a submission may re-rank an existing statement record (lbo:rank with "
                    "lbo:rankReason) but not change what it records; state a competing claim "
                    "in a statement record of your own",
                    source,
                    node=str(quad.subject),
                    path=quad.predicate.value,
                    value=str(quad.object),
                )
            )
    return problems
