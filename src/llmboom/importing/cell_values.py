"""A cell's text as the values its column declares (CSVW `separator`, `null`, `datatype`),
or a `TableError` naming the cell's FILE:LINE:COLUMN."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Final

from llmboom.importing.csv_table import Cell, TableError
from llmboom.importing.mapping import Column

_URL: Final = re.compile(r"https?://[^\s<>\"{}|\\^`]+")
#: A web address written without its scheme ("arxiv.org/abs/2501.14818").
_BARE_URL: Final = re.compile(
    r"(?<![\w.@/])[a-z0-9-]+(?:\.[a-z0-9-]+)*\.[a-z]{2,}/[^\s<>\"{}|\\^`]*"
)
_DATE: Final = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def split_cell(text: str, separator: str) -> list[str]:
    """`text` split at `separator`, except inside parentheses ("BookCorpus (BooksCorpus,
    Toronto Book Corpus),Wikipedia" is two items)."""
    items, depth, start = [], 0, 0
    for index, char in enumerate(text):
        if char == "(":
            depth += 1
        elif char == ")" and depth:
            depth -= 1
        elif depth == 0 and text.startswith(separator, index):
            items.append(text[start:index])
            start = index + len(separator)
    items.append(text[start:])
    return items


def cell_values(cell: Cell, column: Column, path: str) -> list[str]:
    """The lexical forms of the cell's values, in order, without duplicates: dates as
    YYYY-MM-DD, decimals in their canonical form, doubles in the form the store keeps, URLs
    as given."""
    parts = split_cell(cell.text, column.separator) if column.separator else [cell.text]
    values: list[str] = []
    for part in parts:
        text = part.strip()
        if text in column.nulls:
            continue
        value = _typed(text, column, cell, path)
        if value not in values:
            values.append(value)
    if column.required and not values:
        raise _error(cell, path, f"{column.title!r} is required, and this cell is empty")
    return values


def _typed(text: str, column: Column, cell: Cell, path: str) -> str:
    kind = column.datatype
    if kind == "date":
        try:
            if not _DATE.fullmatch(text):
                raise ValueError
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            problem = f"{column.title!r}: {text!r} is not a date (YYYY-MM-DD)"
            raise _error(cell, path, problem) from None
    if kind in ("decimal", "double"):
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite():
            raise _error(cell, path, f"{column.title!r}: {text!r} is not a number")
        if number < 0:
            raise _error(cell, path, f"{column.title!r}: {text!r} is negative")
        if kind == "double":
            return _double_text(repr(float(number)))
        return _decimal_text(number)
    if kind == "anyURI":
        found = _URL.search(text) if column.take_first else _URL.fullmatch(text)
        if found is None and column.take_first:
            bare = _BARE_URL.search(text)
            if bare is not None:
                return "https://" + bare.group().rstrip(".,;)")
        if found is None:
            raise _error(cell, path, f"{column.title!r}: {text[:60]!r} holds no http(s) URL")
        return found.group().rstrip(".,;)")
    return text


def _decimal_text(number: Decimal) -> str:
    """`122000000000.0` → `122000000000`, `2.50` → `2.5`: the xsd:decimal canonical form."""
    if number == number.to_integral_value():
        return str(int(number))
    return format(number.normalize(), "f")


def _double_text(text: str) -> str:
    """`6.84e+24` → `6840000000000000000000000`, `76380000000000.0` → `76380000000000`: an
    xsd:double as Oxigraph's store writes it. The store keeps a double's value, not its text,
    and gives every other form back rewritten, so data written so would not read back as
    written (the parsed files and the store would disagree)."""
    import pyoxigraph

    node = pyoxigraph.NamedNode("urn:llmboom:double")
    double = pyoxigraph.NamedNode("http://www.w3.org/2001/XMLSchema#double")
    store = pyoxigraph.Store()
    store.add(pyoxigraph.Quad(node, node, pyoxigraph.Literal(text, datatype=double)))
    (quad,) = store
    return quad.object.value


def _error(cell: Cell, path: str, message: str) -> TableError:
    return TableError(path, cell.line, cell.column, message)
