"""A bound on the work a JSON-LD document's contexts ask of a processor, checked before parsing.

A JSON-LD processor builds a new active context wherever a context applies. A context nested
in a term definition (property- or type-scoped) applies again at every node where that term
is used, so a few kilobytes of terms times a few thousand nodes cost minutes: a 700 KB
document kept pyoxigraph busy for 50-127 s at ~650 MB. `check_context_cost` measures the
parsed JSON, without a processor, and refuses (`InputTooLargeError`: the input is too costly,
as an oversized one is) a document with

- more than `MAX_CONTEXT_TERMS` term definitions in all its contexts together;
- scoped contexts nested more than `MAX_SCOPED_DEPTH` deep (a scoped context inside a scoped
  context …);
- more than `MAX_SCOPED_WORK` term definitions of scoped contexts times node objects (a
  bound on how often scoped terms may be processed again).

Ordinary data (the project's context, by name or inline, or any flat context) is far below
every limit: its scoped work is zero.
"""

from __future__ import annotations

from typing import Any, Final

from llmboom.errors import InputTooLargeError

#: Term definitions in all the contexts of one document (the project's context has ~80).
MAX_CONTEXT_TERMS: Final = 1000
#: Depth of scoped contexts nested in scoped contexts.
MAX_SCOPED_DEPTH: Final = 4
#: Term definitions in scoped contexts times node objects (~2.5 µs each in pyoxigraph).
MAX_SCOPED_WORK: Final = 100_000


def check_context_cost(document: Any, name: str) -> None:
    """Raise `InputTooLargeError` naming `name` when the document's contexts would cost a
    JSON-LD processor more than the limits allow (see the module's docstring)."""
    terms = scoped_terms = nodes = deepest = 0
    values: list[Any] = [document]  # node objects, arrays and values outside contexts
    contexts: list[tuple[Any, int]] = []  # context definitions with their nesting depth
    while values or contexts:
        while contexts:
            context, depth = contexts.pop()
            if isinstance(context, list):
                contexts.extend((item, depth) for item in context)
                continue
            if not isinstance(context, dict):
                continue  # a name (refused elsewhere unless the project's own) or null
            count = sum(not key.startswith("@") for key in context)
            terms += count
            if depth > 1:
                scoped_terms += count
                deepest = max(deepest, depth - 1)
            if terms > MAX_CONTEXT_TERMS:
                raise InputTooLargeError(
                    name,
                    f"JSON-LD contexts define more than {MAX_CONTEXT_TERMS} terms; "
                    "a submission needs a few (or the project's context by name)",
                )
            if deepest > MAX_SCOPED_DEPTH:
                raise InputTooLargeError(
                    name,
                    f"JSON-LD scoped contexts nested more than {MAX_SCOPED_DEPTH} deep; "
                    "define the terms in the top-level @context",
                )
            for definition in context.values():
                if isinstance(definition, dict) and "@context" in definition:
                    contexts.append((definition["@context"], depth + 1))
        if not values:
            break
        value = values.pop()
        if isinstance(value, list):
            values.extend(value)
        elif isinstance(value, dict):
            nodes += 1
            for key, child in value.items():
                if key == "@context":
                    contexts.append((child, 1))
                elif isinstance(child, dict | list):
                    values.append(child)
    if scoped_terms * nodes > MAX_SCOPED_WORK:
        raise InputTooLargeError(
            name,
            f"JSON-LD scoped contexts too costly to process: {scoped_terms} scoped term "
            f"definitions over {nodes} JSON objects (at most {MAX_SCOPED_WORK:,} of their "
            "product); define the terms in the top-level @context",
        )
