"""Incremental validation (focus nodes and their neighbourhood) gives the same results as
full validation of the merged dataset, on generated submissions against the real dataset.

hypothesis combines pieces that reach each non-monotonic part of the shapes: reporting edges
(cycles closing through existing people, self-reports, teams as targets), second values of
single-valued properties of existing nodes, statement records of unasserted triples, facts
without records, new entities with or without an English label, extra types on existing
nodes, career links between positions, quotes in and out of their source.
"""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from llmboom.dataset import Dataset
from llmboom.project import Project
from llmboom.rdf.formats import by_name
from llmboom.submission.check import check_submission
from llmboom.submission.inputs import SubmissionInput
from tests.submission_support import PREFIXES, fact

#: Distinct generated submissions compared (issue 6 asks for at least 200).
CASES = 200
#: Examples drawn; some draws repeat an earlier submission (compared once, from a cache).
EXAMPLES = 260

PEOPLE = [
    "zhu-wenjia",
    "shouzi-chew",
    "head-of-bytedance-language-model-team",
    "head-of-bytedance-image-model-team",
    "wang-huiwen",
    "li-zhifei",
    "wang-xiaochuan",
]
TEAMS = [
    "bytedance-language-model-team",
    "bytedance-image-model-team",
    "bytedance-applied-machine-learning-teams",
    "bytedance-intelligent-creation-team",
]
POSITIONS = [
    "zhu-wenjia-toutiao-ceo",
    "zhu-wenjia-toutiao",
    "zhu-wenjia-baidu-chief-architect",
    "zhu-wenjia-tiktok-technical-director",
    "zhu-wenjia-tiktok-head-of-product-technology",
    "wang-huiwen-meituan-co-founder",
]
MODELS = ["bytedance-large-language-model", "baidu-large-language-model", "chatgpt"]
ORGANIZATIONS = ["bytedance", "baidu", "mobvoi", "openai", "tiktok"]
NEW = ["new-a", "new-b"]
ANY = PEOPLE + TEAMS + POSITIONS + MODELS + ORGANIZATIONS + NEW + ["article"]
QUOTES = ["ByteDance", "Zhu Wenjia", "a quote found in no source"]
PROPERTIES = ["reportsTo", "holder", "announcedModel", "ownedBy", "headOf", "partOf", "founder"]
SINGLE_VALUED = [  # (subjects, property, values)
    (POSITIONS, "holder", [f"lbr:{p}" for p in PEOPLE]),
    (POSITIONS, "startDate", ['"2010"^^xsd:gYear', '"2022-05"^^xsd:gYearMonth']),
    (POSITIONS, "endDate", ['"2001"^^xsd:gYear', '"2024"^^xsd:gYear']),
    (MODELS, "plannedLaunch", ['"2023-09"^^xsd:gYearMonth', '"next year"@en']),
    (TEAMS, "approximateSize", ["12", "-3", '"about ten"@en']),
    (["attribution-article"], "anonymous", ["true", "false"]),
    (["article"], "publicationDate", ['"2023-02-24"^^xsd:date']),
]
CLASSES = ["Person", "Team", "Organization", "LanguageModel", "Position", "Source"]


def _slug(draw) -> str:
    return "s-" + str(draw(st.integers(0, 10**9)))


@st.composite
def reporting_edge(draw) -> str:
    subject = draw(st.sampled_from(PEOPLE + TEAMS + NEW))
    target = draw(st.sampled_from(PEOPLE + TEAMS[:1] + NEW))
    return _with_record(draw, f"lbr:{subject}", "lbo:reportsTo", f"lbr:{target}")


@st.composite
def second_value(draw) -> str:
    subjects, prop, values = draw(st.sampled_from(SINGLE_VALUED))
    subject, value = draw(st.sampled_from(subjects)), draw(st.sampled_from(values))
    return _with_record(draw, f"lbr:{subject}", f"lbo:{prop}", value)


@st.composite
def dangling_record(draw) -> str:
    subject, target = draw(st.sampled_from(ANY)), draw(st.sampled_from(ANY))
    prop = draw(st.sampled_from(PROPERTIES))
    return fact(f"lbr:{subject}", f"lbo:{prop}", f"lbr:{target}", _slug(draw)).split(" .\n", 1)[1]


@st.composite
def any_fact(draw) -> str:
    subject, target = draw(st.sampled_from(ANY)), draw(st.sampled_from(ANY))
    prop = draw(st.sampled_from(PROPERTIES))
    return _with_record(draw, f"lbr:{subject}", f"lbo:{prop}", f"lbr:{target}")


@st.composite
def new_entity(draw) -> str:
    node, cls = draw(st.sampled_from(NEW)), draw(st.sampled_from(CLASSES))
    label = draw(st.sampled_from(['"New"@en', '"新"@zh', None]))
    return f"lbr:{node} a lbo:{cls}" + (f" ; rdfs:label {label}" if label else "") + " .\n"


@st.composite
def extra_type(draw) -> str:
    node, cls = draw(st.sampled_from(ANY)), draw(st.sampled_from([*CLASSES, "Attribution"]))
    return f"lbr:{node} a lbo:{cls} .\n"


@st.composite
def career_link(draw) -> str:
    later, earlier = draw(st.sampled_from(POSITIONS)), draw(st.sampled_from(POSITIONS))
    return _with_record(draw, f"lbr:{later}", "lbo:previousPosition", f"lbr:{earlier}")


def _with_record(draw, subject: str, predicate: str, obj: str) -> str:
    if not draw(st.booleans()) and draw(st.booleans()):  # a quarter: no statement record
        return f"{subject} {predicate} {obj} .\n"
    return fact(subject, predicate, obj, _slug(draw), draw(st.sampled_from(QUOTES)))


PIECES = st.one_of(
    reporting_edge(), second_value(), dangling_record(), any_fact(), new_entity(),
    extra_type(), career_link(),
)  # fmt: skip


@pytest.fixture(scope="module")
def dataset(project: Project) -> Dataset:
    return Dataset(project)


def _key(result) -> tuple:
    return (
        result.focus_node, result.path, result.value, result.constraint_component,
        result.source_shape, result.source_constraint, result.severity,
    )  # fmt: skip


@settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=True,  # the same cases on every run and in CI
    database=None,
    phases=[Phase.generate],  # a failure prints its case; shrinking would take minutes
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@pytest.mark.slow
@given(pieces=st.lists(PIECES, min_size=1, max_size=3))
def test_incremental_verdict_equals_full_validation(
    project: Project, dataset: Dataset, pieces: list[str]
) -> None:
    body = (PREFIXES + "".join(pieces)).encode()
    if body in _compared:
        return
    item = SubmissionInput.from_bytes(body, by_name("turtle"), "generated.ttl")
    incremental = check_submission(project, [item], dataset=dataset)
    full = check_submission(project, [item], dataset=dataset, incremental=False)
    assert incremental.outcome == full.outcome, body.decode()
    _compared[body] = full.outcome.value
    if full.validation is None:  # every triple already in the dataset: nothing to validate
        assert incremental.validation is None
        return
    assert incremental.validation is not None
    assert {_key(r) for r in incremental.validation.results} == {
        _key(r) for r in full.validation.results
    }, body.decode()


_compared: dict[bytes, str] = {}


def test_enough_distinct_cases_with_both_verdicts() -> None:
    """Runs after the property test (file order): enough distinct submissions were compared,
    and both verdicts occurred among them."""
    if not _compared:
        pytest.skip("the property test did not run in this session")
    assert len(_compared) >= CASES
    assert set(_compared.values()) == {"accepted", "refused"}
