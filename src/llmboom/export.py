"""Writing the dataset in every RDF format of the format table, deterministically.

Quads are first put in canonical order: pyoxigraph writes them as N-Quads, the lines are
de-duplicated and sorted (byte order), and that text is the N-Triples/N-Quads output. Turtle,
TriG and RDF/XML are written by pyoxigraph from that sorted stream with the project's
prefixes, declared in the order of `namespaces.PREFIXES` (only those the output uses).
JSON-LD is written by `llmboom.jsonld.compact`. Nothing here reads a clock or the disk.

Blank nodes: published data has none (SPEC §2). If some are given, their labels come from
the parser, so the output is valid but not guaranteed byte-stable across parses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from llmboom.canonical import canonical_nquads, sorted_quads
from llmboom.errors import FormatError
from llmboom.formats import RdfFormat
from llmboom.namespaces import LBR, PREFIXES, RDF

if TYPE_CHECKING:
    import pyoxigraph

    from llmboom.project import Project

__all__ = ["canonical_nquads", "serialize", "sorted_quads"]  # the first two live in canonical

_STATEMENT = RDF + "Statement"
_RDF_TYPE = RDF + "type"

#: `--view` values: everything, or the plain facts without statement records.
VIEWS: tuple[str, ...] = ("all", "truthy")


def serialize(
    quads: Iterable[pyoxigraph.Quad],
    fmt: RdfFormat,
    *,
    context: dict[str, Any] | None = None,
    prefixes: dict[str, str] | None = None,
) -> bytes:
    """The quads in format `fmt`, byte-identical for the same set of quads.

    Triple formats (turtle, nt, xml, and jsonld) drop graph names; nq and trig keep them.
    JSON-LD is compacted with `context` (from `llmboom.jsonld.build_context`) and embeds it;
    without one, a context of the project's prefixes only is used. `prefixes` defaults to
    `namespaces.PREFIXES`; a dict replaces it (its order is kept).
    """
    import pyoxigraph

    prefixes = dict(PREFIXES if prefixes is None else prefixes)
    quads = list(quads)
    if fmt.name == "jsonld":
        from llmboom.jsonld import compact, dump_json
        from llmboom.loading import as_default_graph

        if context is None:
            context = {"id": "@id", "type": "@type", **prefixes}
        return dump_json(compact(as_default_graph(quads), context))
    text = canonical_nquads(quads, keep_graphs=fmt.quads)
    if fmt.name in ("nt", "nq"):
        return text
    ordered = list(pyoxigraph.parse(text, pyoxigraph.RdfFormat.N_QUADS))
    if fmt.name == "trig":
        # one block per graph: the default graph first, then named graphs in IRI order
        ordered.sort(key=lambda q: _graph_key(q.graph_name))
    if fmt.name in ("turtle", "xml"):
        ordered = [q.triple for q in ordered]
    if fmt.name not in ("turtle", "trig", "xml"):
        raise FormatError(f"cannot write RDF format {fmt.name!r}")
    used = _used_prefixes(text, prefixes)
    body = pyoxigraph.serialize(ordered, format=fmt.oxigraph_format, prefixes=used)
    if fmt.name == "xml":
        return _order_xml_namespaces(body, list(used))
    return _order_prefix_lines(body, used)


def _graph_key(graph_name: Any) -> tuple[int, str]:
    import pyoxigraph

    if isinstance(graph_name, pyoxigraph.DefaultGraph):
        return (0, "")
    return (1, str(graph_name))


def _used_prefixes(nquads: bytes, prefixes: dict[str, str]) -> dict[str, str]:
    """The prefixes whose namespace occurs in an IRI of the canonical text, in given order."""
    return {
        prefix: namespace
        for prefix, namespace in prefixes.items()
        if b"<" + namespace.encode("utf-8") in nquads
    }


def _order_prefix_lines(body: bytes, prefixes: dict[str, str]) -> bytes:
    """Turtle/TriG with its `@prefix` header rewritten in the order of `prefixes`."""
    lines = body.split(b"\n")
    start = 0
    while start < len(lines) and lines[start].startswith(b"@prefix "):
        start += 1
    header = [f"@prefix {p}: <{ns}> .".encode() for p, ns in prefixes.items()]
    if len(header) != start:
        # pyoxigraph declared a different set than asked for: keep its header, sorted
        header = sorted(lines[:start])
    rest = lines[start:]
    separator = [b""] if header and rest and rest[0] else []
    return b"\n".join(header + separator + rest)


_RDF_ROOT = re.compile(rb"<rdf:RDF((?:\s+xmlns:[A-Za-z0-9_.-]+=\"[^\"]*\")*)\s*>")
_XMLNS = re.compile(rb"xmlns:([A-Za-z0-9_.-]+)=\"([^\"]*)\"")


def _order_xml_namespaces(body: bytes, order: list[str]) -> bytes:
    """RDF/XML with the root element's namespace declarations in a fixed order."""
    match = _RDF_ROOT.search(body)
    if match is None:
        return body
    declared = dict(_XMLNS.findall(match.group(1)))
    rank = {p.encode(): i for i, p in enumerate(order)}
    names = sorted(declared, key=lambda p: (rank.get(p, len(rank)), p))
    attributes = b" ".join(b'xmlns:%s="%s"' % (p, declared[p]) for p in names)
    root = b"<rdf:RDF " + attributes + b">" if attributes else b"<rdf:RDF>"
    return body[: match.start()] + root + body[match.end() :]


