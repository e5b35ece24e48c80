"""Answer provenance: the statement records behind each row of a SELECT answer."""

from __future__ import annotations

import pytest

from llmboom.namespaces import LBO, LBR, ORG, PREFIXES
from llmboom.sparql.answer_provenance import RowProvenance, run_with_provenance

ZHU_TO_CHEW = (f"<{LBR}zhu-wenjia>", f"<{LBO}reportsTo>", f"<{LBR}shouzi-chew>")
QUOTE_ZHU_TO_CHEW = "needs to report his work to TikTok CEO Shouzi Chew"


@pytest.fixture(scope="module")
def entailed(project, article_quads):
    """The article's facts, entailed: the expected rows are read off the article."""
    from llmboom.dataset import Dataset

    return Dataset.holding(project, list(article_quads)).entailed()


def _run(store, text: str) -> dict[str, RowProvenance]:
    """Each row's provenance, keyed by its values (local names, joined by spaces)."""
    result, rows = run_with_provenance(store, text, prefixes=PREFIXES)
    assert len(rows) == len(result.rows)
    keys = [
        " ".join(t.value.rsplit("/", 1)[-1] for t in row if t is not None) for row in result.rows
    ]
    return dict(zip(keys, rows, strict=True))


def _triples(row: RowProvenance) -> set[tuple[str, str, str]]:
    return {support.triple for support in row.supports}


def test_the_boss_of_zhu_wenjia_rests_on_the_article_sentence(entailed) -> None:
    rows = _run(entailed, "SELECT ?boss WHERE { lbr:zhu-wenjia lbo:reportsTo ?boss }")
    row = rows["shouzi-chew"]
    assert _triples(row) == {ZHU_TO_CHEW}
    (record,) = row.records
    assert QUOTE_ZHU_TO_CHEW in record.quote
    assert record.attribution == LBR + "attribution-article"
    assert record.sources == (LBR + "article",)
    assert record.anonymous is False
    assert row.only_anonymous is False


def test_an_entailed_triple_is_traced_to_its_asserted_sub_property(entailed) -> None:
    rows = _run(entailed, "SELECT ?boss WHERE { lbr:zhu-wenjia org:reportsTo ?boss }")
    (support,) = rows["shouzi-chew"].supports
    assert support.triple[1] == f"<{ORG}reportsTo>"
    assert support.via == ZHU_TO_CHEW
    assert QUOTE_ZHU_TO_CHEW in support.records[0].quote


def test_a_path_is_traced_to_the_edges_that_connect_its_ends(entailed) -> None:
    rows = _run(entailed, "SELECT ?member WHERE { ?member lbo:reportsTo+ lbr:shouzi-chew }")
    head = f"<{LBR}head-of-bytedance-language-model-team>"
    assert _triples(rows["head-of-bytedance-language-model-team"]) == {
        (head, f"<{LBO}reportsTo>", f"<{LBR}zhu-wenjia>"),
        ZHU_TO_CHEW,
    }
    assert _triples(rows["zhu-wenjia"]) == {ZHU_TO_CHEW}
    assert all(support.records for row in rows.values() for support in row.supports)


def test_an_inverse_sequence_path_is_traced_through_its_middle_node(entailed) -> None:
    rows = _run(
        entailed,
        "SELECT ?member WHERE { lbr:shouzi-chew ^lbo:reportsTo/^lbo:reportsTo ?member }",
    )
    assert rows.keys() == {
        "head-of-bytedance-language-model-team",
        "head-of-bytedance-image-model-team",
    }
    image = rows["head-of-bytedance-image-model-team"]
    assert ZHU_TO_CHEW in _triples(image)
    assert len(_triples(image)) == 2


def test_an_aggregate_rests_on_the_union_over_its_group(entailed) -> None:
    rows = _run(
        entailed,
        "SELECT ?boss (COUNT(?member) AS ?n) WHERE { ?member lbo:reportsTo ?boss } GROUP BY ?boss",
    )
    zhu = rows["zhu-wenjia 2"]
    assert {support.triple[0] for support in zhu.supports} == {
        f"<{LBR}head-of-bytedance-language-model-team>",
        f"<{LBR}head-of-bytedance-image-model-team>",
    }
    assert _triples(rows["shouzi-chew 1"]) == {ZHU_TO_CHEW}


