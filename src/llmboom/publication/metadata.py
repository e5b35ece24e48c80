"""The dataset's own metadata, `data/meta/dataset.ttl` (not part of the data graph).

The build copies it into `void.ttl` and takes every date it writes from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from llmboom.errors import InputError
from llmboom.namespaces import DATASET_IRI, DCTERMS, OWL, VOID, shorten
from llmboom.project import Project
from llmboom.rdf.loading import parse_file, rebase
from llmboom.rdf.terms import term_value

if TYPE_CHECKING:
    import pyoxigraph

#: Where the metadata lives, relative to the project root.
METADATA_PATH = Path("data") / "meta" / "dataset.ttl"

_REQUIRED = {
    "title": DCTERMS + "title",
    "license": DCTERMS + "license",
    "version": OWL + "versionInfo",
    "issued": DCTERMS + "issued",
}


@dataclass(frozen=True)
class DatasetMetadata:
    """What the publication says about the dataset itself."""

    iri: str
    title: str
    description: str
    license: str
    version: str
    issued: str  #: lexical form, e.g. `2026-11-26`
    example_resources: tuple[str, ...]
    quads: tuple[pyoxigraph.Quad, ...]  #: every triple of the metadata file, rebased


def metadata_path(project: Project) -> Path:
    """The project's metadata file."""
    return project.root / METADATA_PATH


def load_metadata(project: Project, iri: str = DATASET_IRI) -> DatasetMetadata:
    """Read and check the metadata file; `InputError` if it is missing a required field."""
    path = metadata_path(project)
    if not path.is_file():
        raise InputError(str(path), "missing: the build takes the dataset's metadata from here")
    quads = tuple(rebase(parse_file(path), project.base_iri))
    values: dict[str, list[str]] = {}
    for quad in quads:
        if term_value(quad.subject) == iri:
            values.setdefault(quad.predicate.value, []).append(term_value(quad.object))
    for name, predicate in _REQUIRED.items():
        if not values.get(predicate):
            raise InputError(str(path), f"<{iri}> has no {name} ({shorten(predicate)})")
    first = {name: sorted(values[predicate])[0] for name, predicate in _REQUIRED.items()}
    return DatasetMetadata(
        iri=iri,
        title=first["title"],
        description=sorted(values.get(DCTERMS + "description", [""]))[0],
        license=first["license"],
        version=first["version"],
        issued=first["issued"],
        example_resources=tuple(sorted(values.get(VOID + "exampleResource", []))),
        quads=quads,
    )
