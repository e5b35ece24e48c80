"""The PROV record `--apply` writes with each submission: who, when, what, from which file.

    lbr:submission-<first 16 hex digits of the digest> a lbo:Submission ;
        rdfs:label "Submission <first 12 hex digits>"@en ;
        lbo:submittedBy lbr:contributor-alice ;
        lbo:submittedAt "2026-11-26T13:30:00Z"^^xsd:dateTime ;
        lbo:contentHash "<SHA-256 of the canonical N-Triples>" ;
        lbo:submittedFile "new-facts.ttl" ;
        lbo:triplesAdded 42 .
    lbr:contributor-alice a lbo:Contributor ; rdfs:label "alice"@en .

A submission record is bookkeeping, not a fact about the world, so the provenance rule (a
statement record per fact) does not apply to it; its own shape checks it instead.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Final

from llmboom.namespaces import LBO, RDF, RDFS, XSD

if TYPE_CHECKING:
    import pyoxigraph

SUBMISSION_CLASS: Final = LBO + "Submission"
CONTRIBUTOR_CLASS: Final = LBO + "Contributor"
SUBMITTED_BY: Final = LBO + "submittedBy"
SUBMITTED_AT: Final = LBO + "submittedAt"
CONTENT_HASH: Final = LBO + "contentHash"
SUBMITTED_FILE: Final = LBO + "submittedFile"
TRIPLES_ADDED: Final = LBO + "triplesAdded"
#: Terms only `submit --apply` may write.
SUBMISSION_TERMS: Final = frozenset(
    {
        SUBMISSION_CLASS,
        CONTRIBUTOR_CLASS,
        SUBMITTED_BY,
        SUBMITTED_AT,
        CONTENT_HASH,
        SUBMITTED_FILE,
        TRIPLES_ADDED,
    }
)


def digest(quads: Iterable[pyoxigraph.Quad]) -> str:
    """SHA-256 (hex) of the triples' canonical N-Triples: sorted, distinct lines, graph names
    dropped. The same triples in any format or order give the same digest."""
    from llmboom.export import canonical_nquads

    return hashlib.sha256(canonical_nquads(quads, keep_graphs=False)).hexdigest()


def record_iri(base_iri: str, content_digest: str) -> str:
    return f"{base_iri}submission-{content_digest[:16]}"


def contributor_slug(name: str) -> str:
    """`contributor-<slug>` for a submitter's name (`Alice Smith` → `contributor-alice-smith`)."""
    words = re.findall(r"[a-z0-9]+", name.lower())
    return "contributor-" + ("-".join(words) or "anonymous")


def submission_record(
    base_iri: str,
    content_digest: str,
    submitter: str,
    files: Sequence[str],
    triples_added: int,
    when: datetime,
) -> list[pyoxigraph.Quad]:
    """The `lbo:Submission` record's triples, and its contributor's."""
    from pyoxigraph import Literal, NamedNode, Quad

    node = NamedNode(record_iri(base_iri, content_digest))
    agent = NamedNode(base_iri + contributor_slug(submitter))
    rdf_type, label = NamedNode(RDF + "type"), NamedNode(RDFS + "label")

    def triple(predicate: str, obj) -> Quad:
        return Quad(node, NamedNode(predicate), obj)

    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    quads = [
        Quad(agent, rdf_type, NamedNode(CONTRIBUTOR_CLASS)),
        Quad(agent, label, Literal(submitter.strip() or "anonymous", language="en")),
        Quad(node, rdf_type, NamedNode(SUBMISSION_CLASS)),
        Quad(node, label, Literal(f"Submission {content_digest[:12]}", language="en")),
        triple(SUBMITTED_BY, agent),
        triple(SUBMITTED_AT, Literal(stamp, datatype=NamedNode(XSD + "dateTime"))),
        triple(CONTENT_HASH, Literal(content_digest)),
        triple(TRIPLES_ADDED, Literal(str(triples_added), datatype=NamedNode(XSD + "integer"))),
    ]
    quads.extend(triple(SUBMITTED_FILE, Literal(name)) for name in files)
    return quads
