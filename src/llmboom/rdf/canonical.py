"""The canonical order of a set of quads, below every writer: sorted, de-duplicated N-Quads.

`export` (every RDF format), `jsonld` (the compacted document), `framing` and `diff` all
start from it; this module imports none of them.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pyoxigraph


def canonical_nquads(quads: Iterable[pyoxigraph.Quad], *, keep_graphs: bool = True) -> bytes:
    """Sorted, de-duplicated N-Quads (N-Triples when `keep_graphs` is false or all quads
    are in the default graph): the canonical text of a dataset."""
    import pyoxigraph

    if not keep_graphs:
        from llmboom.rdf.loading import as_default_graph

        quads = as_default_graph(quads)
    raw = pyoxigraph.serialize(quads, format=pyoxigraph.RdfFormat.N_QUADS)
    if not raw:
        return b""
    lines = sorted(set(raw.splitlines(keepends=True)))
    return b"".join(lines)


def sorted_quads(quads: Iterable[pyoxigraph.Quad], *, keep_graphs: bool = True) -> list:
    """The quads, de-duplicated, in the order of their sorted N-Quads lines."""
    import pyoxigraph

    text = canonical_nquads(quads, keep_graphs=keep_graphs)
    return list(pyoxigraph.parse(text, pyoxigraph.RdfFormat.N_QUADS))
