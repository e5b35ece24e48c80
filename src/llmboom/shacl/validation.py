"""SHACL validation of the dataset, or of data held in memory, against the project's shapes.

pyshacl runs with the shapes given explicitly (data is never used as shapes), the ontology as
its ontology graph (so that `sh:targetClass lbo:Organization` reaches every `lbo:Platform`),
SHACL-SPARQL enabled (`advanced`), no inference and no network. The result is one typed
`ValidationReport`; errors (unreadable files, a missing shapes folder) are raised.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Sequence
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from llmboom.errors import ProjectError
from llmboom.namespaces import LBO, LBR, RDF, RDFS, SH
from llmboom.project import Project
from llmboom.rdf.input_guard import max_input_bytes
from llmboom.rdf.loading import as_default_graph, parse_file, rebase, to_rdflib_graph
from llmboom.shacl.report import (
    SEVERITIES,
    Severity,
    ValidationReport,
    ValidationResult,
)

if TYPE_CHECKING:
    import pyoxigraph
    import rdflib

    from llmboom.dataset import Dataset


def validate_project(
    dataset: Dataset | Project, files: Sequence[str | Path] = ()
) -> ValidationReport:
    """Validate the dataset (a `Dataset`, or a project's, read from its files), together
    with `files` if any (parsed without network access).

    Raises `InputError` (file and line) when the dataset or a file cannot be read or parsed.
    """
    from llmboom.dataset import Dataset

    dataset = Dataset.of(dataset)
    project = dataset.project
    quads = dataset.quads()
    extra: list[pyoxigraph.Quad] = []
    context = None
    if any(str(path).endswith((".jsonld", ".json")) for path in files):
        from llmboom.rdf.jsonld import build_context

        context = build_context(project)  # for files naming the published context URL
    for path in files:
        extra.extend(parse_file(path, limit=max_input_bytes(), jsonld_context=context))
    quads.extend(rebase(as_default_graph(extra), project.base_iri))
    return validate_quads(project, quads)


def validate_quads(
    project: Project,
    quads: Iterable[pyoxigraph.Quad],
    focus_nodes: Collection[str] | None = None,
) -> ValidationReport:
    """Validate exactly `quads` (graph names ignored) against the project's shapes.

    The caller decides what the data is: to check new data in the context of the dataset,
    pass `Dataset(project).quads() + new_quads`. The data graph is `quads` plus the ontology.

    The shapes run as SPARQL on pyoxigraph, each constraint once for all focus nodes
    (`shacl_engine`); shapes using a feature that engine lacks run on pyshacl instead, with
    the same results. With `focus_nodes` (IRIs), only the results on those nodes are kept.
    """
    import pyoxigraph

    from llmboom.shacl.engine import evaluate
    from llmboom.shacl.plan import Unsupported, read_plan

    shapes, ontology = _shapes_and_ontology(project)
    store = pyoxigraph.Store()
    store.bulk_extend(as_default_graph(quads))
    store.bulk_extend(ontology)
    try:
        findings = list(evaluate(store, read_plan(shapes)))
        if any(finding.message is None for finding in findings):
            raise Unsupported("a shape without sh:message (pyshacl words a default one)")
        if focus_nodes is not None:
            findings = [f for f in findings if _term_text(f.focus) in focus_nodes]
    except Unsupported:
        report = validate_with_pyshacl(project, store.quads_for_pattern(None, None, None))
        if focus_nodes is None:
            return report
        results = tuple(r for r in report.results if r.focus_node in focus_nodes)
        return ValidationReport(not any(r.severity == "Violation" for r in results), results)
    labels = _Labels(store)
    results = tuple(
        sorted(
            (
                ValidationResult(
                    focus_node=_term_text(f.focus),
                    focus_label=labels(f.focus),
                    path=f.path,
                    value=None if f.value is None else str(f.value),
                    message=f.message.value,
                    severity=_severity(f.shape.severity),
                    constraint_component=f.component,
                    source_shape=_term_text(f.shape.node),
                    source_constraint=_constraint_text(f.constraint),
                )
                for f in findings
            ),
            key=_sort_key,
        )
    )
    conforms = not any(result.severity == "Violation" for result in results)
    return ValidationReport(conforms, results)


def _term_text(term) -> str:
    import pyoxigraph

    return f"_:{term.value}" if isinstance(term, pyoxigraph.BlankNode) else term.value


def _constraint_text(term) -> str | None:
    import pyoxigraph

    return term.value if isinstance(term, pyoxigraph.NamedNode) else None


class _Labels:
    """The label shown beside a focus node: its English rdfs:label (the least one, if
    several), else any rdfs:label."""

    def __init__(self, store: pyoxigraph.Store):
        self.store = store
        self.cache: dict = {}

    def __call__(self, node) -> str | None:
        import pyoxigraph

        if node not in self.cache:
            label = pyoxigraph.NamedNode(RDFS + "label")
            labels = [
                q.object
                for q in self.store.quads_for_pattern(node, label, None)
                if isinstance(q.object, pyoxigraph.Literal)  # a label that is not is reported
            ]
            english = [term.value for term in labels if term.language == "en"]
            chosen = english or [term.value for term in labels]
            self.cache[node] = min(chosen) if chosen else None
        return self.cache[node]


def validate_with_pyshacl(project: Project, quads: Iterable[pyoxigraph.Quad]) -> ValidationReport:
    """The reference validator: pyshacl on rdflib (slow on large data; used where the shapes
    go beyond what `shacl_engine` covers, and to check that engine)."""
    import pyshacl

    from llmboom.dataset import Dataset

    shapes = to_rdflib_graph(_shapes_quads(project))
    ontology = to_rdflib_graph(Dataset(project).ontology())
    data = _query_caching_graph()
    for triple in to_rdflib_graph(quads):
        data.add(triple)
    # pyshacl's `ont_graph` mixes in only RDFS/OWL axioms; the shapes also read the
    # ontology's typing of properties by lbo: classes (`lbo:reportsTo a
    # lbo:SingleValuedProperty`), as the SPARQL engine and Jena see it in the data graph.
    import rdflib

    for triple in ontology.triples((None, rdflib.URIRef(RDF + "type"), None)):
        if str(triple[2]).startswith(LBO):
            data.add(triple)
    _, report_graph, _ = pyshacl.validate(
        data,
        shacl_graph=shapes,
        ont_graph=ontology,
        inference="none",
        advanced=True,
        inplace=True,  # `data` is ours: no need for pyshacl to copy it
        allow_warnings=True,
        do_owl_imports=False,
        js=False,
    )
    results = tuple(sorted(_results(report_graph, data), key=_sort_key))
    conforms = not any(result.severity == "Violation" for result in results)
    return ValidationReport(conforms, results)


_SHAPES_AND_ONTOLOGY: dict[tuple, tuple[list[pyoxigraph.Quad], list[pyoxigraph.Quad]]] = {}


def _shapes_and_ontology(
    project: Project,
) -> tuple[list[pyoxigraph.Quad], list[pyoxigraph.Quad]]:
    """The shapes and the ontology (in the default graph), read once per process while
    their files stay the same (name, size, modification time): a submission's check
    validates a small graph, where re-reading them was half the time."""
    files = [*project.shapes_files(), *project.ontology_files()]
    key: tuple = (project.root, project.base_iri)
    for path in files:
        try:
            stat = path.stat()
        except OSError:
            key += ((str(path), None),)
        else:
            key += ((str(path), stat.st_size, stat.st_mtime_ns),)
    cached = _SHAPES_AND_ONTOLOGY.get(key)
    if cached is None:
        if len(_SHAPES_AND_ONTOLOGY) >= 8:  # a long-lived server whose files change
            _SHAPES_AND_ONTOLOGY.clear()
        from llmboom.dataset import Dataset

        ontology = list(as_default_graph(Dataset(project).ontology()))
        cached = _SHAPES_AND_ONTOLOGY[key] = (_shapes_quads(project), ontology)
    return cached


def _shapes_quads(project: Project) -> list[pyoxigraph.Quad]:
    from llmboom.dataset import Dataset

    quads = Dataset(project).shapes()
    if not quads:
        raise ProjectError(f"{project.shapes_dir}: no SHACL shapes (*.ttl) found")
    if project.base_iri != LBR:
        quads = list(_rebase_literals(quads, project.base_iri))
    return quads


def _rebase_literals(quads: Iterable[pyoxigraph.Quad], base_iri: str) -> Iterable[pyoxigraph.Quad]:
    """Rewrite the canonical namespace inside literals: SPARQL text, `sh:namespace`, and
    `sh:pattern` (where it appears regex-escaped)."""
    import pyoxigraph

    for quad in quads:
        term = quad.object
        if isinstance(term, pyoxigraph.Literal) and LBR in term.value.replace("\\.", "."):
            text = term.value.replace(re.escape(LBR), re.escape(base_iri))
            text = text.replace(LBR, base_iri)
            term = pyoxigraph.Literal(text, datatype=term.datatype)
            quad = pyoxigraph.Quad(quad.subject, quad.predicate, term, quad.graph_name)
        yield quad


_PREPARED: dict[str, Any] = {}


def _query_caching_graph() -> rdflib.Graph:
    """An empty rdflib Graph that parses each SPARQL text once per process.

    pyshacl runs a SPARQL constraint once per focus node, as text; rdflib would parse it
    every time, which is most of the cost of validation. Prepared queries are reusable with
    different initial bindings.
    """
    return _query_caching_graph_class()()


def _cache_key(text: str) -> str:
    """The query with its leading PREFIX lines sorted: pyshacl declares the prefixes of
    `sh:declare` in an order that changes from run to run, the query stays the same."""
    lines = text.split("\n")
    count = 0
    while count < len(lines) and lines[count].startswith("PREFIX "):
        count += 1
    return "\n".join(sorted(lines[:count]) + lines[count:])


@cache
def _query_caching_graph_class() -> type:
    import rdflib
    from rdflib.plugins.sparql import prepareQuery

    class QueryCachingGraph(rdflib.Graph):
        def query(
            self,
            query_object,
            processor="sparql",
            result="sparql",
            initNs=None,
            initBindings=None,
            use_store_provided=True,
            **kwargs,
        ):
            if isinstance(query_object, str) and not initNs and processor == "sparql":
                key = _cache_key(query_object)
                prepared = _PREPARED.get(key)
                if prepared is None:
                    prepared = _PREPARED[key] = prepareQuery(query_object)
                query_object = prepared
            return super().query(
                query_object, processor, result, initNs, initBindings, use_store_provided, **kwargs
            )

    return QueryCachingGraph


def _results(report: rdflib.Graph, data: rdflib.Graph) -> Iterable[ValidationResult]:
    from rdflib import URIRef

    sh = SH
    for node in report.objects(None, URIRef(sh + "result")):

        def one(name: str, node=node):
            return report.value(node, URIRef(sh + name))

        focus = one("focusNode")
        severity = str(one("resultSeverity") or sh + "Violation")[len(sh) :]
        constraint = one("sourceConstraint")
        yield ValidationResult(
            focus_node=_plain(focus),
            focus_label=_label(data, focus),
            path=_path(report, one("resultPath")),
            value=_n3(one("value")),
            message=_message(report, node),
            severity=_severity(severity),
            constraint_component=_plain(one("sourceConstraintComponent")),
            source_shape=_plain(one("sourceShape")),
            source_constraint=_plain(constraint) if isinstance(constraint, URIRef) else None,
        )


def _plain(term) -> str:
    from rdflib import BNode

    if term is None:
        return ""
    return f"_:{term}" if isinstance(term, BNode) else str(term)


def _n3(term) -> str | None:
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return f"<{term}>"
    if isinstance(term, BNode):
        return f"_:{term}"
    assert isinstance(term, Literal)
    # N-Triples form, as pyoxigraph writes a value (rdflib's n3() uses triple quotes for a
    # value with a line break): both engines' reports then show a value the same way
    import pyoxigraph

    if term.language:
        return str(pyoxigraph.Literal(str(term), language=term.language))
    datatype = pyoxigraph.NamedNode(str(term.datatype)) if term.datatype else None
    return str(pyoxigraph.Literal(str(term), datatype=datatype))


def _path(report: rdflib.Graph, path) -> str | None:
    from rdflib import BNode, URIRef

    if path is None:
        return None
    if isinstance(path, URIRef):
        return str(path)
    if isinstance(path, BNode):
        inverse = report.value(path, URIRef(SH + "inversePath"))
        if isinstance(inverse, URIRef):
            return f"^<{inverse}>"
    return _plain(path)


def _severity(name: str) -> Severity:
    """A severity by its local name; one SHACL does not define counts as a violation."""
    return name if name in SEVERITIES else "Violation"


def _message(report: rdflib.Graph, node) -> str:
    from rdflib import URIRef

    messages = list(report.objects(node, URIRef(SH + "resultMessage")))
    english = [m for m in messages if getattr(m, "language", None) in ("en", None)]
    return str(next(iter(english or messages), ""))


def _label(data: rdflib.Graph, node) -> str | None:
    from rdflib import URIRef
    from rdflib.term import Identifier

    if node is None:
        return None
    labels = [o for o in data.objects(node, URIRef(RDFS + "label")) if isinstance(o, Identifier)]
    english = [label for label in labels if getattr(label, "language", None) == "en"]
    chosen = english or labels
    return str(min(chosen)) if chosen else None


def _sort_key(result: ValidationResult) -> tuple[str, ...]:
    return (
        result.focus_node,
        result.path or "",
        result.constraint_component,
        result.value or "",
        result.source_shape,
    )
