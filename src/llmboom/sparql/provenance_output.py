"""Rendering a SELECT answer with its provenance (`answer_provenance`).

- `json`: SPARQL 1.1 Query Results JSON whose every row (binding object) has one more key,
  `@provenance` (a name no SPARQL variable can have), holding the row's supports and notes;
- `table`: the aligned table with a `sources` column of footnote numbers, then the
  footnotes: each used triple, the statement records behind it (source, date, quote or
  summary, attribution, anonymous or not), or why it has none.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Final

from llmboom.cli.terminal import safe_line
from llmboom.errors import FormatError
from llmboom.namespaces import shorten

if TYPE_CHECKING:
    from llmboom.sparql.answer_provenance import Record, RowProvenance, Support
    from llmboom.sparql.run import QueryResult

#: The formats that can carry provenance.
PROVENANCE_FORMATS: Final = ("table", "json")
#: The key of a results row that holds its provenance.
PROVENANCE_KEY: Final = "@provenance"
ONLY_ANONYMOUS: Final = "only anonymous sources"


def render(result: QueryResult, provenance: Sequence[RowProvenance], fmt: str) -> str:
    """The answer with its provenance in `fmt` (table or json); `FormatError` otherwise."""
    if fmt == "json":
        return results_json(result, provenance) + "\n"
    if fmt == "table":
        return table(result, provenance)
    raise FormatError(
        f"format {fmt!r} cannot carry provenance; choose {' or '.join(PROVENANCE_FORMATS)}"
    )


def results_json(result: QueryResult, provenance: Sequence[RowProvenance]) -> str:
    """SPARQL results JSON with the `@provenance` key in every row."""
    document = json.loads(result.results_json)
    for binding, row in zip(document["results"]["bindings"], provenance, strict=True):
        binding[PROVENANCE_KEY] = row.as_dict()
    return json.dumps(document, ensure_ascii=False, separators=(",", ":"))


def table(result: QueryResult, provenance: Sequence[RowProvenance]) -> str:
    """The table with a `sources` column of footnote numbers, then the numbered footnotes."""
    from dataclasses import replace

    from llmboom.sparql.output import render_table
    from llmboom.sparql.run import QueryResult as Result

    numbers: dict[tuple[str, str, str], int] = {}
    footnotes: list[Support] = []
    markers = []
    for row in provenance:
        used = []
        for support in row.supports:
            if support.triple not in numbers:
                numbers[support.triple] = len(numbers) + 1
                footnotes.append(support)
            used.append(numbers[support.triple])
        marker = ",".join(str(n) for n in sorted(set(used))) or "-"
        if row.only_anonymous:
            marker += f" ({ONLY_ANONYMOUS})"
        if row.notes:
            marker += " *"
        markers.append(marker)
    import pyoxigraph

    rows = tuple(
        (*values, pyoxigraph.Literal(marker))
        for values, marker in zip(result.rows, markers, strict=True)
    )
    widened = replace(result, variables=(*result.variables, "sources"), rows=rows)
    assert isinstance(widened, Result)
    lines = [render_table(widened).rstrip("\n"), ""]
    for number, support in enumerate(footnotes, start=1):
        lines.extend(_footnote(number, support))
    notes = {note for row in provenance for note in row.notes}
    for note in sorted(notes):
        lines.append(safe_line(f"* {note}"))
    return "\n".join(lines) + "\n"


def _footnote(number: int, support: Support) -> list[str]:
    lines = [f"[{number}] {' '.join(_short(term) for term in support.triple)}"]
    if support.via is not None:
        lines.append(f"    entailed from {' '.join(_short(term) for term in support.via)}")
    if support.note is not None:
        lines.append(f"    {support.note}")
    lines.extend(f"    {line}" for record in support.records for line in _record_lines(record))
    return [safe_line(line) for line in lines]


def _record_lines(record: Record) -> list[str]:
    source = ", ".join(
        shorten(iri) + (f" ({date})" if date else "")
        for iri, date in zip(record.sources, record.dates, strict=True)
    )
    who = record.attribution_label or (shorten(record.attribution) if record.attribution else "")
    who += " (anonymous)" if record.anonymous else ""
    lines = [f"{shorten(record.statement)}: {source or 'no source'}; attributed to {who or '?'}"]
    if record.quote is not None:
        lines.append(f'  quote: "{record.quote}"')
    if record.summary is not None:
        lines.append(f"  summary: {record.summary}")
    lines.extend(f"  {name}: {value}" for name, value in record.qualifiers)
    return lines


def _short(term: str) -> str:
    return shorten(term[1:-1]) if term.startswith("<") and term.endswith(">") else term
