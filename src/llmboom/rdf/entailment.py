"""RDFS entailment of the dataset under its ontology: `rdfs:subClassOf` and
`rdfs:subPropertyOf` (with `owl:equivalentClass` / `owl:equivalentProperty` read as both),
including the ontology's alignments to W3C ORG, FOAF, schema.org and PROV-O.

The entailed triples are materialised, not obtained by rewriting queries: for every asserted
`?x rdf:type C`, one `?x rdf:type D` for each super-class D of C; for every asserted
`?s p ?o`, one `?s q ?o` for each super-property q of p (RDFS rules rdfs9 and rdfs7, with
rdfs5 and rdfs11 for the closure). So `?x a lbo:Organization` finds platforms too, and
`?x org:reportsTo ?y` or `?x a schema:Organization` answer. Domains and ranges (rdfs2,
rdfs3) are not applied: they would type resources by what points at them.

Pure pyoxigraph and Python (no rdflib, no owlrl): `llmboom query` stays fast.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import TYPE_CHECKING

from llmboom.namespaces import ONTOLOGY_IRI, OWL, RDF_TYPE, RDFS

if TYPE_CHECKING:
    import pyoxigraph

_SUB_CLASS = RDFS + "subClassOf"
_SUB_PROPERTY = RDFS + "subPropertyOf"
_EQUIVALENT = {OWL + "equivalentClass": _SUB_CLASS, OWL + "equivalentProperty": _SUB_PROPERTY}


def hierarchies(
    ontology: Iterable[pyoxigraph.Quad | pyoxigraph.Triple],
) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    """The super-classes and super-properties of every term, transitively closed (a term is
    not its own super-term unless a cycle says so)."""
    direct: dict[str, dict[str, set[str]]] = {
        _SUB_CLASS: defaultdict(set),
        _SUB_PROPERTY: defaultdict(set),
    }
    for quad in ontology:
        predicate = quad.predicate.value
        if not hasattr(quad.object, "value") or not hasattr(quad.subject, "value"):
            continue
        subject, obj = quad.subject.value, quad.object.value
        if predicate in direct:
            direct[predicate][subject].add(obj)
        elif predicate in _EQUIVALENT:
            relation = direct[_EQUIVALENT[predicate]]
            relation[subject].add(obj)
            relation[obj].add(subject)
    return _closure(direct[_SUB_CLASS]), _closure(direct[_SUB_PROPERTY])


def _closure(direct: dict[str, set[str]]) -> dict[str, set[str]]:
    closed: dict[str, set[str]] = {}
    for term in direct:
        seen: set[str] = set()
        stack = list(direct[term])
        while stack:
            current = stack.pop()
            if current not in seen:
                seen.add(current)
                stack.extend(direct.get(current, ()))
        closed[term] = seen
    return closed


def entailed_triples(
    data: Iterable[pyoxigraph.Quad | pyoxigraph.Triple],
    ontology: Iterable[pyoxigraph.Quad | pyoxigraph.Triple],
) -> list[pyoxigraph.Triple]:
    """The triples RDFS entails from `data` under `ontology` that `data` does not assert,
    sorted."""
    import pyoxigraph

    classes, properties = hierarchies(ontology)
    asserted: set[pyoxigraph.Triple] = set()
    entailed: set[pyoxigraph.Triple] = set()
    node = pyoxigraph.NamedNode
    rdf_type = node(RDF_TYPE)
    for quad in data:
        triple = pyoxigraph.Triple(quad.subject, quad.predicate, quad.object)
        asserted.add(triple)
        predicates = [quad.predicate.value, *properties.get(quad.predicate.value, ())]
        for predicate in predicates:
            if predicate != quad.predicate.value:
                entailed.add(pyoxigraph.Triple(quad.subject, node(predicate), quad.object))
            if predicate == RDF_TYPE and isinstance(quad.object, pyoxigraph.NamedNode):
                for cls in classes.get(quad.object.value, ()):
                    entailed.add(pyoxigraph.Triple(quad.subject, rdf_type, node(cls)))
    return sorted(entailed - asserted, key=lambda t: (str(t.subject), str(t.predicate), str(t)))


def entail_store(store: pyoxigraph.Store, ontology_graph: str = ONTOLOGY_IRI) -> int:
    """Add to `store`'s default graph the triples RDFS entails from it under the ontology in
    the named graph `ontology_graph`; return how many were added. For the server's store
    and `llmboom query` alike.

    The same triples as `entailed_triples`, added by SPARQL updates that pyoxigraph runs
    itself (one per term with super-terms: sub-properties first, then sub-classes), which
    keeps the triples out of Python: 1M triples entail in seconds."""
    import pyoxigraph

    ontology = store.quads_for_pattern(None, None, None, pyoxigraph.NamedNode(ontology_graph))
    classes, properties = hierarchies(list(ontology))
    before = _default_graph_size(store)
    # a sub-property's triples first, so that the class rule sees an rdf:type they entail
    for prop, supers in sorted(properties.items()):
        template = " ".join(f"?s <{s}> ?o ." for s in sorted(supers - {prop}))
        if template:
            store.update(f"INSERT {{ {template} }} WHERE {{ ?s <{prop}> ?o }}")
    for cls, supers in sorted(classes.items()):
        template = " ".join(f"?x <{RDF_TYPE}> <{s}> ." for s in sorted(supers - {cls}))
        if template:
            store.update(f"INSERT {{ {template} }} WHERE {{ ?x <{RDF_TYPE}> <{cls}> }}")
    return _default_graph_size(store) - before


def _default_graph_size(store: pyoxigraph.Store) -> int:
    import pyoxigraph

    answer = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")
    assert isinstance(answer, pyoxigraph.QuerySolutions)  # a SELECT query's answer
    return int(next(iter(answer))[0].value)
