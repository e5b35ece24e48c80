"""The pieces of `llmboom import`: the CSV reader's positions, cell values, name matching,
and mapping files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from llmboom.importing.cell_values import cell_values, split_cell
from llmboom.importing.csv_table import Cell, Dialect, TableError, read_table
from llmboom.importing.entities import EntityIndex, name_keys, slugify
from llmboom.importing.mapping import Column, MappingError, load_mapping, mapping_path
from tests.conftest import REPO

EPOCH = REPO / "mappings" / "epoch-notable-models.json"


def _table(tmp_path: Path, text: str) -> list[list[Cell]]:
    path = tmp_path / "t.csv"
    path.write_text(text, encoding="utf-8")
    header, rows = read_table(path, Dialect())
    return [header, *rows]


def test_cells_know_their_line_and_column(tmp_path: Path) -> None:
    rows = _table(tmp_path, 'A,B,C\n1,"two\nlines",3\nx,"say ""hi""",\n')
    assert [c.text for c in rows[1]] == ["1", "two\nlines", "3"]
    assert [(c.line, c.column) for c in rows[1]] == [(2, 1), (2, 3), (3, 8)]
    assert [c.text for c in rows[2]] == ["x", 'say "hi"', ""]
    assert (rows[2][1].line, rows[2][1].column) == (4, 3)


@pytest.mark.parametrize(
    ("text", "where", "words"),
    [
        ('A,B\n1,"open\n2,3\n', "2:3", "unbalanced quote"),
        ('A,B\n1,"x"y\n', "2:3", "unbalanced quote"),
        ('A,B\n1,x"y\n', "2:4", "stray quote"),
        ("A,B\n1,2,3\n", "2:1", "3 cells, the header 2"),
    ],
)
def test_malformed_csv_names_file_line_and_column(
    tmp_path: Path, text: str, where: str, words: str
) -> None:
    with pytest.raises(TableError) as caught:
        _table(tmp_path, text)
    assert str(caught.value).startswith(f"{tmp_path / 't.csv'}:{where}: ")
    assert words in str(caught.value)


def _column(**fields) -> Column:
    return Column(title="C", name="c", **fields)


def test_cell_values_by_datatype() -> None:
    def values(text: str, **fields) -> list[str]:
        return cell_values(Cell(text, 5, 7), _column(**fields), "t.csv")

    assert values("122000000000.0", datatype="decimal") == ["122000000000"]
    assert values("2.50", datatype="decimal") == ["2.5"]
    # doubles as the store writes them (it gives any other form back rewritten)
    assert values("6.84e+24", datatype="double") == ["6840000000000000000000000"]
    assert values("76380000000000.0", datatype="double") == ["76380000000000"]
    assert values("1.5e-7", datatype="double") == ["0.00000015"]
    assert values("2023-03-16", datatype="date") == ["2023-03-16"]
    assert values("Language,Vision, Language", separator=",") == ["Language", "Vision"]
    assert values("", datatype="decimal") == []
    assert values("Unspecified unreleased", nulls=("", "Unspecified unreleased")) == []
    first = values(
        "see https://a.example/x, https://b.example/", datatype="anyURI", take_first=True
    )
    assert first == ["https://a.example/x"]
    bare = values("arxiv.org/abs/2501.14818", datatype="anyURI", take_first=True)
    assert bare == ["https://arxiv.org/abs/2501.14818"]
    for text, kind in [("12B", "decimal"), ("2023-02-30", "date"), ("2023/03/01", "date")]:
        with pytest.raises(TableError, match=r"^t\.csv:5:7: 'C': "):
            values(text, datatype=kind)
    with pytest.raises(TableError, match="required"):
        values(" ", required=True)


def test_a_separator_inside_parentheses_does_not_split() -> None:
    text = "BookCorpus (BooksCorpus, Toronto Book Corpus),Wikipedia"
    assert split_cell(text, ",") == ["BookCorpus (BooksCorpus, Toronto Book Corpus)", "Wikipedia"]


def test_slugs_and_name_keys() -> None:
    assert slugify("Qwen3.5 397B-A17B") == "qwen3-5-397b-a17b"
    assert slugify("Xi\u2019an Jiaotong University") == "xian-jiaotong-university"
    assert slugify("字节跳动") == ""
    assert "meituan" in name_keys("Meituan Inc", loose=True)
    assert {"z.ai", "zhipu ai"} <= set(name_keys("Z.ai (Zhipu AI)", loose=True))
    assert "baai" in name_keys("Beijing Academy of Artificial Intelligence / BAAI", loose=True)
    assert name_keys("Meituan Inc", loose=False) == ["meituan inc"]


def test_names_match_existing_resources_else_are_minted(project) -> None:
    from llmboom.namespaces import LBO, LBR
    from llmboom.rdf.loading import load_data, load_ontology

    index = EntityIndex.of(load_data(project), load_ontology(project), LBR)
    org = LBO + "Organization"
    assert index.resolve("Meituan Inc", org, loose=True).iri == LBR + "meituan"
    assert index.resolve("ByteDance", org, loose=True).iri == LBR + "bytedance"
    minted = index.resolve("Example Robotics Lab Inc.", org, loose=True)
    assert (minted.iri, minted.minted) == (LBR + "example-robotics-lab-inc", True)
    again = index.resolve("Example Robotics Lab", org, loose=True)  # found by its name now
    assert (again.iri, again.minted) == (minted.iri, False)
    # a slug in use by a resource of another class is not reused
    model = index.resolve("Baidu", LBO + "AIModel", loose=False)
    assert model.minted and model.iri.startswith(LBR + "baidu-")


def test_a_shipped_mapping_is_found_by_name() -> None:
    assert mapping_path("epoch-notable-models", [REPO / "mappings"]) == EPOCH
    with pytest.raises(MappingError, match="no shipped mapping of that name"):
        mapping_path("no-such-mapping", [REPO / "mappings"])
    mapping = load_mapping(EPOCH)
    assert mapping.source.url == "https://epoch.ai/data/notable-ai-models"
    assert {c.title for c in mapping.columns if c.property} >= {"Parameters", "Link"}
    assert not {"Abstract", "Authors", "Parameters notes"} & {c.title for c in mapping.columns}


def test_an_inconsistent_mapping_is_refused(tmp_path: Path) -> None:
    data = json.loads(EPOCH.read_text(encoding="utf-8"))
    data["tableSchema"]["columns"][5]["aboutUrl"] = "{nothing}"
    broken = tmp_path / "broken.json"
    broken.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(MappingError, match="not an entity column"):
        load_mapping(broken)
