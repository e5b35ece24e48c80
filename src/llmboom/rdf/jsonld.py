"""JSON-LD: the published context and the compacted dataset.

* `build_context(project)` generates the context from the ontology: the project's prefixes,
  `"@vocab": lbo:`, `id`/`type` aliases, and one term per ontology property, coerced so that
  values read as plain JSON (`"@type": "@id"` for object properties, the range datatype or
  `"@language": "en"` for datatype properties); names (`label`, `altLabel`) are language maps
  (`"@container": "@language"`: `{"en": "ByteDance", "zh-hans": "字节跳动"}`), since a
  resource has a name in each language it is sourced in.
* `compact(quads, context)` writes the compacted document of a whole dataset without a JSON-LD
  processor: a sorted `@graph` of node objects keyed by the context's terms. It is linear in
  the number of triples (PyLD's `from_rdf` is not) and checked by round-trip tests.

Framing into trees lives in `llmboom.rdf.framing`.

Published documents *embed* the context object rather than referencing `context.jsonld`, so
that any parser (rdflib, pyoxigraph) reads them offline; `context.jsonld` is published beside
them (`context_bytes`) for people who want to reuse it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, cast

from llmboom.namespaces import (
    LBO,
    LBR,
    OWL,
    PREFIXES,
    PROV,
    RDF,
    RDF_TYPE,
    RDFS,
    SKOS,
    XSD,
)
from llmboom.rdf.gc_control import paused_gc
from llmboom.rdf.terms import Term, term_value

if TYPE_CHECKING:
    import pyoxigraph

    from llmboom.project import Project


_LANG_STRING = RDF + "langString"
_XSD_STRING = XSD + "string"
_XSD_BOOLEAN = XSD + "boolean"

#: Terms for the few non-lbo properties the data uses everywhere (ontology terms win).
_EXTRA_TERMS: dict[str, dict[str, str] | str] = {
    "label": {"@id": "rdfs:label", "@container": "@language"},
    "altLabel": {"@id": "skos:altLabel", "@container": "@language"},
    "comment": {"@id": "rdfs:comment", "@language": "en"},
    "subject": {"@id": "rdf:subject", "@type": "@id"},
    "predicate": {"@id": "rdf:predicate", "@type": "@id"},
    "object": {"@id": "rdf:object"},
    "wasDerivedFrom": {"@id": "prov:wasDerivedFrom", "@type": "@id"},
    "Statement": "rdf:Statement",
}
assert {RDFS, SKOS, PROV} <= set(PREFIXES.values())


# ---------------------------------------------------------------------------------------------
# The context
# ---------------------------------------------------------------------------------------------


def build_context(project: Project) -> dict[str, Any]:
    """The project's JSON-LD context (the value of `@context`), generated from the ontology."""
    from llmboom.dataset import Dataset

    return context_from_ontology(Dataset(project).ontology(), project.base_iri)


def context_from_ontology(
    ontology: Iterable[pyoxigraph.Quad], base_iri: str = LBR
) -> dict[str, Any]:
    """The context for an ontology's properties; `lbr:` maps to `base_iri`. Deterministic."""
    kinds: dict[str, str] = {}
    ranges: dict[str, set[str]] = {}
    for quad in ontology:
        subject = term_value(quad.subject)
        if not subject.startswith(LBO) or not _is_term_name(subject[len(LBO) :]):
            continue
        predicate, obj = quad.predicate.value, term_value(quad.object)
        if predicate == RDF_TYPE and obj in (OWL + "ObjectProperty", OWL + "DatatypeProperty"):
            kinds[subject] = obj
        elif predicate == RDFS + "range":
            ranges.setdefault(subject, set()).add(obj)

    terms: dict[str, Any] = {}
    for iri, kind in kinds.items():
        definition: dict[str, str] = {"@id": "lbo:" + iri[len(LBO) :]}
        if kind == OWL + "ObjectProperty":
            definition["@type"] = "@id"
        else:
            definition.update(_literal_coercion(ranges.get(iri, set())))
        terms[iri[len(LBO) :]] = definition
    for name, extra in _EXTRA_TERMS.items():
        terms.setdefault(name, extra)

    context: dict[str, Any] = {"@vocab": LBO, "id": "@id", "type": "@type"}
    for prefix, namespace in PREFIXES.items():
        context[prefix] = base_iri if prefix == "lbr" else namespace
    for name in sorted(terms):
        context[name] = terms[name]
    return context


def _is_term_name(name: str) -> bool:
    return bool(name) and name.replace("_", "").replace("-", "").isalnum()


