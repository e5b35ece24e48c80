"""Triples added and removed between two versions of a dataset (files or folders of files).

Triples are compared as canonical N-Triples lines; graph names are ignored. When either side
has blank nodes, both sides are first relabelled with `rdflib.compare.to_canonical_graph`, so
that the same structure gets the same labels. Canonical labels depend on a blank node's
surroundings, so a blank node whose neighbourhood changed shows as removed and added.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

from llmboom.cli.terminal import safe_lines
from llmboom.errors import LimitError

if TYPE_CHECKING:
    import pyoxigraph

#: Seconds that matching blank nodes may take before `diff` gives up with a clear message.
BLANK_NODE_TIME_LIMIT: Final = 5.0


@dataclass(frozen=True)
class GraphDiff:
    """Sorted N-Triples lines (without the final newline) only in NEW (`added`) or OLD."""

    added: tuple[str, ...]
    removed: tuple[str, ...]

    @property
    def equal(self) -> bool:
        return not self.added and not self.removed

    def to_dict(self) -> dict[str, Any]:
        return {
            "equal": self.equal,
            "added_count": len(self.added),
            "removed_count": len(self.removed),
            "added": list(self.added),
            "removed": list(self.removed),
        }

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False) + "\n"

    def to_text(self) -> str:
        """`- triple` for each removed line, then `+ triple` for each added one."""
        lines = [f"- {t}" for t in self.removed] + [f"+ {t}" for t in self.added]
        return safe_lines(lines)

    def summary(self) -> str:
        if self.equal:
            return "no difference"
        return f"{len(self.added)} added, {len(self.removed)} removed"


def diff_graphs(
    old_quads: Iterable[pyoxigraph.Quad],
    new_quads: Iterable[pyoxigraph.Quad],
    *,
    blank_node_time_limit: float = BLANK_NODE_TIME_LIMIT,
) -> GraphDiff:
    """The triples only in `new_quads` (added) and only in `old_quads` (removed).

    Matching blank nodes (canonical relabelling) can take exponential time on symmetric
    structures such as long blank-node cycles; it runs in a worker process stopped after
    `blank_node_time_limit` seconds (`LimitError`).
    """
    old_quads, new_quads = list(old_quads), list(new_quads)
    if _has_blank_nodes(old_quads) or _has_blank_nodes(new_quads):
        old, new = _match_blank_nodes(old_quads, new_quads, blank_node_time_limit)
    else:
        old, new = _lines(old_quads), _lines(new_quads)
    return GraphDiff(added=tuple(sorted(new - old)), removed=tuple(sorted(old - new)))


def _match_blank_nodes(
    old_quads: list[pyoxigraph.Quad], new_quads: list[pyoxigraph.Quad], time_limit: float
) -> tuple[set[str], set[str]]:
    from llmboom.sparql.worker import WorkerOutOfMemory, WorkerTimeout, run_in_worker

    def both() -> tuple[set[str], set[str]]:
        return _canonical_lines(old_quads), _canonical_lines(new_quads)

    try:
        return run_in_worker(both, timeout=time_limit)
    except (WorkerTimeout, WorkerOutOfMemory):
        count = len(_blank_nodes(old_quads) | _blank_nodes(new_quads))
        raise LimitError(
            f"could not match the {count} blank nodes within {time_limit:g} s (their "
            "structure is too symmetric to compare); give blank nodes IRIs, or compare "
            "N-Triples lines with the system diff"
        ) from None


def _blank_nodes(quads: list[pyoxigraph.Quad]) -> set:
    import pyoxigraph

    return {
        term
        for quad in quads
        for term in (quad.subject, quad.object)
        if isinstance(term, pyoxigraph.BlankNode)
    }


def _lines(quads: list[pyoxigraph.Quad]) -> set[str]:
    from llmboom.rdf.canonical import canonical_nquads

    return set(canonical_nquads(quads, keep_graphs=False).decode("utf-8").splitlines())


def _has_blank_nodes(quads: list[pyoxigraph.Quad]) -> bool:
    import pyoxigraph

    blank = pyoxigraph.BlankNode
    return any(isinstance(q.subject, blank) or isinstance(q.object, blank) for q in quads)


def _canonical_lines(quads: list[pyoxigraph.Quad]) -> set[str]:
    """N-Triples lines after canonical relabelling of blank nodes (rdflib)."""
    from rdflib.compare import to_canonical_graph

    from llmboom.rdf.loading import to_rdflib_graph

    canonical = to_canonical_graph(to_rdflib_graph(quads))
    text = canonical.serialize(format="nt", encoding="utf-8").decode("utf-8")
    return {line for line in text.splitlines() if line.strip()}
