"""A bound on the work a JSON-LD document's contexts ask of a processor, checked before parsing.

A JSON-LD processor builds a new active context wherever a context applies, copying the one
in force. A context nested in a term definition (property- or type-scoped) applies again at
every value of that property or node of that type, so a few kilobytes of terms times a few
thousand nodes cost minutes: a 700 KB document kept pyoxigraph busy for 50-127 s at ~650 MB.
`check_context_cost` estimates that work on the parsed JSON, without a processor (an upper
bound: every application of a context costs its entries times the size of the active context,
plus its terms; a context named by IRI, the project's read locally, counts as
`NAMED_CONTEXT_TERMS` terms), and refuses (`InputTooLargeError`: too costly, as an oversized
input is) a document with

- more than `MAX_CONTEXT_TERMS` term definitions written in all its contexts together;
- scoped contexts nested more than `MAX_SCOPED_DEPTH` deep;
- more than `MAX_CONTEXT_WORK` units of that estimate (about 0.2-2.5 µs each in pyoxigraph:
  1.2 s at most).

Ordinary data is far below every limit: the project's context, by name or inline, on one
node or on each of a thousand; a flat context; a small scoped context on a few hundred nodes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Final

from llmboom.errors import InputTooLargeError

#: Term definitions in all the contexts of one document (the project's context has ~80).
MAX_CONTEXT_TERMS: Final = 10_000
#: What a context named by IRI counts for (the project's context, substituted locally).
NAMED_CONTEXT_TERMS: Final = 100
#: Depth of scoped contexts nested in scoped contexts.
MAX_SCOPED_DEPTH: Final = 4
#: Units of estimated work (a term definition made or copied into a new active context).
MAX_CONTEXT_WORK: Final = 500_000

_ADVICE: Final = "define the terms once, in the top-level @context"


@dataclass
class _Contexts:
    """What the document's context definitions hold."""

    terms: int = 0
    #: term name -> (entries, terms) of its scoped context, the largest if defined twice
    scoped: dict[str, tuple[int, int]] = field(default_factory=dict)


def check_context_cost(document: Any, name: str) -> None:
    """Raise `InputTooLargeError` naming `name` when the document's contexts would cost a
    JSON-LD processor more than the limits allow (see the module's docstring)."""
    contexts = _Contexts()
    for context in _node_contexts(document):
        _measure(context, 1, contexts, name)
    work = 0
    pending: list[tuple[Any, int]] = [(document, 0)]  # values with their active context size
    while pending:
        value, active = pending.pop()
        if isinstance(value, list):
            pending.extend((item, active) for item in value)
            continue
        if not isinstance(value, dict):
            continue
        if "@context" in value:
            entries, terms = _size(value["@context"])
            work += entries * (active + 1) + terms
            active += terms
        for key, child in value.items():
            if key == "@context":
                continue
            child_active = active
            for trigger in (key, *_strings(child)):  # a property, or a type (any alias)
                if trigger in contexts.scoped:
                    entries, terms = contexts.scoped[trigger]
                    uses = len(child) if isinstance(child, list) else 1
                    work += uses * (entries * (active + 1) + terms)
                    child_active += terms
            if isinstance(child, dict | list):
                pending.append((child, child_active))
        if work > MAX_CONTEXT_WORK:
            raise InputTooLargeError(
                name,
                f"JSON-LD contexts too costly to process (scoped or repeated contexts over "
                f"many nodes: more than {MAX_CONTEXT_WORK:,} term definitions to make); " + _ADVICE,
            )


def _node_contexts(document: Any) -> list[Any]:
    """The value of every `@context` key outside context definitions."""
    found, pending = [], [document]
    while pending:
        value = pending.pop()
        if isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, dict):
            for key, child in value.items():
                if key == "@context":
                    found.append(child)
                elif isinstance(child, dict | list):
                    pending.append(child)
    return found


def _measure(context: Any, depth: int, contexts: _Contexts, name: str) -> None:
    """Add a context definition (and the scoped ones in its terms) to `contexts`."""
    pending = [(context, depth)]
    while pending:
        context, depth = pending.pop()
        contexts.terms += _size(context, named=0)[1]  # definitions written inline only
        if contexts.terms > MAX_CONTEXT_TERMS:
            raise InputTooLargeError(
                name, f"JSON-LD contexts define more than {MAX_CONTEXT_TERMS:,} terms; " + _ADVICE
            )
        if depth - 1 > MAX_SCOPED_DEPTH:
            raise InputTooLargeError(
                name,
                f"JSON-LD scoped contexts nested more than {MAX_SCOPED_DEPTH} deep; " + _ADVICE,
            )
        for item in context if isinstance(context, list) else [context]:
            if not isinstance(item, dict):
                continue
            for term, definition in item.items():
                if isinstance(definition, dict) and "@context" in definition:
                    scoped = definition["@context"]
                    contexts.scoped[term] = max(contexts.scoped.get(term, (0, 0)), _size(scoped))
                    pending.append((scoped, depth + 1))


def _size(context: Any, named: int = NAMED_CONTEXT_TERMS) -> tuple[int, int]:
    """(entries, terms) of a context value: a definition, a name (`named` terms), null, or a
    list of them."""
    items = context if isinstance(context, list) else [context]
    terms = 0
    for item in items:
        if isinstance(item, dict):
            terms += sum(not key.startswith("@") for key in item)
        elif isinstance(item, str):
            terms += named
    return max(1, len(items)), terms


def _strings(value: Any) -> list[str]:
    """The strings of a value or of a list of values (candidate type names)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, str)]
    return []
