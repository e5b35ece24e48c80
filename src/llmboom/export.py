"""Writing the dataset in every RDF format of the format table, deterministically.

N-Triples and N-Quads are canonical: pyoxigraph writes the quads as N-Quads, and the lines
are de-duplicated and sorted (byte order), so the same set of quads gives the same bytes
whatever its order; `diff` and submission digests rest on that. Turtle, TriG and RDF/XML
follow the order of their input: each quad once, a subject's quads together where the
subject first occurs (TriG: the default graph first, then named graphs in IRI order). That
keeps an export within a small factor of pyoxigraph's own serialiser at millions of triples,
where a sort in Python would cost several times more. The same input (the files under
`data/`, read in name order) therefore gives the same bytes (SPEC: two builds of the same
input are byte-identical). Prefixes are declared in the order of `namespaces.PREFIXES`,
only those the output uses. JSON-LD is written by `llmboom.rdf.jsonld.compact` (canonical
order). Nothing here reads a clock or the disk, except `stream_dataset` (`export --stream`),
which skips the gathering: the quads are written as the files are parsed, in flat memory
(docs/publishing.md).

Blank nodes: published data has none (SPEC §2). If some are given, their labels come from
the parser, so the output is valid but not guaranteed byte-stable across parses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from itertools import chain
from typing import TYPE_CHECKING, Any, BinaryIO

from llmboom.errors import FormatError
from llmboom.namespaces import PREFIXES, prefixes_for
from llmboom.rdf.canonical import canonical_nquads, sorted_quads
from llmboom.rdf.formats import RdfFormat
from llmboom.rdf.gc_control import paused_gc

if TYPE_CHECKING:
    import pyoxigraph

    from llmboom.dataset import Dataset
    from llmboom.project import Project

__all__ = ["canonical_nquads", "serialize", "sorted_quads"]  # the first two live in canonical


#: `--view` values: everything, or the plain facts without statement records.
VIEWS: tuple[str, ...] = ("all", "truthy")


@paused_gc()
def serialize(
    quads: Iterable[pyoxigraph.Quad],
    fmt: RdfFormat,
    *,
    context: dict[str, Any] | None = None,
    prefixes: dict[str, str] | None = None,
) -> bytes:
    """The quads in format `fmt`: the same input gives the same bytes (see the module).

    Triple formats (turtle, nt, xml, and jsonld) drop graph names; nq and trig keep them.
    JSON-LD is compacted with `context` (from `llmboom.rdf.jsonld.build_context`) and embeds it;
    without one, a context of the project's prefixes only is used. `prefixes` defaults to
    `namespaces.PREFIXES`; a dict replaces it (its order is kept).
    """
    import pyoxigraph

    prefixes = dict(PREFIXES if prefixes is None else prefixes)
    if fmt.name == "jsonld":
        from llmboom.rdf.jsonld import compact, dump_json
        from llmboom.rdf.loading import as_default_graph

        if context is None:
            context = {"id": "@id", "type": "@type", **prefixes}
        return dump_json(compact(as_default_graph(quads), context))
    if fmt.name in ("nt", "nq"):
        return canonical_nquads(quads, keep_graphs=fmt.quads)
    if fmt.name not in ("turtle", "trig", "xml"):
        raise FormatError(f"cannot write RDF format {fmt.name!r}")
    unique = _grouped_by_subject(quads)
    if fmt.name == "trig":
        # one block per graph: the default graph first, then named graphs in IRI order
        unique.sort(key=lambda q: _graph_key(q.graph_name))
    try:
        body = pyoxigraph.serialize(unique, format=fmt.oxigraph_format, prefixes=prefixes)
    except ValueError:
        # quads in named graphs, for a triple format: merge them into one graph
        triples = list(dict.fromkeys(q.triple for q in unique))
        body = pyoxigraph.serialize(triples, format=fmt.oxigraph_format, prefixes=prefixes)
    assert body is not None  # given no output file, serialize returns the bytes
    if fmt.name == "xml":
        return _order_xml_namespaces(body, list(prefixes))
    return _order_prefix_lines(body, prefixes)


def _node_tree(quads: list[pyoxigraph.Quad], frame_name: str, project: Project, node: str) -> bytes:
    """The tree of one node (an IRI, `prefix:local`, or a slug of the resource namespace),
    framed from its neighbourhood (`framing.Frames`): the bytes `build` and `serve` publish
    as `id/<slug>.<frame>.jsonld`."""
    from llmboom.publication.graph_index import GraphIndex
    from llmboom.rdf.framing import Frames

    iri = node
    prefix, colon, local = node.partition(":")
    if not colon:
        iri = project.base_iri + node
    elif not local.startswith("//") and prefix in prefixes_for(project.base_iri):
        iri = prefixes_for(project.base_iri)[prefix] + local
    tree = Frames(project).tree(GraphIndex(quads), frame_name, iri)
    if tree is None:
        raise FormatError(f"{node}: no node with this IRI matches the frame {frame_name!r}")
    return tree


def _grouped_by_subject(quads: Iterable[pyoxigraph.Quad]) -> list[pyoxigraph.Quad]:
    """Each quad once, each subject's quads together: subjects in the order they first
    occur, a subject's quads in their input order."""
    groups: dict[Any, dict[pyoxigraph.Quad, None]] = {}
    get = groups.get
    for quad in quads:  # one pass: a subject's dict keeps each of its quads once, in order
        subject = quad.subject
        group = get(subject)
        if group is None:
            groups[subject] = {quad: None}
        else:
            group[quad] = None
    return list(chain.from_iterable(groups.values()))