def export_dataset(
    project: Project,
    fmt: RdfFormat,
    *,
    view: str = "all",
    frame_name: str | None = None,
    node: str | None = None,
) -> bytes:
    """The project's dataset in `fmt` (`view` "all" or "truthy"); with `frame_name`,
    the framed JSON-LD tree (optionally rooted at `node`) instead.

    Formats that carry graphs (TriG, N-Quads) keep them as `llmboom query` sees them: the
    data in the default graph, the ontology in its named graph `<ONTOLOGY_IRI>`."""
    from llmboom import framing, jsonld
    from llmboom.loading import ONTOLOGY_GRAPH, load_data, load_ontology

    if frame_name is None and node is not None:
        raise FormatError("a root node only applies to a framed export; give a frame too")
    if frame_name is not None and fmt.name != "jsonld":
        raise FormatError(f"frames shape JSON-LD only; cannot frame {fmt.name}")
    if frame_name is not None:
        framing.load_frame(project, frame_name)  # an unknown frame fails before loading data
    quads = select_view(load_data(project), view)
    if frame_name is not None:
        return jsonld.dump_json(framing.frame(quads, frame_name, project, node=node))
    context = jsonld.build_context(project) if fmt.name == "jsonld" else None
    if fmt.quads:
        quads = [*quads, *in_graph(load_ontology(project), ONTOLOGY_GRAPH)]
    return serialize(quads, fmt, context=context, prefixes=prefixes_for(project.base_iri))


def in_graph(quads: Iterable[pyoxigraph.Quad], graph: str) -> list[pyoxigraph.Quad]:
    """The quads moved into the named graph `graph`."""
    import pyoxigraph

    name = pyoxigraph.NamedNode(graph)
    return [pyoxigraph.Quad(q.subject, q.predicate, q.object, name) for q in quads]


def prefixes_for(base_iri: str = LBR) -> dict[str, str]:
    """The project's prefixes, with `lbr:` bound to the (possibly rebased) resource IRI."""
    return {p: (base_iri if p == "lbr" else ns) for p, ns in PREFIXES.items()}


def truthy(quads: Iterable[pyoxigraph.Quad]) -> list[pyoxigraph.Quad]:
    """The plain facts: every quad except statement records and the quads about them.

    A statement record is any node typed `rdf:Statement`; its own quads (subject, quote,
    source, attribution, notes) and any quad pointing at it are dropped.
    """
    quads = list(quads)
    records = {
        q.subject for q in quads if q.predicate.value == _RDF_TYPE and q.object.value == _STATEMENT
    }
    return [q for q in quads if q.subject not in records and q.object not in records]


def select_view(quads: Iterable[pyoxigraph.Quad], view: str) -> list[pyoxigraph.Quad]:
    """The quads of an export view: `all` or `truthy`."""
    if view == "all":
        return list(quads)
    if view == "truthy":
        return truthy(quads)
    raise FormatError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
