"""The IRIs the project fixes (SPEC §2) and the standard namespaces it uses."""

from typing import Final

ONTOLOGY_IRI: Final = "https://w3id.org/llmboom/ontology"
LBO: Final = ONTOLOGY_IRI + "#"
LBR: Final = "https://w3id.org/llmboom/id/"
DATASET_IRI: Final = "https://w3id.org/llmboom/dataset"

RDF: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS: Final = "http://www.w3.org/2000/01/rdf-schema#"
OWL: Final = "http://www.w3.org/2002/07/owl#"
XSD: Final = "http://www.w3.org/2001/XMLSchema#"
SH: Final = "http://www.w3.org/ns/shacl#"
SKOS: Final = "http://www.w3.org/2004/02/skos/core#"
PROV: Final = "http://www.w3.org/ns/prov#"
ORG: Final = "http://www.w3.org/ns/org#"
FOAF: Final = "http://xmlns.com/foaf/0.1/"
SCHEMA: Final = "https://schema.org/"
TIME: Final = "http://www.w3.org/2006/time#"
DCTERMS: Final = "http://purl.org/dc/terms/"
DCAT: Final = "http://www.w3.org/ns/dcat#"
VOID: Final = "http://rdfs.org/ns/void#"
VANN: Final = "http://purl.org/vocab/vann/"

#: Terms many modules compare against: a resource's type and label, and the parts of a
#: statement record (`rdf:Statement`).
RDF_TYPE: Final = RDF + "type"
RDFS_LABEL: Final = RDFS + "label"
RDF_STATEMENT: Final = RDF + "Statement"
RDF_SUBJECT: Final = RDF + "subject"
RDF_PREDICATE: Final = RDF + "predicate"
RDF_OBJECT: Final = RDF + "object"

#: Predicates the provenance rule (SPEC §4) exempts: a resource's type, names and, for a
#: source, its own text. Every other triple about an lbr: resource is a fact that needs a
#: statement record.
DESCRIPTIVE_PREDICATES: Final[frozenset[str]] = frozenset(
    {RDF_TYPE, RDFS_LABEL, SKOS + "altLabel", LBO + "fullText"}
)

_NAMES: Final[frozenset[str]] = frozenset({RDFS + "label", SKOS + "altLabel"})


def needs_no_record(predicate: str, value: object) -> bool:
    """Whether a triple about a resource is exempt from provenance (SPEC §4): its type, a
    source's text, and its names in English (or untagged); a name in another language
    (`"字节跳动"@zh-Hans`) is a fact like any other."""
    if predicate not in DESCRIPTIVE_PREDICATES:
        return False
    if predicate in _NAMES:
        language = (getattr(value, "language", None) or "").lower()
        return language in ("", "en") or language.startswith("en-")
    return True


#: A source's bibliographic description (its citation), which needs no statement record
#: either (shapes/provenance.ttl, lbs:FactHasStatementRecord).
CITATION_PREDICATES: Final[frozenset[str]] = frozenset(
    {
        "https://schema.org/url",
        LBO + "headline",
        LBO + "publishedBy",
        LBO + "publicationDate",
        LBO + "language",
        LBO + "consulted",
        "http://purl.org/dc/terms/license",
    }
)

#: Where the JSON-LD context is published; frames and documents may name it in `@context`.
CONTEXT_URL: Final = "https://w3id.org/llmboom/context.jsonld"
#: Other spellings of the context's address that frames may use.
CONTEXT_ALIASES: Final = frozenset({CONTEXT_URL, "context.jsonld", "./context.jsonld"})

#: Prefixes used when serialising and when rendering IRIs for people, in a stable order.
PREFIXES: Final[dict[str, str]] = {
    "lbo": LBO,
    "lbr": LBR,
    "rdf": RDF,
    "rdfs": RDFS,
    "owl": OWL,
    "xsd": XSD,
    "skos": SKOS,
    "prov": PROV,
    "org": ORG,
    "foaf": FOAF,
    "schema": SCHEMA,
    "time": TIME,
    "dcterms": DCTERMS,
    "dcat": DCAT,
    "void": VOID,
    "vann": VANN,
    "sh": SH,
}


def prefixes_for(base_iri: str = LBR) -> dict[str, str]:
    """`PREFIXES` with `lbr:` bound to the project's resource IRI (it follows a rebased
    project): the one prefix map of queries and outputs."""
    return {**PREFIXES, "lbr": base_iri}


#: SPARQL prologue declaring every prefix above, for queries typed at the command line.
SPARQL_PROLOGUE: Final = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())


def shorten(iri: str) -> str:
    """Return `prefix:local` for an IRI in a known namespace, else `<iri>`."""
    for prefix, namespace in PREFIXES.items():
        if iri.startswith(namespace) and iri != namespace:
            return f"{prefix}:{iri[len(namespace) :]}"
    return f"<{iri}>"
