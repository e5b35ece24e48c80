"""The input guard every reader applies: size limit, XML declarations, BOM, empty RDF/XML."""

from __future__ import annotations

import os
import resource
import threading
import time
from pathlib import Path

import pytest

from llmboom.errors import InputError
from llmboom.rdf.formats import by_name
from llmboom.rdf.input_guard import DEFAULT_MAX_INPUT_BYTES, max_input_bytes
from llmboom.rdf.loading import parse_bytes, parse_file

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" xmlns:ex="http://example.org/">
  <rdf:Description rdf:about="http://example.org/s"><ex:p>&lol9;</ex:p></rdf:Description>
</rdf:RDF>
"""

TRIPLE = b"<http://example.org/s> <http://example.org/p> <http://example.org/o> .\n"


def test_billion_laughs_is_refused_at_once_with_flat_memory(tmp_path: Path) -> None:
    path = tmp_path / "laughs.rdf"
    path.write_bytes(BILLION_LAUGHS)
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    started = time.monotonic()
    with pytest.raises(InputError) as caught:
        parse_file(path)
    assert time.monotonic() - started < 1
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # KB
    assert caught.value.line == 2
    assert "DOCTYPE" in caught.value.message


def test_entity_declaration_without_doctype_keyword_case_is_refused() -> None:
    data = b'<?xml version="1.0"?>\n<!doctype x>\n<!ENTITY a "b">\n<rdf:RDF/>'
    with pytest.raises(InputError, match="DOCTYPE"):
        parse_bytes(data, by_name("xml"), "x.rdf")


def test_empty_rdf_xml_is_not_well_formed() -> None:
    with pytest.raises(InputError, match="empty file") as caught:
        parse_bytes(b"  \n", by_name("xml"), "empty.rdf")
    assert caught.value.line == 1


@pytest.mark.parametrize("name", ["turtle", "nt", "nq", "trig"])
def test_utf8_bom_is_accepted(name: str) -> None:
    quads = parse_bytes(b"\xef\xbb\xbf" + TRIPLE, by_name(name), "bom")
    assert len(quads) == 1


def test_relative_iri_without_base_says_so() -> None:
    with pytest.raises(InputError, match="no base IRI is set"):
        parse_bytes(b"<s> <http://example.org/p> <http://example.org/o> .\n", by_name("nt"), "r")


def test_size_limit_is_checked_before_reading(tmp_path: Path) -> None:
    path = tmp_path / "big.ttl"
    with open(path, "wb") as stream:  # a sparse 2 GB file: reading it would take long
        stream.truncate(2 * 1024 * 1024 * 1024)
    started = time.monotonic()
    with pytest.raises(InputError, match="too large: 2 GB") as caught:
        parse_file(path, limit=DEFAULT_MAX_INPUT_BYTES)
    assert time.monotonic() - started < 0.5
    assert "exceeds the limit of 5 MB" in caught.value.message


def test_limit_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("LLMBOOM_MAX_INPUT_BYTES", "1000")
    assert max_input_bytes() == 1000
    monkeypatch.setenv("LLMBOOM_MAX_INPUT_BYTES", "lots")
    with pytest.raises(InputError, match="positive number of bytes"):
        max_input_bytes()


def test_a_folder_is_not_a_file(tmp_path: Path) -> None:
    folder = tmp_path / "x.ttl"
    folder.mkdir()
    with pytest.raises(InputError, match="folder"):
        parse_file(folder, limit=10)


def _deep_turtle(levels: int) -> bytes:
    # literals full of brackets first: counting openers alone would look deep
    noise = b'<http://example.org/n> <http://example.org/p> "((((((((((" .\n' * 200
    return (
        noise
        + b"<http://example.org/s> <http://example.org/p> "
        + b"(" * levels
        + b")" * levels
        + b" .\n"
    )


def test_nesting_limit_counts_only_real_openers(tmp_path: Path) -> None:
    shallow = tmp_path / "shallow.ttl"
    shallow.write_bytes(_deep_turtle(10))
    assert parse_file(shallow, limit=DEFAULT_MAX_INPUT_BYTES)
    deep = tmp_path / "deep.ttl"
    deep.write_bytes(_deep_turtle(1001))
    with pytest.raises(InputError, match="nested more than 1000") as caught:
        parse_file(deep, limit=DEFAULT_MAX_INPUT_BYTES)
    assert caught.value.line == 201


def test_the_projects_own_files_are_read_without_the_nesting_limit(tmp_path: Path) -> None:
    deep = tmp_path / "deep.ttl"
    deep.write_bytes(_deep_turtle(1001))
    assert len(parse_file(deep)) > 1000  # limit=None: a file of the project


@pytest.mark.parametrize("kind", ["fifo", "device"])
def test_a_file_that_is_not_regular_is_refused_at_once(tmp_path: Path, kind: str) -> None:
    """A named pipe with no writer would block `open` forever; a device can be endless."""
    from llmboom.rdf.input_guard import read_input

    if kind == "fifo":
        path = tmp_path / "pipe.ttl"
        os.mkfifo(path)
        expected = "is a named pipe (FIFO), not a regular file"
    else:
        path, expected = Path("/dev/zero"), "is a character device, not a regular file"
    outcome: list[BaseException] = []

    def read() -> None:
        try:
            read_input(path, 1024)
        except BaseException as error:  # reported to the test thread
            outcome.append(error)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    reader.join(5)
    if reader.is_alive() and kind == "fifo":  # release the blocked reader before failing
        os.close(os.open(path, os.O_WRONLY | os.O_NONBLOCK))
    assert not reader.is_alive(), "reading blocked"
    assert len(outcome) == 1 and isinstance(outcome[0], InputError), outcome
    assert str(outcome[0]) == f"{path}: {expected}"
