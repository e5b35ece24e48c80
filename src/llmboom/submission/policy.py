"""The rules a merge-check cannot see (SPEC §7), checked on a submission before SHACL.

A submission states facts about resources; it never changes the vocabulary. Each rule has its
own message, and every offending node or value is reported once:
- no blank nodes (published data gives every node a stable IRI);
- every subject is an `lbr:` resource with a valid slug (and so is every `lbr:` object);
- no triple about an ontology term (`lbo:`, the ontology and shapes IRIs, or a standard
  vocabulary) and no schema statements: no `owl:`, `sh:` or `rdfs:` predicate other than
  `rdfs:label` and `owl:sameAs` to an IRI outside `lbr:` (a link out), no
  `owl:`/`rdfs:`/`sh:` class as a type (so no `owl:imports`, no class,
  property or shape definitions);
- no submission records (`lbo:Submission` and its properties): `--apply` writes those;
- literals free of control characters (other than tab, line feed, carriage return) and of
  unpaired surrogates.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Final

from llmboom.namespaces import LBO, ONTOLOGY_IRI, OWL, RDF, RDF_TYPE, RDFS, SH, XSD
from llmboom.rdf.terms import term_value
from llmboom.submission.provenance import SUBMISSION_TERMS
from llmboom.submission.report import Problem

if TYPE_CHECKING:
    import pyoxigraph

_SLUG: Final = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
_SCHEMA_NAMESPACES: Final = (OWL, RDFS, SH)
_VOCABULARY_NAMESPACES: Final = (
    ONTOLOGY_IRI,
    OWL,
    RDFS,
    RDF,
    SH,
    XSD,
    "https://w3id.org/llmboom/shapes",
)
#: rdfs:label names a resource; owl:sameAs links it to the same thing elsewhere (a fact with
#: a statement record like any other, such as a Wikidata item), never to another lbr: resource.
_SAME_AS: Final = OWL + "sameAs"
_ALLOWED_SCHEMA_PREDICATES: Final = frozenset({RDFS + "label", _SAME_AS})
#: C0 controls but tab, LF and CR; DEL; C1 controls; lone surrogates.
_BAD_CHARACTERS: Final = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff]")


def check_policy(quads: Iterable[pyoxigraph.Quad], base_iri: str, source: str) -> list[Problem]:
    """Every policy problem of the submission's triples (empty when there is none)."""
    import pyoxigraph

    problems: dict[tuple[str, str], Problem] = {}

    def report(rule: str, key: str, message: str, **fields) -> None:
        problems.setdefault((rule, key), Problem("policy", message, source, **fields))

    for quad in quads:
        subject, predicate, obj = quad.subject, quad.predicate.value, quad.object
        for term in (subject, obj):
            if isinstance(term, pyoxigraph.BlankNode):
                report(
                    "blank",
                    str(term),
                    "blank node refused: published data has none; give this node an lbr: IRI",
                    node=str(term),
                )
        if isinstance(subject, pyoxigraph.NamedNode):
            _check_subject(subject.value, base_iri, report)
        if isinstance(obj, pyoxigraph.NamedNode) and obj.value.startswith(base_iri):
            _check_slug(obj.value, base_iri, report)
        if predicate in SUBMISSION_TERMS or (
            predicate == RDF_TYPE
            and isinstance(obj, pyoxigraph.NamedNode)
            and obj.value in SUBMISSION_TERMS
        ):
            report(
                "reserved",
                str(subject),
                f"{_short(predicate if predicate in SUBMISSION_TERMS else term_value(obj))} is "
                "written by `submit --apply` only: a submission cannot carry submission records",
                node=str(subject),
                path=predicate,
            )
        if predicate == _SAME_AS and not (
            isinstance(obj, pyoxigraph.NamedNode) and not obj.value.startswith(base_iri)
        ):
            report(
                "same-as",
                f"{subject} {obj}",
                "owl:sameAs refused: it links a resource to the same thing in another dataset "
                "(an IRI outside the resource namespace, such as a Wikidata item); merging two "
                "resources of the dataset is not a fact a submission can add",
                node=str(subject),
                path=predicate,
            )
        if predicate.startswith(_SCHEMA_NAMESPACES) and predicate not in _ALLOWED_SCHEMA_PREDICATES:
            report(
                "schema-predicate",
                f"{subject} {predicate}",
                f"schema statement refused: {_short(predicate)} belongs to the vocabulary "
                "(a submission adds facts, not class, property or shape definitions, and no "
                "owl:imports)",
                node=str(subject),
                path=predicate,
            )
        if (
            predicate == RDF_TYPE
            and isinstance(obj, pyoxigraph.NamedNode)
            and obj.value.startswith(_SCHEMA_NAMESPACES)
        ):
            report(
                "schema-type",
                str(subject),
                f"schema statement refused: typing a node as {_short(obj.value)} defines "
                "vocabulary, which a submission cannot do",
                node=str(subject),
                path=predicate,
                value=str(obj),
            )
        if isinstance(obj, pyoxigraph.Literal):
            bad = _BAD_CHARACTERS.search(obj.value)
            if bad:
                report(
                    "characters",
                    f"{subject} {predicate} {bad.start()}",
                    f"literal with a control character or unpaired surrogate "
                    f"(U+{ord(bad.group()):04X} at offset {bad.start()})",
                    node=str(subject),
                    path=predicate,
                )
    return sorted(problems.values(), key=lambda p: (p.node or "", p.path or "", p.message))


def _check_subject(iri: str, base_iri: str, report) -> None:
    if iri.startswith(_VOCABULARY_NAMESPACES):
        report(
            "ontology-term",
            iri,
            "ontology term as a subject: a submission cannot redefine or add to the vocabulary",
            node=f"<{iri}>",
        )
    elif not iri.startswith(base_iri):
        report(
            "outside",
            iri,
            f"subject outside the resource namespace: every subject is lbr:<slug> "
            f"({base_iri}<slug>)",
            node=f"<{iri}>",
        )
    else:
        _check_slug(iri, base_iri, report)


def _check_slug(iri: str, base_iri: str, report) -> None:
    slug = iri[len(base_iri) :]
    if not _SLUG.fullmatch(slug):
        report(
            "slug",
            iri,
            f"invalid slug {slug!r}: use lowercase letters and digits in "
            "hyphen-separated words ([a-z0-9]+(-[a-z0-9]+)*)",
            node=f"<{iri}>",
        )


def _short(iri: str) -> str:
    from llmboom.namespaces import shorten

    return shorten(iri) if not iri.startswith(LBO) else "lbo:" + iri[len(LBO) :]
