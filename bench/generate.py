"""Synthetic, ontology-conformant data at a chosen size, for benchmarks and engine comparisons.

The dataset is replicated k times: copy k>0 renames every lbr: IRI with a `-r<k>` suffix
(or `-rr<k>`, … when a resource of the dataset already ends so, as lbr:deepseek-r1 does),
so copies are disjoint graphs with the same classes, properties and statement-record pattern
(every fact keeps its statement record, quote and attribution), and each copy has its own
source text (`lbr:article-r<k> lbo:fullText …`). Copies are whole, so the result conforms to
the shapes exactly when the dataset does; the size is rounded up to whole copies.

Run `python bench/generate.py --triples 100000 --out DIR` to write a project folder (the
checkout's ontology/, shapes/, queries/, frames/ and data/meta/ plus data/generated.ttl) that
every `llmboom --root DIR …` command can use.
"""

from __future__ import annotations

import argparse
import math
import shutil
from pathlib import Path

import pyoxigraph

from llmboom.namespaces import LBR
from llmboom.project import Project
from llmboom.rdf.loading import load_data


def replicate(quads: list[pyoxigraph.Quad], copies: int) -> list[pyoxigraph.Quad]:
    """`copies` disjoint copies of the dataset (copy 0 keeps the original IRIs)."""
    out = list(quads)
    marker = copy_marker(quads)
    for k in range(1, copies):
        suffix = f"-{marker}{k}"
        renamed: dict = {}

        def rename(term, suffix=suffix, renamed=renamed):
            if isinstance(term, pyoxigraph.NamedNode) and term.value.startswith(LBR):
                new = renamed.get(term)
                if new is None:
                    new = renamed[term] = pyoxigraph.NamedNode(term.value + suffix)
                return new
            return term

        out.extend(pyoxigraph.Quad(rename(q.subject), q.predicate, rename(q.object)) for q in quads)
    return out


def copy_marker(quads: list[pyoxigraph.Quad]) -> str:
    """The letters that mark a copy's IRIs (`-r<k>`): the first of r, rr, rrr, … with which
    no renamed IRI can be one of the dataset's own (lbr:deepseek copied as lbr:deepseek-r1,
    the name of a model)."""
    import re

    iris = {
        term.value
        for q in quads
        for term in (q.subject, q.object)
        if isinstance(term, pyoxigraph.NamedNode) and term.value.startswith(LBR)
    }
    marker = "r"
    while True:
        ending = re.compile(rf"-{marker}[0-9]+$")
        if not any(ending.sub("", iri) in iris for iri in iris if ending.search(iri)):
            return marker
        marker += "r"


def generate(project: Project, triples: int) -> list[pyoxigraph.Quad]:
    """At least `triples` triples: as many whole copies of the dataset as that takes."""
    base = load_data(project)
    return replicate(base, max(1, math.ceil(triples / len(base))))


def write_project(project: Project, quads: list[pyoxigraph.Quad], out: Path) -> Project:
    """A project folder holding `quads` as its data (source texts included as triples)."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    for name in ("ontology", "shapes", "queries", "frames"):
        if (project.root / name).is_dir():
            shutil.copytree(project.root / name, out / name)
    (out / "data").mkdir()
    if (project.data_dir / "meta").is_dir():
        shutil.copytree(project.data_dir / "meta", out / "data" / "meta")
    pyoxigraph.serialize(
        [q.triple for q in quads],
        str(out / "data" / "generated.ttl"),
        pyoxigraph.RdfFormat.TURTLE,
        prefixes={"lbr": LBR},
    )
    return Project(out.resolve(), project.base_iri)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--triples", type=int, default=10_000)
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    project = Project.locate()
    quads = generate(project, args.triples)
    write_project(project, quads, args.out)
    print(f"{len(quads)} triples in {args.out}")


if __name__ == "__main__":
    main()
