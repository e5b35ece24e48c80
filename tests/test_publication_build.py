"""`llmboom.publication.build`: determinism, atomic replacement, nothing written if invalid."""

from __future__ import annotations

import filecmp
import shutil
import subprocess
from pathlib import Path

import pytest

from llmboom.errors import LlmboomError
from llmboom.project import Project
from llmboom.publication import InvalidDatasetError, build
from llmboom.publication.atomic import MARKER, OutputFolderError, current_version, lock_path
from tests.conftest import REPO

#: A resource without the label every resource must have (SPEC §3): the shapes reject it.
INVALID_ADDITION = (
    "\n<https://w3id.org/llmboom/id/nameless-person> a "
    "<https://w3id.org/llmboom/ontology#Person> .\n"
)


def copy_project(target: Path) -> Project:
    """A throw-away copy of the checkout's project folders."""
    for name in ("ontology", "data", "shapes", "queries", "frames"):
        if (REPO / name).is_dir():
            shutil.copytree(REPO / name, target / name)
    return Project.locate(target)


def snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()
    }


def test_two_builds_are_byte_identical(project: Project, tmp_path: Path) -> None:
    first = build(project, tmp_path / "a")
    second = build(project, tmp_path / "b")
    assert first.files == second.files
    assert len(first.files) > 20
    comparison = filecmp.dircmp(tmp_path / "a", tmp_path / "b")
    assert not comparison.left_only and not comparison.right_only
    assert snapshot(tmp_path / "a") == snapshot(tmp_path / "b")
    if shutil.which("diff"):
        result = subprocess.run(
            ["diff", "-r", str(tmp_path / "a"), str(tmp_path / "b")], capture_output=True
        )
        assert result.returncode == 0, result.stdout.decode()[:2000]