def test_an_aggregate_over_everything_says_so(entailed) -> None:
    rows = _run(entailed, "SELECT (COUNT(*) AS ?n) WHERE { ?member lbo:reportsTo ?boss }")
    (row,) = rows.values()
    assert len(row.supports) == 3
    assert any("union over every solution" in note for note in row.notes)


def test_a_filter_on_a_hidden_variable_is_applied(entailed) -> None:
    rows = _run(
        entailed,
        "SELECT ?member WHERE { ?member lbo:reportsTo ?boss FILTER(?boss = lbr:zhu-wenjia) }",
    )
    assert all(
        support.triple[2] == f"<{LBR}zhu-wenjia>"
        for row in rows.values()
        for support in row.supports
    )
    assert len(rows) == 2


def test_optional_and_union_branches_count_only_where_they_matched(entailed) -> None:
    rows = _run(
        entailed,
        "SELECT ?x WHERE { { ?x lbo:reportsTo lbr:shouzi-chew } UNION { ?x lbo:ledBy ?unit } "
        "OPTIONAL { ?x lbo:approximateSize ?size } }",
    )
    assert {s.triple[1] for s in rows["zhu-wenjia"].supports} == {f"<{LBO}reportsTo>"}
    team = {s.triple[1] for s in rows["bytedance-language-model-team"].supports}
    assert team == {f"<{LBO}ledBy>", f"<{LBO}approximateSize>"}
    assert {s.triple[1] for s in rows["bytedance-image-model-team"].supports} == {f"<{LBO}ledBy>"}


def test_an_answer_on_anonymous_sources_only_is_marked(entailed) -> None:
    rows = _run(
        entailed, "SELECT ?unit WHERE { lbr:bytedance-language-model-team lbo:ledBy ?unit }"
    )
    row = rows["bytedance-search-department"]
    assert row.records and all(record.anonymous for record in row.records)
    assert row.only_anonymous
    assert row.as_dict()["onlyAnonymous"] is True


def test_types_and_english_labels_say_why_they_have_no_records(entailed) -> None:
    rows = _run(entailed, "SELECT ?l WHERE { lbr:baidu a lbo:Organization ; rdfs:label ?l }")
    notes = {support.note for row in rows.values() for support in row.supports}
    assert any(note and "types carry no statement records" in note for note in notes)
    assert any(note and "English label" in note for note in notes)


def test_what_it_cannot_trace_is_said(entailed) -> None:
    rows = _run(
        entailed,
        "SELECT ?c WHERE { GRAPH <https://w3id.org/llmboom/ontology> { ?c a owl:Class } } LIMIT 1",
    )
    (row,) = rows.values()
    assert row.supports == ()
    assert any("GRAPH" in note for note in row.notes)


def test_a_query_that_is_not_a_select_is_refused(entailed) -> None:
    from llmboom.errors import QueryError

    with pytest.raises(QueryError, match="SELECT"):
        run_with_provenance(entailed, "ASK { ?s ?p ?o }", prefixes=PREFIXES)


def test_where_the_pattern_cannot_be_evaluated_again_the_rows_own_values_are_traced(
    entailed,
) -> None:
    rows = _run(
        entailed,
        "SELECT ?boss WHERE { lbr:zhu-wenjia lbo:reportsTo ?boss "
        "FILTER EXISTS { GRAPH <https://w3id.org/llmboom/ontology> { lbo:Person a owl:Class } } }",
    )
    row = rows["shouzi-chew"]
    assert _triples(row) == {ZHU_TO_CHEW}
    assert any("only the triple patterns that the row's own values bind" in n for n in row.notes)


def test_relative_iris_resolve_against_the_resource_base_as_the_engine_does(entailed) -> None:
    rows = _run(entailed, "SELECT ?boss WHERE { <zhu-wenjia> lbo:reportsTo ?boss }")
    assert _triples(rows["shouzi-chew"]) == {ZHU_TO_CHEW}
