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
from pathlib import Path
from typing import TYPE_CHECKING, Any

from llmboom.errors import FormatError, InputError
from llmboom.formats import FORMATS, by_path

if TYPE_CHECKING:
    import pyoxigraph


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
        return "".join(line + "\n" for line in lines)

    def summary(self) -> str:
        if self.equal:
            return "no difference"
        return f"{len(self.added)} added, {len(self.removed)} removed"


def diff_graphs(
    old_quads: Iterable[pyoxigraph.Quad], new_quads: Iterable[pyoxigraph.Quad]
) -> GraphDiff:
    """The triples only in `new_quads` (added) and only in `old_quads` (removed)."""
    old_quads, new_quads = list(old_quads), list(new_quads)
    if _has_blank_nodes(old_quads) or _has_blank_nodes(new_quads):
        old, new = _canonical_lines(old_quads), _canonical_lines(new_quads)
    else:
        old, new = _lines(old_quads), _lines(new_quads)
    return GraphDiff(added=tuple(sorted(new - old)), removed=tuple(sorted(old - new)))


def _lines(quads: list[pyoxigraph.Quad]) -> set[str]:
    from llmboom.canonical import canonical_nquads

    return set(canonical_nquads(quads, keep_graphs=False).decode("utf-8").splitlines())


def _has_blank_nodes(quads: list[pyoxigraph.Quad]) -> bool:
    import pyoxigraph

    blank = pyoxigraph.BlankNode
    return any(isinstance(q.subject, blank) or isinstance(q.object, blank) for q in quads)


def _canonical_lines(quads: list[pyoxigraph.Quad]) -> set[str]:
    """N-Triples lines after canonical relabelling of blank nodes (rdflib)."""
    from rdflib.compare import to_canonical_graph

    from llmboom.loading import to_rdflib_graph

    canonical = to_canonical_graph(to_rdflib_graph(quads))
    text = canonical.serialize(format="nt", encoding="utf-8").decode("utf-8")
    return {line for line in text.splitlines() if line.strip()}


def load_rdf(path: str | Path) -> list[pyoxigraph.Quad]:
    """The quads of an RDF file, or of every RDF file under a folder (by suffix, sorted).

    Files whose suffix is not in the format table are skipped; a folder without any RDF
    file, or a path that does not exist, is an `InputError`.
    """
    from llmboom.loading import parse_file

    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and _is_rdf(p))
        if not files:
            suffixes = ", ".join(f.suffix for f in FORMATS)
            raise InputError(str(path), f"no RDF files ({suffixes}) in this folder")
        return [q for file in files for q in parse_file(file)]
    if not path.exists():
        raise InputError(str(path), "no such file or folder")
    return parse_file(path)


def _is_rdf(path: Path) -> bool:
    try:
        by_path(path)
    except FormatError:
        return False
    return True