def _graph_key(graph_name: Any) -> tuple[int, str]:
    import pyoxigraph

    if isinstance(graph_name, pyoxigraph.DefaultGraph):
        return (0, "")
    return (1, str(graph_name))


def _order_prefix_lines(body: bytes, prefixes: dict[str, str]) -> bytes:
    """Turtle/TriG with its `@prefix` header rewritten: the prefixes the body uses, in the
    order of `prefixes`."""
    start = 0
    while body.startswith(b"@prefix ", start):
        start = body.index(b"\n", start) + 1
    used = [p for p in prefixes if _uses_prefix(body, p.encode(), start)]
    header = b"".join(f"@prefix {p}: <{prefixes[p]}> .\n".encode() for p in used)
    if header and not body.startswith(b"\n", start):
        header += b"\n"
    return header + body[start:]


#: What precedes a prefixed name in pyoxigraph's Turtle/TriG (`^^` for datatypes) and
#: RDF/XML (`<p:` and `</p:` elements, ` p:` attributes).
_NAME_LEADS = frozenset(b" \t\n^</(")


def _uses_prefix(body: bytes, prefix: bytes, start: int = 0) -> bool:
    """Whether the prefixed name `prefix:…` occurs in `body` from `start` on. One scan per
    prefix; a literal that merely contains such text keeps a declaration that is unneeded."""
    name = prefix + b":"
    at = body.find(name, start)
    while at != -1:
        if at == start or body[at - 1] in _NAME_LEADS:
            return True
        at = body.find(name, at + 1)
    return False


_RDF_ROOT = re.compile(rb"<rdf:RDF((?:\s+xmlns:[A-Za-z0-9_.-]+=\"[^\"]*\")*)\s*>")
_XMLNS = re.compile(rb"xmlns:([A-Za-z0-9_.-]+)=\"([^\"]*)\"")


def _order_xml_namespaces(body: bytes, order: list[str]) -> bytes:
    """RDF/XML with the root element's namespace declarations in a fixed order."""
    match = _RDF_ROOT.search(body)
    if match is None:
        return body
    declared = {
        prefix: namespace
        for prefix, namespace in _XMLNS.findall(match.group(1))
        if prefix == b"rdf" or _uses_prefix(body, prefix, match.end())
    }
    rank = {p.encode(): i for i, p in enumerate(order)}
    names = sorted(declared, key=lambda p: (rank.get(p, len(rank)), p))
    attributes = b" ".join(b'xmlns:%s="%s"' % (p, declared[p]) for p in names)
    root = b"<rdf:RDF " + attributes + b">" if attributes else b"<rdf:RDF>"
    return body[: match.start()] + root + body[match.end() :]


