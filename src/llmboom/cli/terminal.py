"""Text for a terminal: control characters in values shown as escapes, never obeyed.

Labels, literals and IRIs come from strangers' files. Printed raw, an escape sequence
recolours or rewrites the terminal and an embedded newline forges a line of the report
("0 violations …: the data conforms."). Every text renderer passes each line it prints
through `safe_line`; structured formats (JSON, CSV, RDF) escape by their own rules.
"""

from __future__ import annotations

import re
from typing import Final

#: C0 and C1 controls, DEL, and the Unicode line separators and bidirectional overrides.
_UNSAFE: Final = re.compile(
    "[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028\u2029\u202a-\u202e\u2066-\u2069]"
)
_NAMED: Final = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def safe_line(text: str) -> str:
    """`text` with every control character (newlines too) written as a visible escape."""
    return _UNSAFE.sub(_escape, text)


def safe_lines(lines: list[str]) -> str:
    """The lines, each made safe, joined with newlines and ending with one."""
    return "".join(safe_line(line) + "\n" for line in lines)
