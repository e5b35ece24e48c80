"""Checks every reader applies to raw input before a parser sees it.

One place for what makes a file hostile or needlessly unreadable, whatever the command:
- a size limit, checked on the file's size before anything is read;
- DOCTYPE and ENTITY declarations in RDF/XML (entity expansion, "billion laughs"), refused;
- a UTF-8 byte-order mark, accepted and removed (most parsers do);
- an empty RDF/XML document, refused (it is not well-formed XML);
- nesting deeper than `MAX_NESTING` levels (collections, blank nodes, quoted triples, JSON
  objects and arrays, XML elements), refused before parsing: parsers and validators walk
  nested structures recursively, and 100,000 levels in 200 KB kept them busy for minutes.

Each refusal is an `InputError` naming the file and, where known, the line. The resource
limits (size, nesting) are for input from outside the project; the project's own files
(`data/`, `ontology/`, `shapes/`, read with `limit=None`) are read without them, as a program
reads its own sources, so loading millions of triples costs no extra pass over them.
"""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Final

from llmboom.errors import InputError, InputTooLargeError
from llmboom.rdf.formats import RdfFormat

#: Default limit on one input file from outside the project (`validate FILE`, `diff`,
#: `submit`); `LLMBOOM_MAX_INPUT_BYTES` overrides it.
DEFAULT_MAX_INPUT_BYTES: Final = 5 * 1024 * 1024
_ENV_MAX_INPUT_BYTES: Final = "LLMBOOM_MAX_INPUT_BYTES"

#: Deepest nesting accepted; real data nests a few levels.
MAX_NESTING: Final = 1000

_UTF8_BOM: Final = b"\xef\xbb\xbf"
#: Turtle family: what is skipped (strings, IRIs, comments) and what nests.
_TURTLE_SKIPPED: Final = (  # string patterns unrolled: 3x faster than (?:[^"]|\\.)*
    rb'"""[^"\\]*(?:(?:\\.|"(?!""))[^"\\]*)*"""'
    rb"|'''[^'\\]*(?:(?:\\.|'(?!''))[^'\\]*)*'''"
    rb'|"[^"\\\n]*(?:\\.[^"\\\n]*)*"'
    rb"|'[^'\\\n]*(?:\\.[^'\\\n]*)*'"
    rb'|<[^<>"{}|^`\\\x00-\x20]*>'
    rb"|#[^\n]*"
)
_TURTLE_TOKENS: Final = re.compile(_TURTLE_SKIPPED + rb"|<<|>>|[\[\](){}]")
_JSON_SKIPPED: Final = rb'"[^"\\]*(?:\\.[^"\\]*)*"'
_JSON_TOKENS: Final = re.compile(_JSON_SKIPPED + rb"|[\[\]{}]")
#: What is cut away (in C, without a Python step per token) before openers are counted.
_SKIPPED: Final = {"jsonld": re.compile(_JSON_SKIPPED), "turtle": re.compile(_TURTLE_SKIPPED)}
_OPENERS: Final = frozenset({b"(", b"[", b"{", b"<<"})
_CLOSERS: Final = frozenset({b")", b"]", b"}", b">>"})
_XML_DECLARATIONS: Final = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


def max_input_bytes() -> int:
    """The size limit for untrusted input: `$LLMBOOM_MAX_INPUT_BYTES`, else 5 MB."""
    value = os.environ.get(_ENV_MAX_INPUT_BYTES)
    if not value:
        return DEFAULT_MAX_INPUT_BYTES
    try:
        limit = int(value)
    except ValueError:
        limit = -1
    if limit <= 0:
        raise InputError(_ENV_MAX_INPUT_BYTES, f"must be a positive number of bytes, not {value!r}")
    return limit


def describe_size(size: int) -> str:
    """`2 GB`, `5 MB`, `812.5 KB`, `97 bytes`."""
    for unit, scale in (("GB", 1024**3), ("MB", 1024**2), ("KB", 1024)):
        if size >= scale:
            return f"{size / scale:.1f}".removesuffix(".0") + f" {unit}"
    return f"{size} bytes"


def check_size(size: int, limit: int | None, name: str) -> None:
    """Refuse input larger than `limit` bytes (no limit when `limit` is None)."""
    if limit is not None and size > limit:
        raise InputTooLargeError(
            name,
            f"too large: {describe_size(size)} exceeds the limit of {describe_size(limit)} "
            f"(set {_ENV_MAX_INPUT_BYTES} to raise it)",
        )


