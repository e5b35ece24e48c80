"""Framing the dataset into JSON-LD trees with the frames shipped in `frames/`.

PyLD (a maintained JSON-LD 1.1 processor) does the framing. It never touches the network
here: references to the published context are replaced by the context object, and the
document loader serves nothing else. Framing input is small (PyLD's `from_rdf` grows worse
than linearly, so the expanded document is written here directly).
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from llmboom.errors import FormatError, InputError
from llmboom.namespaces import CONTEXT_ALIASES, CONTEXT_URL, RDF_TYPE, XSD
from llmboom.rdf.canonical import sorted_quads
from llmboom.rdf.jsonld import Compactor, build_context, node_ref

if TYPE_CHECKING:
    import pyoxigraph

    from llmboom.project import Project
    from llmboom.publication.page_index import PageIndex


_XSD_STRING = XSD + "string"
_XSD_BOOLEAN = XSD + "boolean"


class RemoteDocumentError(FormatError):
    """A frame or context asked for a document that is not shipped with the project."""


def available_frames(project: Project) -> list[str]:
    """The names of the frames shipped with the project (`frames/<name>.jsonld`)."""
    return sorted(p.stem for p in project.frames_dir.glob("*.jsonld"))


def load_frame(project: Project, name: str) -> dict[str, Any]:
    """The frame `frames/<name>.jsonld`; raise `FormatError` listing the frames if unknown."""
    names = available_frames(project)
    if name not in names:
        choices = ", ".join(names) or "none"
        raise FormatError(f"unknown frame {name!r}; choose one of: {choices}")
    path = project.frames_dir / f"{name}.jsonld"
    return _read_json(path)


def _read_json(path: Path) -> dict[str, Any]:
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(str(path), error.strerror or str(error)) from None
    except json.JSONDecodeError as error:
        raise InputError(str(path), error.msg, error.lineno) from None
    if not isinstance(document, dict):
        raise InputError(str(path), "a frame must be a JSON object")
    return document


def expanded(quads: Iterable[pyoxigraph.Quad]) -> list[dict[str, Any]]:
    """The triples of `quads` in expanded JSON-LD (graph names are dropped), sorted."""
    nodes: dict[str, dict[str, Any]] = {}
    for quad in sorted_quads(quads):
        ref = node_ref(quad.subject)
        node = nodes.setdefault(ref, {"@id": ref})
        predicate, obj = quad.predicate.value, quad.object
        kind = type(obj).__name__
        if predicate == RDF_TYPE and kind != "Literal":
            node.setdefault("@type", []).append(node_ref(obj))
            continue
        if kind != "Literal":
            value: dict[str, Any] = {"@id": node_ref(obj)}
        elif obj.language:
            value = {"@value": obj.value, "@language": obj.language}
        elif obj.datatype.value == _XSD_STRING:
            value = {"@value": obj.value}
        elif obj.datatype.value == _XSD_BOOLEAN and obj.value in ("true", "false"):
            value = {"@value": obj.value == "true"}
        else:
            value = {"@value": obj.value, "@type": obj.datatype.value}
        node.setdefault(predicate, []).append(value)
    return [nodes[ref] for ref in sorted(nodes)]


def frame(
    quads: Iterable[pyoxigraph.Quad],
    frame_name: str,
    project: Project,
    *,
    node: str | None = None,
) -> dict[str, Any]:
    """Shape `quads` into a tree with the frame `frames/<frame_name>.jsonld` (JSON-LD 1.1).

    `node` (an IRI, `prefix:local`, or a bare slug in the resource namespace) restricts the
    top level to that one node. The result
    embeds its context, always has a top-level `@graph`, and is deterministic.
    """
    frame_document = load_frame(project, frame_name)
    context = build_context(project)
    frame_document["@context"] = _inline_context(frame_document.get("@context"), context)
    if node is not None:
        frame_document["@id"] = node if ":" in node else project.base_iri + node
    framed = frame_with(quads, frame_document, context, name=frame_name)
    if node is not None and not framed.get("@graph"):
        raise FormatError(f"{node}: no node with this IRI matches the frame {frame_name!r}")
    return framed


class Frames:
    """The project's frames, ready to frame one node at a time: a node's tree is what
    `frame(every quad, name, project, node=iri)` gives (`llmboom export --frame NAME --node
    IRI`), framed from the node's neighbourhood only, so its cost does not grow with the
    dataset. `build` writes the trees as `id/<slug>.<frame>.jsonld`; the server answers the
    same path with the same bytes."""

    def __init__(self, project: Project) -> None:
        self.context = build_context(project)
        self.documents: dict[str, dict[str, Any]] = {}
        for name in available_frames(project):
            document = load_frame(project, name)
            document["@context"] = _inline_context(document.get("@context"), self.context)
            self.documents[name] = document
        self.types = {name: framed_types(d) for name, d in self.documents.items()}

    def matching(self, index: PageIndex, iri: str) -> list[str]:
        """The frames whose top level matches `iri` (by its asserted types), by name."""
        types = {value.value for value in index.values(iri, RDF_TYPE)}
        return [name for name, wanted in self.types.items() if wanted & types]

    def tree(self, index: PageIndex, name: str, iri: str) -> bytes | None:
        """The JSON-LD tree of `iri` with frame `name`, serialised as `export` writes it;
        None when the node's types do not match the frame's."""
        if name not in self.matching(index, iri):
            return None
        import copy

        from llmboom.rdf.jsonld import dump_json

        document = copy.deepcopy(self.documents[name])
        document["@id"] = iri
        quads = neighbourhood(index, iri, document)
        framed = frame_with(quads, document, self.context, name=name)
        return dump_json(framed) if framed.get("@graph") else None


def neighbourhood(
    index: PageIndex, root: str, frame_document: dict[str, Any]
) -> list[pyoxigraph.Quad]:
    """Every triple that framing `root` with `frame_document` can put in its tree: the
    triples of each node reached by walking the frame along the data. A property the frame
    names is followed forward, or backward for a `@reverse` term, into its sub-frame; the
    other properties of a node (unless the frame is `@explicit`) are followed forward only,
    as framing embeds their values with the default frame. Framing these triples gives the
    tree that framing the whole dataset gives, as long as the data has no blank nodes
    (submissions refuse them); tests/test_framing.py checks it for every node."""
    import pyoxigraph

    terms = _FrameTerms(frame_document)
    triples: list[pyoxigraph.Triple] = []
    listed: set[str] = set()  # nodes whose triples are in `triples`
    walked: set[tuple[str, int]] = set()  # (node, id of the frame it was walked with)
    stack: list[tuple[str, Any]] = [(root, frame_document)]
    while stack:
        iri, frame_part = stack.pop()
        if (iri, id(frame_part)) in walked:
            continue
        walked.add((iri, id(frame_part)))
        outgoing = index.outgoing(iri)
        if iri not in listed:
            listed.add(iri)
            triples.extend(outgoing)
        framed = frame_part if isinstance(frame_part, dict) else {}
        forward: dict[str, Any] = {}
        for key, sub in framed.items():
            if key.startswith("@"):
                continue
            reverse = terms.reverse_of(key)
            sub = sub[0] if isinstance(sub, list) and sub else sub
            if reverse is not None:
                for triple in index.incoming(iri):
                    if triple.predicate.value == reverse and isinstance(
                        triple.subject, pyoxigraph.NamedNode
                    ):
                        stack.append((triple.subject.value, sub))
            else:
                forward[terms.expand(key)] = sub
        explicit = framed.get("@explicit") is True
        for triple in outgoing:
            value = triple.object
            if not isinstance(value, pyoxigraph.NamedNode):
                continue
            if triple.predicate.value in forward:
                stack.append((value.value, forward[triple.predicate.value]))
            elif not explicit:
                stack.append((value.value, None))
    return [pyoxigraph.Quad(t.subject, t.predicate, t.object) for t in triples]


def framed_types(frame_document: dict[str, Any]) -> frozenset[str]:
    """The IRIs of the types a frame's top level matches (its `@type`, expanded)."""
    terms = _FrameTerms(frame_document)
    types = frame_document.get("@type", [])
    return frozenset(terms.expand(name) for name in ([types] if isinstance(types, str) else types))


