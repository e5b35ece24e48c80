"""bench/generate.py: the copies of the dataset are disjoint, so generated data conforms
exactly when the dataset does (a copy's IRI that is already a resource of the dataset, as
lbr:deepseek copied to lbr:deepseek-r1, a model's IRI, merged two resources)."""

from __future__ import annotations

import pyoxigraph
from bench.generate import copy_marker, replicate

from llmboom.namespaces import LBR
from llmboom.project import Project
from llmboom.rdf.loading import load_data


def _resources(quads) -> set[str]:
    return {
        term.value
        for q in quads
        for term in (q.subject, q.object)
        if isinstance(term, pyoxigraph.NamedNode) and term.value.startswith(LBR)
    }


def test_copies_are_disjoint(project: Project) -> None:
    quads = load_data(project)
    own = _resources(quads)
    assert any(iri.endswith("-r1") for iri in own)  # the case this guards against
    copies = replicate(quads, 3)
    assert len(_resources(copies)) == 3 * len(own)
    assert len(set(copies)) == 3 * len(set(quads))


def test_the_marker_avoids_the_dataset_own_endings() -> None:
    def quad(slug: str) -> pyoxigraph.Quad:
        node = pyoxigraph.NamedNode(LBR + slug)
        return pyoxigraph.Quad(node, node, node)

    assert copy_marker([quad("a"), quad("b-r7")]) == "r"  # no b: b-r7 is nobody's copy
    assert copy_marker([quad("b"), quad("b-r7")]) == "rr"
    assert copy_marker([quad("b"), quad("b-r7"), quad("c"), quad("c-rr2")]) == "rrr"