def test_a_rebuild_replaces_the_previous_build(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build(project, out)
    (out / "stale.txt").write_text("left over from an older build")
    build(project, out)
    assert not (out / "stale.txt").exists()
    assert (out / MARKER).is_file()
    kept = {out, current_version(out), lock_path(out)}
    leftovers = [p.name for p in tmp_path.iterdir() if p not in kept]
    assert leftovers == [], "staging or retired folders were left behind"


def test_the_publication_holds_every_file_of_spec_section_8(project: Project, tmp_path) -> None:
    summary = build(project, tmp_path / "dist")
    files = set(summary.files)
    for name in ("dataset", "ontology"):
        for suffix in (".ttl", ".nt", ".nq", ".trig", ".rdf", ".jsonld"):
            assert f"{name}{suffix}" in files
    assert {"context.jsonld", "ontology.html", "void.ttl"} <= files
    for slug in ("bytedance", "zhu-wenjia", "bytedance-language-model-team"):
        for suffix in (".html", ".ttl", ".jsonld"):
            assert f"id/{slug}{suffix}" in files
    on_disk = {k for k in snapshot(tmp_path / "dist") if k != MARKER}
    assert on_disk == files


def test_no_absolute_path_leaks_into_the_output(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "dist"
    build(project, out)
    for name, data in snapshot(out).items():
        assert str(tmp_path).encode() not in data, name
        assert str(REPO).encode() not in data, name


@pytest.mark.parametrize("existing", ["a file", "foreign folder"])
def test_refuses_to_replace_what_is_not_a_build(project, tmp_path: Path, existing) -> None:
    out = tmp_path / "home"
    if existing == "a file":
        out.write_text("precious")
    else:
        out.mkdir()
        (out / "notes.txt").write_text("precious")
    before = snapshot(tmp_path)
    with pytest.raises(OutputFolderError) as caught:
        build(project, out)
    assert caught.value.exit_code == 2
    assert str(out) in str(caught.value)
    assert snapshot(tmp_path) == before


def test_an_empty_folder_is_accepted(project: Project, tmp_path: Path) -> None:
    out = tmp_path / "empty"
    out.mkdir()
    build(project, out)
    assert (out / "void.ttl").is_file()


def test_invalid_dataset_exits_1_and_leaves_the_output_as_it_was(tmp_path: Path) -> None:
    from llmboom.shacl.validation import validate_project

    broken = copy_project(tmp_path / "project")
    with open(broken.data_dir / "entities.ttl", "a", encoding="utf-8") as handle:
        handle.write(INVALID_ADDITION)
    assert not validate_project(broken).conforms, "precondition: the shapes reject it"
    out = tmp_path / "dist"
    out.mkdir()
    (out / MARKER).write_text("an old build")
    (out / "dataset.ttl").write_text("old content")
    before = snapshot(tmp_path)
    with pytest.raises(InvalidDatasetError) as caught:
        build(broken, out)
    assert caught.value.exit_code == 1
    assert snapshot(tmp_path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist", "project"]


def test_a_failure_midway_leaves_the_old_build(project: Project, tmp_path, monkeypatch) -> None:
    out = tmp_path / "dist"
    build(project, out)
    before = snapshot(out)

    def explode(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("llmboom.publication.builder._write_void", explode)
    with pytest.raises(RuntimeError):
        build(project, out)
    assert snapshot(out) == before
    kept = {out, current_version(out), lock_path(out)}
    assert [p.name for p in tmp_path.iterdir() if p not in kept] == []


def test_missing_metadata_is_an_input_error(tmp_path: Path) -> None:
    copy = copy_project(tmp_path / "project")
    (copy.data_dir / "meta" / "dataset.ttl").unlink()
    with pytest.raises(LlmboomError, match=r"meta/dataset\.ttl"):
        build(copy, tmp_path / "dist")
    assert not (tmp_path / "dist").exists()


def test_dates_come_from_the_metadata(tmp_path: Path) -> None:
    copy = copy_project(tmp_path / "project")
    meta = copy.data_dir / "meta" / "dataset.ttl"
    meta.write_text(
        meta.read_text(encoding="utf-8").replace(
            'dcterms:issued "2026-11-26"', 'dcterms:issued "2031-01-02"'
        ),
        encoding="utf-8",
    )
    build(copy, tmp_path / "dist")
    assert '"2031-01-02"^^xsd:date' in (tmp_path / "dist" / "void.ttl").read_text()
    assert "issued 2031-01-02" in (tmp_path / "dist" / "id" / "bytedance.html").read_text()


def test_a_rebased_build_publishes_the_deployment_iris(tmp_path: Path) -> None:
    base = "http://localhost:8000/id/"
    rebased = Project.locate(REPO, base_iri=base)
    build(rebased, tmp_path / "dist")
    void = (tmp_path / "dist" / "void.ttl").read_text(encoding="utf-8")
    assert f'void:uriSpace "{base}"' in void
    assert "<http://localhost:8000/dataset.ttl>" in void
    page = (tmp_path / "dist" / "id" / "bytedance.ttl").read_text(encoding="utf-8")
    assert "https://w3id.org/llmboom/id/" not in page
    assert base in page


def test_pages_none_links_the_resource_iris_instead(project: Project, tmp_path: Path) -> None:
    summary = build(project, tmp_path / "out", pages="none")
    out = tmp_path / "out"
    assert summary.resource_pages == 0
    assert not (out / "id").exists()
    assert all(not name.startswith("id/") for name in summary.files)
    people = (out / "class-Person.html").read_text()  # the index the landing page links
    assert f'href="{project.base_iri}zhu-wenjia"' in people
    for page in ("index.html", "class-Person.html", "timeline.html"):
        assert 'href="id/' not in (out / page).read_text(), page
    assert f'"href": "{project.base_iri}zhu-wenjia"'.replace(" ", "") in (
        (out / "search-index.js").read_text().replace(" ", "")
    )
    full = build(project, tmp_path / "full", pages="all")
    assert full.resource_pages > 100
    assert (tmp_path / "full" / "dataset.ttl").read_bytes() == (out / "dataset.ttl").read_bytes()


def test_pages_auto_stops_at_the_resource_limit(project: Project, tmp_path, monkeypatch) -> None:
    from llmboom.publication import builder

    assert build(project, tmp_path / "small").resource_pages > 100  # 164 resources: pages
    monkeypatch.setattr(builder, "AUTO_PAGE_LIMIT", 100)
    assert build(project, tmp_path / "large").resource_pages == 0


def test_an_unknown_pages_mode_is_refused(project: Project, tmp_path: Path) -> None:
    with pytest.raises(LlmboomError, match="--pages"):
        build(project, tmp_path / "out", pages="some")
    assert not (tmp_path / "out").exists()