def _literal_coercion(ranges: set[str]) -> dict[str, str]:
    """How a datatype property's values are written: by language, by datatype or as-is."""
    if len(ranges) != 1:
        return {}
    (datatype,) = ranges
    if datatype == _LANG_STRING:
        return {"@language": "en"}
    if datatype in (_XSD_STRING, _XSD_BOOLEAN) or not datatype.startswith(XSD):
        return {}  # plain JSON strings and booleans need no coercion
    return {"@type": "xsd:" + datatype[len(XSD) :]}


def context_bytes(context: dict[str, Any]) -> bytes:
    """The published `context.jsonld`: `{"@context": …}` as stable, indented UTF-8 JSON."""
    return dump_json({"@context": context})


def dump_json(document: Any) -> bytes:
    """JSON as published: UTF-8, two-space indent, key order as built, final newline."""
    import orjson

    return orjson.dumps(document, option=orjson.OPT_INDENT_2 | orjson.OPT_APPEND_NEWLINE)


# ---------------------------------------------------------------------------------------------
# Compaction
# ---------------------------------------------------------------------------------------------


class Compactor:
    """Compacts IRIs and values against a context of the shape `build_context` produces
    (also used by `llmboom.rdf.framing` for key order)."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.vocab: str | None = context.get("@vocab")
        self.id_key = next((k for k, v in context.items() if v == "@id"), "@id")
        self.type_key = next((k for k, v in context.items() if v == "@type"), "@type")
        self.prefixes: dict[str, str] = {
            k: v
            for k, v in context.items()
            if isinstance(v, str) and not k.startswith("@") and v[-1:] in ("/", "#", ":")
        }
        # longest namespace first, so that the most specific prefix wins
        self._by_namespace = sorted(
            ((ns, p) for p, ns in self.prefixes.items()), key=lambda x: (-len(x[0]), x[1])
        )
        self.terms: dict[str, tuple[str, str | None, str | None]] = {}
        self.term_for: dict[str, str] = {}  # property IRI -> its term
        self.simple_term_for: dict[str, str] = {}  # IRI -> a term without coercion
        self.language_map_for: dict[str, str] = {}  # property IRI -> its language-map term
        for name, definition in sorted(context.items()):
            if name.startswith("@") or name in self.prefixes:
                continue
            if isinstance(definition, str):
                if definition.startswith("@"):
                    continue
                iri, coerce, language = self.expand(definition), None, None
            elif isinstance(definition, dict) and "@id" in definition:
                if definition.get("@container") == "@language" and "@reverse" not in definition:
                    _prefer(self.language_map_for, self.expand(definition["@id"]), name)
                    continue
                if "@reverse" in definition or "@container" in definition:
                    continue
                iri = self.expand(definition["@id"])
                coerce = definition.get("@type")
                if coerce not in (None, "@id", "@vocab"):
                    coerce = self.expand(coerce)
                language = definition.get("@language")
            else:
                continue
            self.terms[name] = (iri, coerce, language)
            _prefer(self.term_for, iri, name)
            if coerce is None and language is None:
                _prefer(self.simple_term_for, iri, name)

    def expand(self, value: str) -> str:
        prefix, sep, local = value.partition(":")
        if sep and prefix in self.prefixes and not local.startswith("//"):
            return self.prefixes[prefix] + local
        return value

    def iri(self, iri: str) -> str:
        """A node identifier: `prefix:local` where a prefix fits, else the IRI itself."""
        if iri.startswith("_:"):
            return iri
        for namespace, prefix in self._by_namespace:
            if iri.startswith(namespace) and len(iri) > len(namespace):
                local = iri[len(namespace) :]
                if not local.startswith("//"):
                    return f"{prefix}:{local}"
        return iri

    def vocab_iri(self, iri: str) -> str:
        """A vocabulary IRI (a type, a datatype): a plain term where one fits, as JSON-LD
        processors do, else the name under `@vocab`, else `prefix:local`."""
        term = self.simple_term_for.get(iri)
        if term is not None:
            return term
        if self.vocab and iri.startswith(self.vocab):
            local = iri[len(self.vocab) :]
            if local and ":" not in local and local not in self.terms and _is_term_name(local):
                return local
        return self.iri(iri)

    def key(self, predicate: str) -> tuple[str, str | None, str | None]:
        """The key a property is written under, with that key's coercion."""
        term = self.term_for.get(predicate)
        if term is not None:
            _, coerce, language = self.terms[term]
            return term, coerce, language
        return self.vocab_iri(predicate), None, None

    def value(self, term: Term, coerce: str | None, language: str | None):
        """One object, written as plainly as the key's coercion allows."""
        kind = type(term).__name__  # not isinstance: pyoxigraph is imported lazily
        if kind == "NamedNode" or kind == "BlankNode":
            node = cast("pyoxigraph.NamedNode | pyoxigraph.BlankNode", term)
            ref = node.value if kind == "NamedNode" else "_:" + node.value
            if coerce == "@id":
                return self.iri(ref)
            if coerce == "@vocab":
                return self.vocab_iri(ref)
            return {self.id_key: self.iri(ref)}
        literal = cast("pyoxigraph.Literal", term)
        text = literal.value
        if literal.language:
            if language == literal.language and coerce is None:
                return text
            return {"@value": text, "@language": literal.language}
        datatype = literal.datatype.value
        if datatype == _XSD_STRING:
            return text if coerce is None and language is None else {"@value": text}
        if datatype == coerce:
            return text
        if datatype == _XSD_BOOLEAN and text in ("true", "false") and coerce is None:
            return text == "true"
        return {"@value": text, self.type_key: self.vocab_iri(datatype)}

    def language_map(self, predicate: str, objects: list) -> tuple[str, dict[str, Any]] | None:
        """A property's values as a language map (`{"en": "…", "zh-hans": ["…", "…"]}`), when
        the context has a language-map term for it and every value is a string (untagged ones
        under `@none`); else None."""
        term = self.language_map_for.get(predicate)
        if term is None or any(type(o).__name__ != "Literal" for o in objects):
            return None
        if any(not o.language and o.datatype.value != _XSD_STRING for o in objects):
            return None
        by_language: dict[str, list[str]] = {}
        for literal in objects:
            by_language.setdefault(literal.language or "@none", []).append(literal.value)
        return term, {
            language: texts[0] if len(texts) == 1 else texts
            for language, texts in sorted(by_language.items())
        }


