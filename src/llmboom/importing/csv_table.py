"""Reading a CSV file (RFC 4180, with a CSVW dialect's delimiter and quote character) into
rows of cells that know where they start, so that every problem names FILE:LINE:COLUMN.

The standard `csv` module reports only the line a record ends on; an unbalanced quote
then points at the end of the file. This reader keeps, for every cell, the line and column
(both 1-based, columns counted in characters) where it begins.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from llmboom.errors import InputError


class TableError(InputError):
    """A CSV file or one of its cells is malformed: `Error: FILE:LINE:COLUMN: problem`."""

    def __init__(self, path: str, line: int, column: int, message: str) -> None:
        self.column = column
        super().__init__(path, message, line)
        self.args = (f"{path}:{line}:{column}: {message}",)

    def __str__(self) -> str:
        return self.args[0]


@dataclass(frozen=True)
class Cell:
    """One cell's text and where it begins in the file."""

    text: str
    line: int
    column: int


@dataclass(frozen=True)
class Dialect:
    """The CSVW dialect properties this reader honours."""

    delimiter: str = ","
    quote: str = '"'
    header: bool = True
    encoding: str = "utf-8"


def read_table(path: Path, dialect: Dialect) -> tuple[list[Cell], Iterator[list[Cell]]]:
    """The header cells and an iterator over the records (lists of cells). Raises
    `TableError` (FILE:LINE:COLUMN) for an unbalanced quote, a stray quote, a record with
    another number of cells than the header, or a file that is not `dialect.encoding`."""
    shown = str(path)
    try:
        text = path.read_bytes().decode(dialect.encoding)
    except UnicodeDecodeError as error:
        line = path.read_bytes()[: error.start].count(b"\n") + 1
        raise TableError(shown, line, 1, f"not {dialect.encoding} text ({error.reason})") from None
    except OSError as error:
        raise InputError(shown, f"cannot read the file ({error.strerror or error})") from None
    text = text.removeprefix("\ufeff")
    records = _records(text, shown, dialect)
    header = next(records, None)
    if header is None:
        raise TableError(shown, 1, 1, "the file is empty: a header row is needed")

    def checked() -> Iterator[list[Cell]]:
        for record in records:
            if len(record) == 1 and record[0].text == "":
                continue  # a blank line
            if len(record) != len(header):
                first = record[0]
                raise TableError(
                    shown,
                    first.line,
                    first.column,
                    f"this row has {len(record)} cells, the header {len(header)} "
                    "(a missing delimiter, or an unbalanced quote earlier)",
                )
            yield record

    return header, checked()


def _records(text: str, path: str, dialect: Dialect) -> Iterator[list[Cell]]:
    delimiter, quote = dialect.delimiter, dialect.quote
    plain = re.compile(f"[^{re.escape(delimiter + quote)}\r\n]*")
    q = re.escape(quote)
    quoted = re.compile(f"{q}([^{q}]*(?:{q}{q}[^{q}]*)*){q}")  # unrolled: linear time
    line, line_start, pos, size = 1, 0, 0, len(text)
    record: list[Cell] = []
    while pos <= size:
        column = pos - line_start + 1
        if pos < size and text[pos] == quote:
            start_line, start_column = line, column
            end = quoted.match(text, pos)
            if end is None:
                raise TableError(
                    path,
                    start_line,
                    start_column,
                    "unbalanced quote: the quoted cell that starts here is never closed",
                )
            body = end.group(1)
            newlines = body.count("\n")
            if newlines:
                line += newlines
                line_start = pos + 1 + body.rindex("\n") + 1
            record.append(Cell(body.replace(quote * 2, quote), start_line, start_column))
            pos = end.end()
            if pos < size and text[pos] not in (delimiter, "\r", "\n"):
                raise TableError(
                    path,
                    start_line,
                    start_column,
                    f"unbalanced quote: the quoted cell that starts here ends at line {line}, "
                    f"column {pos - line_start}, followed by {text[pos]!r} instead of a "
                    f"delimiter (a quote inside a cell is written as {quote * 2})",
                )
        else:
            match = plain.match(text, pos)
            assert match is not None
            record.append(Cell(match.group(), line, column))
            pos = match.end()
            if pos < size and text[pos] == quote:
                raise TableError(
                    path,
                    line,
                    pos - line_start + 1,
                    "stray quote inside an unquoted cell (quote the whole cell, "
                    f"and write a quote inside it as {quote * 2})",
                )
        if pos >= size:
            if not (len(record) == 1 and record[0].text == ""):
                yield record  # (a single empty cell here is the end of the last line)
            return
        if text[pos] == delimiter:
            pos += 1
            if pos == size:
                record.append(Cell("", line, pos - line_start + 1))
                yield record
                return
            continue
        # end of a record: \r\n, \n or \r
        pos += 2 if text.startswith("\r\n", pos) else 1
        line += 1
        line_start = pos
        yield record
        record = []