class _FrameTerms:
    """The term definitions and prefixes of a frame's contexts (the published context
    inlined), enough to expand the names a frame uses."""

    def __init__(self, frame_document: dict[str, Any]) -> None:
        self.contexts: list[dict[str, Any]] = []
        self._collect(frame_document)
        self.terms: dict[str, str] = {}
        self.vocab = ""
        for context in self.contexts:
            if isinstance(context.get("@vocab"), str):
                self.vocab = context["@vocab"]
            for term, definition in context.items():
                if isinstance(definition, str):
                    self.terms[term] = definition
                elif isinstance(definition, dict) and isinstance(definition.get("@id"), str):
                    self.terms[term] = definition["@id"]

    def _collect(self, value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key == "@context":
                    items = item if isinstance(item, list) else [item]
                    self.contexts.extend(c for c in items if isinstance(c, dict))
                self._collect(item)
        elif isinstance(value, list):
            for item in value:
                self._collect(item)

    def reverse_of(self, term: str) -> str | None:
        """The property IRI of a `@reverse` term, or None for any other key."""
        for context in reversed(self.contexts):
            definition = context.get(term)
            if isinstance(definition, dict) and isinstance(definition.get("@reverse"), str):
                return self.expand(definition["@reverse"])
            if definition is not None:
                return None
        return None

    def expand(self, name: str, depth: int = 0) -> str:
        if depth > 8:
            return name
        if name in self.terms and self.terms[name] != name:
            return self.expand(self.terms[name], depth + 1)
        prefix, colon, local = name.partition(":")
        if colon and not local.startswith("//") and prefix in self.terms:
            return self.expand(self.terms[prefix], depth + 1) + local
        if not colon and not name.startswith("@") and self.vocab:
            return self.expand(self.vocab, depth + 1) + name
        return name


def frame_with(
    quads: Iterable[pyoxigraph.Quad],
    frame_document: dict[str, Any],
    context: dict[str, Any],
    name: str = "frame",
) -> dict[str, Any]:
    """Frame `quads` with a frame given as a JSON object.

    References to the published context (`CONTEXT_URL`, `context.jsonld`) resolve to
    `context`; any other remote document is refused with `RemoteDocumentError`.
    """
    from cachetools import LRUCache
    from pyld import jsonld as pyld_jsonld
    from pyld.context_resolver import ContextResolver

    loader = LocalDocumentLoader(context)
    options = {
        "documentLoader": loader,
        # a private cache: PyLD's global one would keep a context across projects
        "contextResolver": ContextResolver(LRUCache(maxsize=8), loader),
        "omitGraph": False,
        "omitDefault": True,
        "processingMode": "json-ld-1.1",
    }
    try:
        framed = pyld_jsonld.frame(expanded(quads), frame_document, options)
    except pyld_jsonld.JsonLdError as error:
        cause: BaseException | None = error
        while cause is not None:
            if isinstance(cause, RemoteDocumentError):
                raise RemoteDocumentError(f"frame {name}: {cause}") from None
            cause = cause.__cause__ or cause.__context__
        raise FormatError(f"frame {name}: {_jsonld_message(error)}") from None
    return _readable_order(framed, Compactor(context))


def _readable_order(value: Any, compactor: Compactor) -> Any:
    """Keys in reading order: `@` keywords, id, type, label, then the rest by name."""
    if isinstance(value, list):
        return [_readable_order(item, compactor) for item in value]
    if not isinstance(value, dict):
        return value
    first = [compactor.id_key, compactor.type_key, "label"]

    def rank(key: str) -> tuple[int, str]:
        if key == "@context":
            return (0, "")
        if key in first:
            return (2, str(first.index(key)))
        return (1 if key.startswith("@") and key != "@graph" else 3, key)

    ordered = {}
    for key in sorted(value, key=rank):
        ordered[key] = value[key] if key == "@context" else _readable_order(value[key], compactor)
    return ordered


class LocalDocumentLoader:
    """PyLD's document loader: serves the project's context and never fetches anything."""

    def __init__(self, context: dict[str, Any]) -> None:
        self.context = context

    def __call__(self, url: str, options: dict | None = None) -> dict[str, Any]:
        if url in CONTEXT_ALIASES:
            return {
                "contextUrl": None,
                "documentUrl": CONTEXT_URL,
                "contentType": "application/ld+json",
                "document": {"@context": self.context},
            }
        raise RemoteDocumentError(
            f"refusing to load {url}: only the project's own context ({CONTEXT_URL}) is "
            "available; llmboom never fetches documents from the network"
        )


def _jsonld_message(error: Exception) -> str:
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    return message.removeprefix("('").strip()


def _inline_context(value: Any, context: dict[str, Any]) -> Any:
    """Replace references to the published context by the context object itself."""
    if value is None:
        return context
    if isinstance(value, str):
        return context if value in CONTEXT_ALIASES else value
    if isinstance(value, list):
        return [_inline_context(item, context) for item in value]
    return value