def read_input(path: Path, limit: int | None) -> bytes:
    """The bytes of the regular file `path`, refusing it before reading when it is over
    `limit` bytes.

    Anything but a regular file (a folder, a named pipe, a device, a socket) is refused at
    once: the file is opened without blocking and checked before a byte is read, so a FIFO
    with no writer cannot hold the command forever.
    """
    from llmboom.files.replace import file_kind

    name = str(path)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except IsADirectoryError:
        raise InputError(name, "is a folder, not a file") from None
    except OSError as error:
        raise InputError(name, error.strerror or str(error)) from None
    try:
        info = os.fstat(descriptor)
        kind = file_kind(info.st_mode)
        if kind:
            reason = (
                "is a folder, not a file"
                if kind == "a folder"
                else f"is {kind}, not a regular file"
            )
            raise InputError(name, reason)
        check_size(info.st_size, limit, name)
        os.set_blocking(descriptor, True)
        with open(descriptor, "rb", closefd=False) as stream:
            data = stream.read() if limit is None else stream.read(limit + 1)
    except OSError as error:
        raise InputError(name, error.strerror or str(error)) from None
    finally:
        os.close(descriptor)
    check_size(len(data), limit, name)
    return data


def guard_bytes(data: bytes, fmt: RdfFormat, name: str, *, nesting: bool = True) -> bytes:
    """Refuse what no parser should see; return the data ready to parse (BOM removed).

    `nesting=False` skips the depth limit, for the project's own files (see the module)."""
    if data.startswith(_UTF8_BOM):
        data = data[len(_UTF8_BOM) :]
    if fmt.name == "xml":
        declaration = _XML_DECLARATIONS.search(data)
        if declaration:
            line = data.count(b"\n", 0, declaration.start()) + 1
            keyword = declaration.group(1).decode().upper()
            raise InputError(
                name,
                f"RDF/XML with a {keyword} declaration is refused "
                "(entity expansion and external entities are not allowed)",
                line,
            )
        if not data.strip():
            raise InputError(name, "empty file: an RDF/XML document needs an element", 1)
    if nesting:
        check_nesting(data, fmt, name)
    return data


def check_nesting(data: bytes, fmt: RdfFormat, name: str, limit: int = MAX_NESTING) -> None:
    """Refuse data nested deeper than `limit` levels, naming the line where it happens."""
    if fmt.name == "xml":
        if data.count(b"<") > limit:
            _check_xml_nesting(data, name, limit)
        return
    if _openers(data) <= limit:
        return  # too few openers to nest that deep: no need to look closer
    skipped = _SKIPPED["jsonld" if fmt.name == "jsonld" else "turtle"]
    if _openers(skipped.sub(b"", data)) <= limit:
        return  # the same, once strings, IRIs and comments are cut away
    tokens = _JSON_TOKENS if fmt.name == "jsonld" else _TURTLE_TOKENS
    depth = 0
    for token in tokens.finditer(data):
        text = token.group()
        if text in _OPENERS:
            depth += 1
            if depth > limit:
                raise InputError(name, _too_deep(limit), data.count(b"\n", 0, token.start()) + 1)
        elif text in _CLOSERS:
            depth -= 1


def _openers(data: bytes) -> int:
    return sum(data.count(opener) for opener in _OPENERS)


def _check_xml_nesting(data: bytes, name: str, limit: int) -> None:
    """Element depth, counted by expat (no DOCTYPE gets this far, so nothing expands)."""
    from xml.parsers import expat

    parser = expat.ParserCreate()
    depth = 0

    def start(*_args) -> None:
        nonlocal depth
        depth += 1
        if depth > limit:
            raise _TooDeep(parser.CurrentLineNumber)

    def end(*_args) -> None:
        nonlocal depth
        depth -= 1

    parser.StartElementHandler, parser.EndElementHandler = start, end
    try:
        parser.Parse(data, True)
    except _TooDeep as deep:
        raise InputError(name, _too_deep(limit), deep.line) from None
    except expat.ExpatError:
        return  # not well-formed: the RDF/XML parser reports it in its own words


class _TooDeep(Exception):
    def __init__(self, line: int) -> None:
        self.line = line


def _too_deep(limit: int) -> str:
    return f"nested more than {limit} levels deep; such input is refused"