def _prefer(table: dict[str, str], iri: str, name: str) -> None:
    """Keep the shortest (then alphabetically first) term for an IRI."""
    current = table.get(iri)
    if current is None or (len(name), name) < (len(current), current):
        table[iri] = name


@paused_gc()
def compact(quads: Iterable[pyoxigraph.Quad], context: dict[str, Any]) -> dict[str, Any]:
    """The compacted JSON-LD document of `quads`, with `context` embedded.

    Nodes are sorted by identifier, keys by name (`id` and `type` first), values by their
    N-Triples form; a key with one value holds it plainly, one with several holds a list.
    Named graphs become `{"id": g, "@graph": […]}` nodes.
    """
    import pyoxigraph

    compactor = Compactor(context)
    graphs: dict[str, dict[str, dict[str, list]]] = {}
    for quad in dict.fromkeys(quads):  # each quad once; the order is made below
        graph_name = quad.graph_name
        graph = "" if isinstance(graph_name, pyoxigraph.DefaultGraph) else node_ref(graph_name)
        nodes = graphs.setdefault(graph, {})
        node = nodes.setdefault(node_ref(quad.subject), {})
        node.setdefault(quad.predicate.value, []).append(quad.object)

    def node_objects(nodes: dict[str, dict[str, list]]) -> list[dict[str, Any]]:
        return [_node_object(compactor, ref, props) for ref, props in sorted(nodes.items())]

    top = graphs.pop("", {})
    default = {ref: _node_object(compactor, ref, props) for ref, props in sorted(top.items())}
    for graph in sorted(graphs):
        holder = default.setdefault(graph, {compactor.id_key: compactor.iri(graph)})
        holder["@graph"] = node_objects(graphs[graph])
    return {"@context": context, "@graph": [default[ref] for ref in sorted(default)]}


def _node_object(compactor: Compactor, ref: str, props: dict[str, list]) -> dict[str, Any]:
    node: dict[str, Any] = {compactor.id_key: compactor.iri(ref)}
    keyed: dict[str, Any] = {}
    for predicate, objects in props.items():
        if len(objects) > 1:
            objects = sorted(objects, key=str)  # by N-Triples form
        if predicate == RDF_TYPE and all(type(o).__name__ != "Literal" for o in objects):
            types = [compactor.vocab_iri(node_ref(o)) for o in objects]
            node[compactor.type_key] = types[0] if len(types) == 1 else sorted(types)
            continue
        language_map = compactor.language_map(predicate, objects)
        if language_map is not None:
            keyed[language_map[0]] = language_map[1]
            continue
        key, coerce, language = compactor.key(predicate)
        values = [compactor.value(o, coerce, language) for o in objects]
        keyed[key] = values[0] if len(values) == 1 else values
    for key in sorted(keyed):
        node[key] = keyed[key]
    return node


def node_ref(term: Any) -> str:
    """A node's IRI, or `_:label` for a blank node."""
    return "_:" + term.value if type(term).__name__ == "BlankNode" else term.value
