"""The PROV record `--apply` writes with each submission: who, when, what, from which file.

    lbr:submission-<first 16 hex digits of the digest> a lbo:Submission ;
        rdfs:label "Submission <first 12 hex digits>"@en ;
        lbo:submittedBy lbr:contributor-alice-2bd806c97f0e00af ;
        lbo:submittedAt "2026-11-26T13:30:00Z"^^xsd:dateTime ;
        lbo:contentHash "<SHA-256 of the canonical N-Triples>" ;
        lbo:submittedFile "new-facts.ttl" ;
        lbo:triplesAdded 42 .
    lbr:contributor-alice-2bd806c97f0e00af a lbo:Contributor ; rdfs:label "alice"@en .

A contributor's IRI is a readable slug of the given name (ASCII letters and digits, at most
40 characters; none for a name without Latin letters or digits) and the first 16 hex digits
of the SHA-256 of the name (stripped, NFC): two different names never share an IRI, so a
second name cannot clash with the first one's label. The label is the name as given (the
SPEC asks for exactly one English label, and a name is not translated; a blank name is
"anonymous"). A name written in another script than Latin also gets a `skos:altLabel` tagged
with its script and an undetermined language (`"日本語の名前"@und-Jpan`): the name's script
is known, its language is not.

A submission record is bookkeeping, not a fact about the world, so the provenance rule (a
statement record per fact) does not apply to it; its own shape checks it instead.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import TYPE_CHECKING, Final

from llmboom.namespaces import LBO, RDF_TYPE, RDFS, SKOS, XSD

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
    """`contributor-<slug>-<16 hex digits>` for a submitter's name (`Alice Smith` →
    `contributor-alice-smith-…`, `日本語の名前` → `contributor-…`, blank →
    `contributor-anonymous-…`)."""
    given = _normalised(name)
    folded = unicodedata.normalize("NFKD", given).encode("ascii", "ignore").decode("ascii")
    slug = "-".join(re.findall(r"[a-z0-9]+", folded.lower()))[:40].strip("-")
    if not given:
        slug = "anonymous"
    hashed = hashlib.sha256(given.encode("utf-8")).hexdigest()[:16]
    return f"contributor-{slug}-{hashed}" if slug else f"contributor-{hashed}"


def name_script(name: str) -> str | None:
    """The ISO 15924 code of the script a name's letters are written in, when it is not
    Latin (`Hani`, `Jpan` for Han with kana, `Kore`, `Cyrl`, …); None for Latin, for no
    letters at all, or for a script not listed here (then `Zyyy`, common, is not claimed)."""
    scripts = set()
    for character in _normalised(name):
        if not character.isalpha():
            continue
        first = unicodedata.name(character, "").split(" ")[0]
        scripts.add(_SCRIPTS.get(first, "?"))
    scripts.discard("Latn")
    if not scripts:
        return None
    if scripts <= {"Hani", "Hira", "Kana"} and scripts & {"Hira", "Kana"}:
        return "Jpan"
    if scripts <= {"Hani", "Hang"} and "Hang" in scripts:
        return "Kore"
    return scripts.pop() if len(scripts) == 1 and "?" not in scripts else None


_SCRIPTS: Final = {
    "LATIN": "Latn",
    "CJK": "Hani",
    "HIRAGANA": "Hira",
    "KATAKANA": "Kana",
    "HANGUL": "Hang",
    "CYRILLIC": "Cyrl",
    "GREEK": "Grek",
    "ARABIC": "Arab",
    "HEBREW": "Hebr",
    "DEVANAGARI": "Deva",
    "THAI": "Thai",
    "ARMENIAN": "Armn",
    "GEORGIAN": "Geor",
    "BENGALI": "Beng",
    "TAMIL": "Taml",
}


def _normalised(name: str) -> str:
    return unicodedata.normalize("NFC", name.strip())


def contributor_quads(base_iri: str, submitter: str) -> list[pyoxigraph.Quad]:
    """The contributor's IRI, type, English label and (for a name in another script than
    Latin) its label in that script."""
    from pyoxigraph import Literal, NamedNode, Quad

    agent = NamedNode(base_iri + contributor_slug(submitter))
    given = _normalised(submitter)
    quads = [
        Quad(agent, NamedNode(RDF_TYPE), NamedNode(CONTRIBUTOR_CLASS)),
        Quad(agent, NamedNode(RDFS + "label"), Literal(given or "anonymous", language="en")),
    ]
    script = name_script(given)
    if script is not None:
        label = Literal(given, language=f"und-{script}")
        quads.append(Quad(agent, NamedNode(SKOS + "altLabel"), label))
    return quads


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
    contributor = contributor_quads(base_iri, submitter)
    agent = contributor[0].subject
    rdf_type, label = NamedNode(RDF_TYPE), NamedNode(RDFS + "label")

    def triple(predicate: str, obj) -> Quad:
        return Quad(node, NamedNode(predicate), obj)

    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    quads = [
        *contributor,
        Quad(node, rdf_type, NamedNode(SUBMISSION_CLASS)),
        Quad(node, label, Literal(f"Submission {content_digest[:12]}", language="en")),
        triple(SUBMITTED_BY, agent),
        triple(SUBMITTED_AT, Literal(stamp, datatype=NamedNode(XSD + "dateTime"))),
        triple(CONTENT_HASH, Literal(content_digest)),
        triple(TRIPLES_ADDED, Literal(str(triples_added), datatype=NamedNode(XSD + "integer"))),
    ]
    quads.extend(triple(SUBMITTED_FILE, Literal(name)) for name in files)
    return quads
