"""Where a project's ontology, data, shapes and queries live, and its settings."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path

from llmboom.errors import ProjectError
from llmboom.namespaces import LBR

PACKAGE_DIR = Path(__file__).resolve().parent
#: The checkout this package runs from (src/llmboom/../..), when it runs from a checkout.
CHECKOUT_DIR = PACKAGE_DIR.parent.parent
#: Where a wheel carries ontology/, data/, shapes/ and queries/.
BUNDLED_DIR = PACKAGE_DIR / "resources"
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:[^\s]")


def _looks_like_project(path: Path) -> bool:
    return (path / "ontology").is_dir() and (path / "data").is_dir() and (path / "shapes").is_dir()


def check_base_iri(base_iri: str) -> str:
    """Return `base_iri` if it is an absolute IRI ending in `/` or `#`; else `ProjectError`.

    Resource IRIs are the base followed by a slug, so a base without a trailing `/` or `#`
    would glue the slug onto its last segment.
    """
    import pyoxigraph

    shown = base_iri if len(base_iri) <= 80 else base_iri[:77] + "..."
    problem = None
    try:
        pyoxigraph.NamedNode(base_iri)
    except ValueError as error:
        problem = f"is not an absolute IRI ({' '.join(str(error).split())})"
    if problem is None and not _SCHEME.match(base_iri):
        problem = "is not an absolute IRI (it needs a scheme, e.g. https://)"
    if problem is None and not base_iri.endswith(("/", "#")):
        problem = "must end in '/' or '#' (resource IRIs are the base followed by a slug)"
    if problem:
        raise ProjectError(f"--base {shown!r} {problem}; e.g. --base https://example.org/id/")
    return base_iri


@dataclass(frozen=True)
class Project:
    """A project folder: `ontology/`, `data/`, `shapes/`, `queries/`.

    `base_iri` is the resource namespace; a deployment may rebase the canonical one.
    """

    root: Path
    base_iri: str = LBR

    def __post_init__(self) -> None:
        check_base_iri(self.base_iri)

    @classmethod
    def locate(cls, root: str | Path | None = None, base_iri: str | None = None) -> Project:
        """Find the project: `root`, else `$LLMBOOM_ROOT`, else the checkout, else the wheel."""
        candidates: list[Path] = []
        if root is not None:
            candidates = [Path(root)]
        elif os.environ.get("LLMBOOM_ROOT"):
            candidates = [Path(os.environ["LLMBOOM_ROOT"])]
        else:
            candidates = [CHECKOUT_DIR, BUNDLED_DIR]
        for candidate in candidates:
            if _looks_like_project(candidate):
                return cls(candidate.resolve(), base_iri or os.environ.get("LLMBOOM_BASE") or LBR)
        raise ProjectError(
            f"{candidates[0]}: not an llmboom project (needs ontology/, data/ and shapes/)"
        )

    @property
    def ontology_dir(self) -> Path:
        return self.root / "ontology"

    @property
    def data_dir(self) -> Path:
        return self.root / "data"

    @property
    def shapes_dir(self) -> Path:
        return self.root / "shapes"

    @property
    def queries_dir(self) -> Path:
        return self.root / "queries"

    @property
    def sources_dir(self) -> Path:
        """Plain-text copies of source documents, named `<slug>.txt`."""
        return self.data_dir / "sources"

    @property
    def frames_dir(self) -> Path:
        """JSON-LD frames shipped with the project (`<name>.jsonld`)."""
        return self.root / "frames"

    def ontology_files(self) -> list[Path]:
        return sorted(self.ontology_dir.glob("*.ttl"))

    @property
    def submissions_dir(self) -> Path:
        """Applied submissions, one folder each (`llmboom submit --apply`)."""
        return self.data_dir / "submissions"

    def data_files(self) -> list[Path]:
        """The dataset's Turtle files (`data/*.ttl`, then each applied submission's), in a
        stable order."""
        return sorted(self.data_dir.glob("*.ttl")) + self._submission_files("*.ttl")

    def shapes_files(self) -> list[Path]:
        return sorted(self.shapes_dir.glob("*.ttl"))

    def source_texts(self) -> dict[str, Path]:
        """Map source slug → its text file."""
        texts = sorted(self.sources_dir.glob("*.txt")) + self._submission_files("*.txt")
        return {p.stem: p for p in texts}

    def _submission_files(self, pattern: str) -> list[Path]:
        return sorted(
            path
            for path in self.submissions_dir.glob(f"*/{pattern}")
            if not path.parent.name.startswith(".")
        )
