"""Reading RDF files and assembling the dataset, the ontology and the shapes.

Parsing goes through pyoxigraph: it is fast, reports the line of a syntax error, and never
fetches anything (no remote JSON-LD contexts, no `owl:imports`, no remote base). rdflib graphs
are built from the parsed quads only where a library needs them (pyshacl).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING

from llmboom.errors import FormatError, InputError
from llmboom.namespaces import LBO, LBR, RDF, XSD
from llmboom.project import Project
from llmboom.rdf.formats import FORMATS, RdfFormat, by_path
from llmboom.rdf.gc_control import paused_gc
from llmboom.rdf.input_guard import guard_bytes, read_input

if TYPE_CHECKING:
    import pyoxigraph
    import rdflib


def parse_file(
    path: str | Path,
    fmt: RdfFormat | None = None,
    base_iri: str | None = None,
    *,
    limit: int | None = None,
    jsonld_context: dict | None = None,
) -> list[pyoxigraph.Quad]:
    """Parse one RDF file into quads; raise `InputError` naming the file and line on failure.

    `base_iri` resolves relative IRIs; it is never dereferenced. `limit` (bytes) refuses a
    larger file before it is read: pass `input_guard.max_input_bytes()` for untrusted input
    (it also turns on the nesting limit; `limit=None` is for the project's own files).
    `jsonld_context` (`jsonld.build_context(project)`) is what a JSON-LD file naming the
    project's published context (`namespaces.CONTEXT_URL`) is read with, instead of a fetch.
    """
    path = Path(path)
    fmt = fmt or _format_of(path)
    data = read_input(path, limit)
    return parse_bytes(data, fmt, str(path), base_iri, jsonld_context, nesting=limit is not None)


def parse_bytes(
    data: bytes,
    fmt: RdfFormat,
    name: str,
    base_iri: str | None = None,
    jsonld_context: dict | None = None,
    *,
    nesting: bool = True,
) -> list[pyoxigraph.Quad]:
    """Parse RDF held in memory; `name` is used in error messages.

    The input guard runs first: DOCTYPE/ENTITY in RDF/XML refused, a UTF-8 BOM removed,
    nesting deeper than `input_guard.MAX_NESTING` refused (unless `nesting` is false: the
    project's own files). With `jsonld_context`, JSON-LD naming the project's published
    context reads it locally.
    """
    import pyoxigraph

    data = _prepare(data, fmt, name, jsonld_context, nesting)
    try:
        return list(pyoxigraph.parse(data, fmt.oxigraph_format, base_iri=base_iri))
    except (SyntaxError, ValueError, UnicodeDecodeError, MemoryError) as error:
        raise _input_error(error, data, fmt, name, base_iri) from None


def load_file(
    store: pyoxigraph.Store,
    path: str | Path,
    *,
    to_graph: pyoxigraph.NamedNode | None = None,
    limit: int | None = None,
) -> None:
    """Parse one RDF file straight into `store`, the default graph or `to_graph`: the same
    guards (the nesting limit with a `limit`, as there) and the same errors as `parse_file`,
    but the parsing stays inside pyoxigraph
    (`Store.bulk_load`, no Python object per triple). A format with named graphs keeps
    them. On an error, part of the file may already be in `store`: load into a store that
    is thrown away then (as `EmbeddedStore` does)."""
    import pyoxigraph

    path = Path(path)
    fmt = _format_of(path)
    name = str(path)
    data = _prepare(read_input(path, limit), fmt, name, None, nesting=limit is not None)
    graph = to_graph if to_graph is not None else pyoxigraph.DefaultGraph()
    try:
        store.bulk_load(data, fmt.oxigraph_format, to_graph=graph)
    except (SyntaxError, ValueError, UnicodeDecodeError, MemoryError) as error:
        raise _input_error(error, data, fmt, name, None) from None


def _format_of(path: Path) -> RdfFormat:
    """The RDF format `path`'s suffix names; `InputError` naming the file otherwise."""
    try:
        return by_path(path)
    except FormatError as error:
        raise InputError(str(path), str(error).split(": ", 1)[-1]) from None


def _prepare(
    data: bytes, fmt: RdfFormat, name: str, jsonld_context: dict | None, nesting: bool
) -> bytes:
    """The input guard (`guard_bytes`), then the project's JSON-LD context made local."""
    data = guard_bytes(data, fmt, name, nesting=nesting)
    if fmt.name == "jsonld" and jsonld_context is not None:
        data = with_local_context(data, jsonld_context, name)
    return data


def _input_error(
    error: Exception, data: bytes, fmt: RdfFormat, name: str, base_iri: str | None
) -> InputError:
    """A parser's error as an `InputError` naming the file and, where known, the line."""
    if isinstance(error, SyntaxError):
        message = _syntax_message(error)
        if base_iri is None and "No scheme found" in message:
            message += " (a relative IRI, and no base IRI is set: write absolute IRIs or @base)"
        line = error.lineno
        if line is None and fmt.name == "xml":
            line = _xml_error_line(data) or _rdfxml_error_line(data, message)
        return InputError(name, message, line)
    if isinstance(error, MemoryError):  # pyoxigraph's buffer cap on one token (16 MB), or worse
        reason = _clean(str(error)) or "out of memory"
        return InputError(name, f"too large to parse: {reason}")
    return InputError(name, _clean(str(error)))


def read_rdf_files(path: str | Path, *, limit: int | None = None) -> list[pyoxigraph.Quad]:
    """The quads of an RDF file, or of every RDF file under a folder (by suffix, sorted).

    Files whose suffix is not in the format table are skipped; a folder without any RDF
    file, or a path that does not exist, is an `InputError`. `limit` applies to each file.
    """
    path = Path(path)
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and _is_rdf(p))
        if not files:
            suffixes = ", ".join(f.suffix for f in FORMATS)
            raise InputError(str(path), f"no RDF files ({suffixes}) in this folder")
        return [q for file in files for q in parse_file(file, limit=limit)]
    if not path.exists():
        raise InputError(str(path), "no such file or folder")
    return parse_file(path, limit=limit)


def _is_rdf(path: Path) -> bool:
    try:
        by_path(path)
    except FormatError:
        return False
    return True


def with_local_context(data: bytes, context: dict, name: str) -> bytes:
    """JSON-LD whose references to the project's published context (`namespaces.CONTEXT_URL`,
    `context.jsonld`) are replaced by `context` itself; other documents are left as they are
    (and a remote context is then refused by the parser, never fetched)."""
    import json

    from llmboom.namespaces import CONTEXT_ALIASES

    if not any(alias.encode() in data for alias in CONTEXT_ALIASES):
        return data
    try:
        document = json.loads(data)
    except (ValueError, UnicodeDecodeError) as error:
        line = getattr(error, "lineno", None)
        raise InputError(name, _clean(getattr(error, "msg", str(error))), line) from None

    def local(value):
        if isinstance(value, str):
            return context if value in CONTEXT_ALIASES else value
        if isinstance(value, list):
            return [local(item) for item in value]
        return value

    def walk(node):
        if isinstance(node, dict):
            return {k: local(v) if k == "@context" else walk(v) for k, v in node.items()}
        if isinstance(node, list):
            return [walk(item) for item in node]
        return node

    return json.dumps(walk(document), ensure_ascii=False).encode("utf-8")


def _xml_error_line(data: bytes) -> int | None:
    """The line of the first XML well-formedness error, found with expat (which resolves no
    external entities), for RDF/XML errors that pyoxigraph reports without a position."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        return error.lineno
    return None


def _rdfxml_error_line(data: bytes, message: str) -> int | None:
    """The line of the element an RDF/XML error (well-formed XML, wrong RDF) is about.

    pyoxigraph names the culprit but not its line: an element or attribute IRI
    (`Invalid property element tag name: <iri>`, `<iri> is not a valid attribute`), an
    attribute value (`333 is not a valid rdf:ID value`, `error while parsing IRI '#b'`), or
    two attributes (`Not both rdf:nodeID and rdf:resource …`). The first element, in
    document order, that carries one of them is taken (the root only if nothing else does).
    """
    from xml.parsers import expat

    tokens = set(re.findall(r"https?://[^\s<>'\"]+", message))
    quoted = re.findall(r"'([^']+)'", message)
    tokens |= {*quoted, *(token[1:] for token in quoted if token.startswith("#"))}
    tokens |= {RDF + name for name in re.findall(r"\brdf:(\w+)", message)}
    before = re.match(r"(\S+) is not a valid", message)
    if before:
        tokens.add(before.group(1))
    if not tokens:
        return None
    parser = expat.ParserCreate(namespace_separator="")
    found: list[tuple[int, int]] = []  # (depth, line)
    depth = 0

    def start(name: str, attributes: dict[str, str]) -> None:
        nonlocal depth
        depth += 1
        names = {name, *attributes, *attributes.values()}
        if names & tokens:
            found.append((depth, parser.CurrentLineNumber))

    def end(_name: str) -> None:
        nonlocal depth
        depth -= 1

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        return None
    inner = [line for depth, line in found if depth > 1]
    return next(iter(inner or [line for _, line in found]), None)


def _clean(message: str) -> str:
    message = message.replace("\n", " ").strip()
    if "LoadDocumentCallback" in message:
        return "remote JSON-LD @context is not fetched; inline the context in the document"
    return message


def _syntax_message(error: SyntaxError) -> str:
    message = _clean(error.msg or str(error))
    # pyoxigraph prefixes the position ("Parser error between line 3 column 11 and …: ");
    # the line is reported separately, so keep only the reason.
    if message.startswith("Parser error") and ": " in message:
        message = message.split(": ", 1)[1]
    return message


def rebase(quads: Iterable[pyoxigraph.Quad], base_iri: str) -> Iterator[pyoxigraph.Quad]:
    """Rewrite IRIs in the canonical resource namespace into `base_iri`."""
    import pyoxigraph

    if base_iri == LBR:
        yield from quads
        return

    def move(term):
        if isinstance(term, pyoxigraph.NamedNode) and term.value.startswith(LBR):
            return pyoxigraph.NamedNode(base_iri + term.value[len(LBR) :])
        return term

    for quad in quads:
        yield pyoxigraph.Quad(
            move(quad.subject), move(quad.predicate), move(quad.object), quad.graph_name
        )


def source_text_quads(project: Project) -> list[pyoxigraph.Quad]:
    """`lbr:<slug> lbo:fullText "…"@en` for every `data/sources/<slug>.txt`."""
    import pyoxigraph

    quads = []
    for slug, path in project.source_texts().items():
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise InputError(str(path), str(error)) from None
        quads.append(
            pyoxigraph.Quad(
                pyoxigraph.NamedNode(LBR + slug),
                pyoxigraph.NamedNode(LBO + "fullText"),
                pyoxigraph.Literal(text, language="en"),
            )
        )
    return quads


@paused_gc()
def load_data(project: Project) -> list[pyoxigraph.Quad]:
    """The dataset: every `data/*.ttl` file plus the texts of its sources."""
    quads: list[pyoxigraph.Quad] = []
    for path in project.data_files():
        quads.extend(parse_file(path))
    quads.extend(source_text_quads(project))
    if project.base_iri == LBR:
        return quads
    return list(rebase(quads, project.base_iri))


def iter_data(project: Project) -> Iterator[pyoxigraph.Quad]:
    """The quads of `load_data`, in the same order, yielded as they are parsed: one file's
    bytes are held at a time, never the quads. A file that does not parse raises
    `InputError` (naming it and the line) when the reading reaches it."""
    files = (quad for path in project.data_files() for quad in iter_file(path))
    yield from rebase(chain(files, source_text_quads(project)), project.base_iri)


def iter_file(path: Path) -> Iterator[pyoxigraph.Quad]:
    """The quads of one of the project's files (as `parse_file` reads them), one by one."""
    import pyoxigraph

    fmt = _format_of(path)
    name = str(path)
    data = _prepare(read_input(path, None), fmt, name, None, nesting=False)
    try:
        yield from pyoxigraph.parse(data, fmt.oxigraph_format)
    except (SyntaxError, ValueError, UnicodeDecodeError, MemoryError) as error:
        raise _input_error(error, data, fmt, name, None) from None


def load_data_into(store: pyoxigraph.Store, project: Project) -> None:
    """Add the dataset (what `load_data` returns) to `store`'s default graph. pyoxigraph
    parses the files itself (`load_file`), unless the project is rebased: its IRIs are then
    rewritten on their way in (`rebase`)."""
    if project.base_iri != LBR:
        store.bulk_extend(as_default_graph(load_data(project)))
        return
    for path in project.data_files():
        load_file(store, path)
    store.bulk_extend(source_text_quads(project))


def load_ontology_into(store: pyoxigraph.Store, project: Project, graph: str) -> None:
    """Add the ontology's triples (what `load_ontology` returns) to `store`'s named graph
    `graph`."""
    import pyoxigraph

    for path in project.ontology_files():
        load_file(store, path, to_graph=pyoxigraph.NamedNode(graph))


def load_ontology(project: Project) -> list[pyoxigraph.Quad]:
    """The ontology's triples."""
    return [q for path in project.ontology_files() for q in parse_file(path)]


def load_shapes(project: Project) -> list[pyoxigraph.Quad]:
    """The SHACL shapes' triples."""
    quads = [q for path in project.shapes_files() for q in parse_file(path)]
    return list(rebase(quads, project.base_iri))


def as_default_graph(quads: Iterable[pyoxigraph.Quad]) -> Iterator[pyoxigraph.Quad]:
    """The same triples, all in the default graph."""
    import pyoxigraph

    for quad in quads:
        if isinstance(quad.graph_name, pyoxigraph.DefaultGraph):
            yield quad
        else:
            yield pyoxigraph.Quad(quad.subject, quad.predicate, quad.object)


_XSD_STRING = XSD + "string"
_LANG_STRING = RDF + "langString"


def to_rdflib_term(term) -> rdflib.term.Node:
    """Convert one pyoxigraph term to its rdflib equivalent."""
    import pyoxigraph
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, pyoxigraph.NamedNode):
        return URIRef(term.value)
    if isinstance(term, pyoxigraph.BlankNode):
        return BNode(term.value)
    if isinstance(term, pyoxigraph.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        datatype = term.datatype.value
        if datatype == _XSD_STRING:
            return Literal(term.value)
        return Literal(term.value, datatype=URIRef(datatype))
    raise TypeError(f"unsupported RDF term {term!r}")


def to_rdflib_graph(quads: Iterable[pyoxigraph.Quad]) -> rdflib.Graph:
    """An rdflib graph holding the triples of `quads` (graph names are dropped)."""
    import rdflib

    graph = rdflib.Graph()
    convert = to_rdflib_term
    graph_add = graph.add
    for quad in quads:
        graph_add((convert(quad.subject), convert(quad.predicate), convert(quad.object)))
    return graph
