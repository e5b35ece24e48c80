"""`llmboom import` of Epoch AI's Notable AI Models table (../shared/data/epoch/), end to
end through the CLI on a throw-away copy of the project: one model per distinct model of the
China rows (counted with the csv module, independently of the importer), re-import is a
no-op, a later copy's changes are exactly what it adds, and a malformed copy changes
nothing."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pyoxigraph
import pytest

from llmboom.namespaces import LBO, LBR, PROV, RDF, RDFS
from tests.conftest import shared_or_skip
from tests.submission_support import copy_project, data_hashes, submit_cli

pytestmark = pytest.mark.slow  # applies the import to a copy of the project (seconds)

COPY_DATE = "2026-05-02"
COUNTRY, MODEL, PARAMETERS = "Country (of organization)", "Model", "Parameters"


@pytest.fixture(scope="module")
def table() -> Path:
    return shared_or_skip("data", "epoch", "notable_ai_models.csv")


def china_rows(path: Path) -> list[dict[str, str]]:
    with path.open(newline="", encoding="utf-8") as stream:
        return [row for row in csv.DictReader(stream) if "China" in row[COUNTRY]]


def submission_quads(folder: Path) -> list[pyoxigraph.Quad]:
    return list(
        pyoxigraph.parse(path=str(folder / "submission.ttl"), format=pyoxigraph.RdfFormat.TURTLE)
    )


def applied_folder(result, root: Path) -> Path:
    """The folder `--apply` wrote (shown relative to the project, or absolute)."""
    match = re.search(r"^Applied: (.+)$", result.stderr, re.M)
    assert match, result.stderr
    return root / match.group(1)  # an absolute path stays absolute


def project_before_import(target: Path) -> Path:
    """A copy of the project without the applied Epoch AI import (data/ ships it)."""
    import shutil

    root = copy_project(target)
    for folder in (root / "data" / "submissions").glob("*/"):
        if "epoch-notable-ai-models-" in (folder / "submission.ttl").read_text(encoding="utf-8"):
            shutil.rmtree(folder)
    return root


@pytest.fixture(scope="module")
def imported(table: Path, tmp_path_factory):
    """A fresh copy of the project with the shared copy applied: (root, submission quads)."""
    root = project_before_import(tmp_path_factory.mktemp("import") / "project")
    done = submit_cli(
        root, "import", "epoch-notable-models", str(table), "--retrieved", COPY_DATE, "--apply"
    )
    assert done.exit_code == 0, done.output
    return root, submission_quads(applied_folder(done, root))


def test_one_model_per_distinct_model_of_the_china_rows(table: Path, imported) -> None:
    rows = china_rows(table)
    names = {row[MODEL].strip() for row in rows}
    assert len(rows) == 166 and len(names) == 166  # the shared copy, as its README says
    _, quads = imported
    typed = {
        q.subject.value: q.object.value
        for q in quads
        if q.predicate.value == RDF + "type"
        and q.object.value in (LBO + "AIModel", LBO + "LanguageModel")
    }
    labels = {q.subject.value: q.object.value for q in quads if q.predicate.value == RDFS + "label"}
    assert len(typed) == len(names)
    assert {labels[iri] for iri in typed} == names
    language = {row[MODEL].strip() for row in rows if "Language" in row["Domain"].split(",")}
    assert {labels[i] for i, cls in typed.items() if cls == LBO + "LanguageModel"} == language
    # every model is announced by its organizations, dated, on a record citing the copy
    announced = {q.object.value for q in quads if q.predicate.value == LBO + "announcedModel"}
    assert announced == set(typed)
    source = LBR + f"epoch-notable-ai-models-{COPY_DATE}"
    records = {q.subject.value for q in quads if q.predicate.value == PROV + "wasDerivedFrom"}
    cited = {q.subject.value for q in quads if q.object.value == source}
    assert records and records <= cited
    # the existing organizations are matched, not minted again
    assert LBR + "baidu" in {q.subject.value for q in quads if q.object.value in typed}
    assert LBR + "bytedance" not in labels


def test_the_dataset_validates_after_the_import(imported) -> None:
    root, _ = imported
    done = submit_cli(root, "validate")
    assert done.exit_code == 0, done.output


def test_reimporting_the_same_copy_is_a_no_op(table: Path, imported) -> None:
    root, _ = imported
    before = data_hashes(root)
    done = submit_cli(
        root, "import", "epoch-notable-models", str(table), "--retrieved", COPY_DATE, "--apply"
    )
    assert done.exit_code == 0, done.output
    assert "Nothing to import" in done.stderr
    assert data_hashes(root) == before


def _later_copy(table: Path, target: Path) -> tuple[str, str, str, str]:
    """The shared copy with one China row's parameter count changed and one new China row:
    (changed model, old value, new value, new model)."""
    with table.open(newline="", encoding="utf-8") as stream:
        reader = csv.DictReader(stream)
        fields, rows = reader.fieldnames, list(reader)
    assert fields is not None
    changed = next(r for r in rows if "China" in r[COUNTRY] and r[PARAMETERS])
    old = changed[PARAMETERS]
    changed[PARAMETERS] = "123456789"
    new = dict(changed, **{MODEL: "Llmboom-Test-Model-7B", "Link": "https://example.org/m"})
    rows.append(new)
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    target.write_text(out.getvalue(), encoding="utf-8")
    return changed[MODEL], old, "123456789", new[MODEL]


def test_a_later_copy_adds_exactly_its_changes(table: Path, imported, tmp_path: Path) -> None:
    root, first = imported
    later = tmp_path / "later.csv"
    model_name, old, new, added = _later_copy(table, later)
    labels = {q.object.value: q.subject.value for q in first if q.predicate.value == RDFS + "label"}
    model = labels[model_name]
    done = submit_cli(
        root, "import", "epoch-notable-models", str(later), "--retrieved", "2026-06-01", "--apply"
    )
    assert done.exit_code == 0, done.output
    quads = submission_quads(applied_folder(done, root))
    records = {q.subject.value for q in quads if q.object.value == RDF + "Statement"}
    facts = [
        q
        for q in quads
        if q.subject.value not in records
        and q.predicate.value not in (LBO + "rank", LBO + "rankReason")  # re-ranked records
        and not q.subject.value.startswith(LBR + "epoch-notable-ai-models-")
        and not q.subject.value.startswith(LBR + "submission-")
        and not q.subject.value.startswith(LBR + "contributor-")
    ]
    new_model = next(q.subject.value for q in quads if q.object.value == added)
    # the only fact about an existing model is the new parameter count
    about_old = [q for q in facts if q.subject.value == model]
    assert [(q.predicate.value, q.object.value) for q in about_old] == [
        (LBO + "parameterCount", new)
    ]
    # every other fact is about the new model (or announces it)
    others = [q for q in facts if q.subject.value != model]
    assert others and all(new_model in (q.subject.value, q.object.value) for q in others)
    # the old value's record is deprecated, with its reason; the new one preferred
    by_record: dict[str, dict[str, str]] = {}
    for q in quads:
        by_record.setdefault(q.subject.value, {})[q.predicate.value] = q.object.value
    deprecated = [r for r, p in by_record.items() if p.get(LBO + "rank") == LBO + "DeprecatedRank"]
    assert len(deprecated) == 1
    assert by_record[deprecated[0]][LBO + "rankReason"] == "superseded in a later copy"
    assert by_record[deprecated[0]].keys() == {LBO + "rank", LBO + "rankReason"}
    preferred = [r for r, p in by_record.items() if p.get(LBO + "rank") == LBO + "PreferredRank"]
    assert [by_record[r][RDF + "object"] for r in preferred] == [new]
    from llmboom.project import Project
    from llmboom.rdf.loading import load_data

    old_triple = [
        q
        for q in load_data(Project(root))
        if q.subject.value == model and q.predicate.value == LBO + "parameterCount"
    ]
    assert sorted(float(q.object.value) for q in old_triple) == sorted([float(old), float(new)])
    assert submit_cli(root, "validate").exit_code == 0


@pytest.mark.parametrize(
    ("column", "value", "words"),
    [
        ("Publication date", "2024-13-45", "is not a date"),
        (PARAMETERS, "about 7 billion", "is not a number"),
        (MODEL, None, "unbalanced quote"),
    ],
)
def test_a_malformed_copy_exits_2_with_file_line_and_changes_nothing(
    table: Path, tmp_path: Path, column: str, value: str | None, words: str
) -> None:
    root = copy_project(tmp_path / "project")
    before = data_hashes(root)
    lines = table.read_text(encoding="utf-8").splitlines(keepends=True)
    with table.open(newline="", encoding="utf-8") as stream:
        reader = csv.DictReader(stream)
        fields = reader.fieldnames
        target = next(
            r for r in reader if "China" in r[COUNTRY] and "\n" not in "".join(r.values())
        )
        line = reader.line_num
    assert fields is not None
    out = io.StringIO()
    if value is None:  # an opening quote that is never closed
        lines[line - 1] = '"' + lines[line - 1]
        out.write("".join(lines))
    else:
        target[column] = value
        row = io.StringIO()
        csv.DictWriter(row, fieldnames=fields, lineterminator="\n").writerow(target)
        lines[line - 1] = row.getvalue()
        out.write("".join(lines))
    bad = tmp_path / "bad.csv"
    bad.write_text(out.getvalue(), encoding="utf-8")
    done = submit_cli(
        root, "import", "epoch-notable-models", str(bad), "--apply", "-o", str(tmp_path / "out.ttl")
    )
    assert done.exit_code == 2, done.output
    assert re.fullmatch(rf"Error: {re.escape(str(bad))}:{line}:\d+: .*{words}.*\n", done.stderr)
    assert data_hashes(root) == before
    assert not (tmp_path / "out.ttl").exists()


def test_a_models_page_links_its_primary_link(table: Path, imported) -> None:
    from llmboom.project import Project
    from llmboom.publication.graph_index import GraphIndex
    from llmboom.publication.resource_pages import render_resource_page
    from llmboom.rdf.loading import load_data, load_ontology
    from tests.test_publication_pages import parse_strict

    root, quads = imported
    row = next(
        r
        for r in china_rows(table)
        if r["Link"].startswith("https://")
        and " " not in r["Link"].strip()
        and "\n" not in r["Link"].strip()
    )
    labels = {q.object.value: q.subject.value for q in quads if q.predicate.value == RDFS + "label"}
    model = labels[row[MODEL].strip()]
    project = Project(root)
    index = GraphIndex(load_data(project), load_ontology(project))
    tree = parse_strict(render_resource_page(index, model, jsonld="{}"))
    hrefs = {a.get("href") for a in tree.iter("a")}
    assert row["Link"].strip() in hrefs
    assert "https://epoch.ai/data/notable-ai-models" in hrefs  # the citation's link
