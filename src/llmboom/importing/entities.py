"""Names in a table → resources of the dataset: matched by slug, label or alternative label
among the resources of a class, else minted with a slug derived from the name.

Matching is deterministic: the same table against the same dataset gives the same IRIs, and
a resource minted by an earlier import is found again by its slug and label.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

from llmboom.namespaces import RDF, RDFS, SKOS
from llmboom.rdf.terms import term_value

if TYPE_CHECKING:
    import pyoxigraph

#: Trailing words of company names that do not tell two organizations apart.
_LEGAL_SUFFIXES: Final = {"inc", "ltd", "co", "corp", "corporation", "limited", "llc", "plc"}
_SUBCLASS = RDFS + "subClassOf"


def slugify(name: str) -> str:
    """`"Qwen3.5 397B-A17B"` → `qwen3-5-397b-a17b`; empty when the name has no Latin letters
    or digits (a caller then falls back to a hash)."""
    ascii_text = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    return "-".join(re.findall(r"[a-z0-9]+", ascii_text.lower()))


def name_keys(name: str, loose: bool) -> list[str]:
    """The keys a name is matched by: the name itself (case-folded, spaces collapsed) and,
    when `loose`, its parts ("Z.ai (Zhipu AI)" → "z.ai", "zhipu ai"; "X / Y" → x, y) without
    legal suffixes ("Meituan Inc" → "meituan")."""
    base = " ".join(name.casefold().split())
    keys = [base]
    if loose:
        parts = [base]
        inner = re.findall(r"\(([^()]*)\)", base)
        outer = re.sub(r"\([^()]*\)", " ", base)
        parts += [outer, *inner]
        parts += [piece for part in list(parts) for piece in part.split(" / ")]
        for part in parts:
            words = re.findall(r"[\w.&'-]+", part)
            while words and words[-1].strip(".") in _LEGAL_SUFFIXES:
                words.pop()
            key = " ".join(words).strip(" .")
            if key and key not in keys:
                keys.append(key)
    return keys


@dataclass
class Resolved:
    """A name's resource, and whether this import mints it."""

    iri: str
    minted: bool


@dataclass
class EntityIndex:
    """The dataset's resources of each class, by slug and by name keys."""

    base_iri: str
    types: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))
    names: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    subclasses: dict[str, set[str]] = field(default_factory=dict)
    taken: set[str] = field(default_factory=set)  #: every lbr: IRI in use
    minted: dict[tuple[str, str], str] = field(default_factory=dict)  #: (class, name) → IRI

    @classmethod
    def of(cls, quads: list[pyoxigraph.Quad], ontology: list[pyoxigraph.Quad], base_iri: str):
        import pyoxigraph

        index = cls(base_iri)
        parents: dict[str, set[str]] = defaultdict(set)
        for quad in ontology:
            if quad.predicate.value == _SUBCLASS and isinstance(quad.object, pyoxigraph.NamedNode):
                parents[term_value(quad.subject)].add(quad.object.value)
        index.subclasses = _descendants(parents)
        for quad in quads:
            subject = quad.subject
            if not isinstance(subject, pyoxigraph.NamedNode):
                continue
            if subject.value.startswith(base_iri):
                index.taken.add(subject.value)
            predicate = quad.predicate.value
            if predicate == RDF + "type" and isinstance(quad.object, pyoxigraph.NamedNode):
                index.types[subject.value].add(quad.object.value)
            elif predicate in (RDFS + "label", SKOS + "altLabel"):
                for key in name_keys(term_value(quad.object), loose=True):
                    if subject.value not in index.names[key]:
                        index.names[key].append(subject.value)
        return index

    def is_a(self, iri: str, cls: str) -> bool:
        wanted = self.subclasses.get(cls, set()) | {cls}
        return bool(self.types.get(iri, set()) & wanted)

    def resolve(self, name: str, match_class: str, loose: bool) -> Resolved:
        """The resource `name` stands for among those of `match_class`, else a new IRI."""
        if (match_class, name) in self.minted:
            return Resolved(self.minted[(match_class, name)], False)
        slug = slugify(name) or "x-" + _digest(name)
        own = self.base_iri + slug
        if own in self.taken and self.is_a(own, match_class) and self._named(own, name, loose):
            return Resolved(own, False)
        for key in name_keys(name, loose):
            found = sorted(i for i in self.names.get(key, []) if self.is_a(i, match_class))
            if found:
                return Resolved(found[0], False)
        iri = own if own not in self.taken else f"{own}-{_digest(name)}"
        self.taken.add(iri)
        self.types[iri].add(match_class)
        for key in name_keys(name, loose):
            self.names[key].append(iri)
        self.minted[(match_class, name)] = iri
        return Resolved(iri, True)

    def _named(self, iri: str, name: str, loose: bool) -> bool:
        return any(iri in self.names.get(key, []) for key in name_keys(name, loose))


def _digest(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]


def _descendants(parents: dict[str, set[str]]) -> dict[str, set[str]]:
    children: dict[str, set[str]] = defaultdict(set)
    for child, ups in parents.items():
        for up in ups:
            children[up].add(child)
    result: dict[str, set[str]] = {}
    for cls in list(children):
        seen: set[str] = set()
        stack = [cls]
        while stack:
            for child in children.get(stack.pop(), ()):
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        result[cls] = seen
    return result
