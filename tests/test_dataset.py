"""`Dataset`, the one owner of the project's data: what it reads, its snapshot, its stores,
and a walk over the source tree showing no other module calls the low-level loaders."""

from __future__ import annotations

import ast
import datetime
from pathlib import Path

import pyoxigraph
import pytest

from llmboom.dataset import Dataset
from llmboom.namespaces import LBO, LBR, RDF
from llmboom.project import Project
from llmboom.rdf.loading import load_data, load_ontology, load_shapes

SOURCE = Path(__file__).resolve().parent.parent / "src" / "llmboom"

#: The functions that read the project's files or build its stores directly.
LOW_LEVEL = {
    "load_data",
    "load_ontology",
    "load_shapes",
    "load_data_into",
    "load_ontology_into",
    "source_text_quads",
    "open_store",
    "in_memory",
    "of_quads",
    "on_disk",
    "entailed_store",
    "entail_store",
}
#: Where they may be called: the `Dataset`, the file parsers, entailment and the stores.
OWNERS = ("llmboom.dataset", "llmboom.rdf.loading", "llmboom.rdf.entailment", "llmboom.store")


def _module(path: Path) -> str:
    return ".".join(("llmboom", *path.relative_to(SOURCE).with_suffix("").parts))


def _callers(path: Path) -> list[str]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Call):
            function = node.func
            name = function.attr if isinstance(function, ast.Attribute) else None
            if isinstance(function, ast.Name):
                name = function.id
            if name in LOW_LEVEL:
                found.append(f"{path.relative_to(SOURCE)}:{node.lineno}: {name}")
    return found


def test_only_the_dataset_and_the_stores_call_the_low_level_loaders() -> None:
    modules = sorted(SOURCE.rglob("*.py"))
    assert len(modules) > 50
    offenders = [
        caller
        for path in modules
        if not any(_module(path) == o or _module(path).startswith(o + ".") for o in OWNERS)
        for caller in _callers(path)
    ]
    assert offenders == []
    assert _callers(SOURCE / "dataset.py")  # the walk does see calls


def _without_blank_nodes(quads) -> set[str]:
    """The quads with no blank node (a blank node's label differs between two parses)."""
    return {str(q) for q in quads if not any(isinstance(t, pyoxigraph.BlankNode) for t in q.triple)}


def test_reads_what_the_files_hold(project: Project) -> None:
    dataset = Dataset(project)
    assert sorted(map(str, dataset.quads())) == sorted(map(str, load_data(project)))
    assert dataset.ontology() == load_ontology(project)
    assert _without_blank_nodes(dataset.shapes()) == _without_blank_nodes(load_shapes(project))
    assert len(dataset.shapes()) == len(load_shapes(project))
    assert dataset.snapshot is None
    assert {q.name for q in dataset.named_queries()} >= {"organization-chart", "timeline"}
    assert dataset.named_query("timeline").name == "timeline"


def test_quads_are_a_new_list_each_time(project: Project) -> None:
    dataset = Dataset(project)
    first = dataset.quads()
    first.clear()
    assert dataset.quads()


def test_stream_quads_gives_what_quads_gives_in_the_same_order(project: Project) -> None:
    import types

    streamed = Dataset(project).stream_quads()
    assert isinstance(streamed, types.GeneratorType)  # parsed as asked for, not a list
    assert list(map(str, streamed)) == list(map(str, load_data(project)))
    rebased = Dataset(Project(project.root, "https://example.org/kg/"))
    assert list(rebased.stream_quads()) == rebased.quads()
    held = [q for q in load_data(project) if q.subject.value == LBR + "bytedance"]
    assert list(Dataset.holding(project, held).stream_quads()) == held
    with pytest.raises(ValueError, match="snapshot"):
        Dataset(project, as_of=datetime.date(2020, 1, 1)).stream_quads()


def test_as_of_gives_the_snapshot_and_says_what_it_rests_on(project: Project) -> None:
    from llmboom.history.snapshot import snapshot_quads

    day = datetime.date(2016, 6, 1)
    dated = Dataset(project, as_of=day)
    expected, snapshot = snapshot_quads(load_data(project), load_ontology(project), day)
    assert sorted(map(str, dated.quads())) == sorted(map(str, expected))
    assert dated.snapshot is not None and dated.snapshot.note() == snapshot.note()
    assert len(dated.quads()) < len(Dataset(project).quads())
    # its store holds the snapshot, and so does the entailed store
    store = dated.store()
    assert len(store) == len(set(q.triple for q in expected))
    whole = Dataset(project)
    assert whole.at(day).quads() == dated.quads()
    assert whole.at(None) is whole


def test_the_entailed_store_adds_what_rdfs_entails(project: Project) -> None:
    dataset = Dataset(project)
    platform = dataset.query(
        "SELECT ?x WHERE { ?x a lbo:Organization }", entailment=False
    ).as_dicts()
    entailed = dataset.query("SELECT ?x WHERE { ?x a lbo:Organization }").as_dicts()
    assert len(entailed) > len(platform)
    # the dataset's own quads stay as the files hold them
    assert sorted(map(str, dataset.quads())) == sorted(map(str, load_data(project)))


def test_contains_a_triple_of_the_default_graph(project: Project) -> None:
    dataset = Dataset(project)
    bytedance = pyoxigraph.NamedNode(LBR + "bytedance")
    typed = pyoxigraph.NamedNode(RDF + "type")
    organization = pyoxigraph.NamedNode(LBO + "Organization")
    assert dataset.contains(pyoxigraph.Quad(bytedance, typed, organization))
    assert not dataset.contains(
        pyoxigraph.Quad(bytedance, typed, pyoxigraph.NamedNode(LBO + "LanguageModel"))
    )
    # an ontology triple is in the ontology's graph, not the dataset's
    some_class = next(q for q in load_ontology(project) if q.predicate == typed)
    assert not dataset.contains(some_class)


def test_a_rebased_project_has_its_prefix(project: Project, tmp_path: Path) -> None:
    rebased = Project(project.root, "https://example.org/kg/")
    dataset = Dataset(rebased)
    assert dataset.prefixes["lbr"] == "https://example.org/kg/"
    assert Dataset(project).prefixes["lbr"] == LBR
    assert all(not q.subject.value.startswith(LBR) for q in dataset.quads())


def test_holding_gives_a_dataset_of_exactly_those_quads(project: Project) -> None:
    quads = [q for q in load_data(project) if q.subject.value == LBR + "bytedance"]
    dataset = Dataset.holding(project, quads)
    assert dataset.quads() == quads
    assert len(dataset.store()) == len(quads)
    assert Dataset.of(dataset) is dataset
    assert Dataset.of(project).project is project


def test_a_persistent_store_is_read_through_the_dataset(project: Project, tmp_path: Path) -> None:
    where = tmp_path / "store"
    dataset = Dataset(project, store_dir=str(where))
    # the store keeps each triple once (a triple may be in two data files)
    assert set(map(str, dataset.quads())) == set(map(str, load_data(project)))
    assert (where / ".llmboom-store").exists()
    answer = dataset.query("SELECT (COUNT(*) AS ?n) WHERE { ?x a lbo:Organization }")
    assert int(answer.as_dicts()[0]["n"].value) > 5


@pytest.mark.parametrize("bad", ["", "   "])
def test_an_empty_store_folder_is_refused(project: Project, bad: str) -> None:
    from llmboom.errors import LlmboomError

    with pytest.raises(LlmboomError, match="empty"):
        Dataset(project, store_dir=bad).store()