@paused_gc()
def export_dataset(
    dataset: Dataset | Project,
    fmt: RdfFormat,
    *,
    view: str = "all",
    frame_name: str | None = None,
    node: str | None = None,
) -> bytes:
    """The dataset (a `Dataset`, or a project's, read from its files) in `fmt` (`view`
    "all" or "truthy"); with `frame_name`, the framed JSON-LD tree (optionally rooted at
    `node`) instead.

    Formats that carry graphs (TriG, N-Quads) keep them as `llmboom query` sees them: the
    data in the default graph, the ontology in its named graph `<ONTOLOGY_IRI>`."""
    from llmboom.dataset import Dataset
    from llmboom.rdf import framing, jsonld
    from llmboom.store import ONTOLOGY_GRAPH

    dataset = Dataset.of(dataset)
    project = dataset.project

    if frame_name is None and node is not None:
        raise FormatError("a root node only applies to a framed export; give a frame too")
    if frame_name is not None and fmt.name != "jsonld":
        raise FormatError(f"frames shape JSON-LD only; cannot frame {fmt.name}")
    if frame_name is not None:
        framing.load_frame(project, frame_name)  # an unknown frame fails before loading data
    quads = select_view(dataset.quads(), view)
    if frame_name is not None and node is not None:
        return _node_tree(quads, frame_name, project, node)
    if frame_name is not None:
        return jsonld.dump_json(framing.frame(quads, frame_name, project))
    context = jsonld.build_context(project) if fmt.name == "jsonld" else None
    if fmt.quads:
        quads = [*quads, *in_graph(dataset.ontology(), ONTOLOGY_GRAPH)]
    return serialize(quads, fmt, context=context, prefixes=prefixes_for(project.base_iri))


def stream_dataset(dataset: Dataset | Project, fmt: RdfFormat, output: BinaryIO) -> None:
    """Write the dataset (view "all") in `fmt` to `output` as its files are parsed, never
    holding its quads: memory stays flat and the time near pyoxigraph's own parse and write
    (`export --stream`). The same input still gives the same bytes, but the quads keep their
    input order: a subject met in two places gets two blocks (Turtle, TriG, RDF/XML), N-Triples
    and N-Quads are not sorted, a repeated triple is written again, and every prefix of the
    project is declared (in pyoxigraph's order). A file that does not parse stops the writing
    with `InputError`, after what came before it was written. Not for JSON-LD (it is
    compacted whole) or a snapshot."""
    import pyoxigraph

    from llmboom.dataset import Dataset
    from llmboom.store import ONTOLOGY_GRAPH

    dataset = Dataset.of(dataset)
    if fmt.name not in ("turtle", "trig", "nt", "nq", "xml"):
        raise FormatError(f"cannot stream {fmt.name}: it is written whole; leave out --stream")
    if dataset.as_of is not None:
        raise FormatError("a snapshot (--as-of) needs every fact at once; leave out --stream")
    quads: Iterable[pyoxigraph.Quad] = dataset.stream_quads()
    if fmt.quads:
        quads = chain(quads, in_graph(dataset.ontology(), ONTOLOGY_GRAPH))
    prefixes = prefixes_for(dataset.project.base_iri)
    pyoxigraph.serialize(quads, output, fmt.oxigraph_format, prefixes=prefixes)


def in_graph(quads: Iterable[pyoxigraph.Quad], graph: str) -> list[pyoxigraph.Quad]:
    """The quads moved into the named graph `graph`."""
    import pyoxigraph

    name = pyoxigraph.NamedNode(graph)
    return [pyoxigraph.Quad(q.subject, q.predicate, q.object, name) for q in quads]


def truthy(quads: Iterable[pyoxigraph.Quad]) -> list[pyoxigraph.Quad]:
    """The truthy view: per subject and property, only the facts with the best-ranked
    records among those whose validity overlaps (preferred over normal, deprecated never),
    without the statement records (`llmboom.history.snapshot`; docs/time-and-claims.md)."""
    from llmboom.history.snapshot import snapshot_quads

    return snapshot_quads(quads, (), None, "truthy")[0]


def select_view(quads: Iterable[pyoxigraph.Quad], view: str) -> list[pyoxigraph.Quad]:
    """The quads of an export view: `all` or `truthy`."""
    if view == "all":
        return list(quads)
    if view == "truthy":
        return truthy(quads)
    raise FormatError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
