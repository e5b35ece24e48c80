"""The catalogue of named SPARQL queries: `queries/<name>.rq` files with a header comment.

A named query's name is its file stem. Its leading comment lines carry a title and a
description::

    # title: Who reports to whom
    # description: Every reportsTo link, with labels.
    #   Further indented comment lines continue the description.
    PREFIX lbo: <https://w3id.org/llmboom/ontology#>
    SELECT ...

A file without a title is still listed; its name stands in for the title.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from llmboom.errors import InputError, UnknownQueryError
from llmboom.project import Project

QUERY_SUFFIX = ".rq"
_HEADER_FIELDS = ("title", "description")
_FIELD_LINE = re.compile(r"#\s*(?P<key>[A-Za-z]+)\s*:\s?(?P<value>.*)$")


@dataclass(frozen=True)
class NamedQuery:
    """One query of the catalogue."""

    name: str  #: the file stem, used with `llmboom query --name`
    title: str
    description: str
    text: str  #: the whole file, header included (comments are valid SPARQL)
    path: Path

    def as_dict(self) -> dict[str, str]:
        """The catalogue entry as plain data (for JSON listings)."""
        return {
            "name": self.name,
            "title": self.title,
            "description": self.description,
            "path": str(self.path),
        }


def parse_header(text: str) -> dict[str, str]:
    """Read `# title:` and `# description:` from the comment lines that open a query.

    Comment lines that do not start a field continue the previous field; the header ends at
    the first line that is not a comment.
    """
    fields: dict[str, list[str]] = {}
    current: str | None = None
    for raw in text.splitlines():
        line = raw.strip()
        if not line:
            current = None
            continue
        if not line.startswith("#"):
            break
        match = _FIELD_LINE.match(line)
        if match and match["key"].lower() in _HEADER_FIELDS:
            current = match["key"].lower()
            fields[current] = [match["value"].strip()]
        elif current is not None:
            continuation = line.lstrip("#").strip()
            if continuation:
                fields[current].append(continuation)
            else:
                current = None
    return {key: " ".join(part for part in parts if part) for key, parts in fields.items()}


def read_named_query(path: Path) -> NamedQuery:
    """Read one `.rq` file into a `NamedQuery`."""
    text = read_query_file(path)
    header = parse_header(text)
    return NamedQuery(
        name=path.stem,
        title=header.get("title") or path.stem,
        description=header.get("description", ""),
        text=text,
        path=path,
    )


def read_query_file(path: str | Path) -> str:
    """The text of a query file; raise `InputError` when it cannot be read."""
    path = Path(path)
    try:
        return path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise InputError(str(path), reason) from None


def named_queries(project: Project) -> list[NamedQuery]:
    """Every named query of the project, sorted by name."""
    directory = project.queries_dir
    if not directory.is_dir():
        return []
    return [read_named_query(path) for path in sorted(directory.glob("*" + QUERY_SUFFIX))]


def get_named_query(project: Project, name: str) -> NamedQuery:
    """The named query `name`; raise `UnknownQueryError` listing the available names."""
    name = name.removesuffix(QUERY_SUFFIX)
    path = project.queries_dir / (name + QUERY_SUFFIX)
    if "/" not in name and "\\" not in name and path.is_file():
        return read_named_query(path)
    names = [query.name for query in named_queries(project)]
    raise UnknownQueryError(_unknown_message(name, names))


def _unknown_message(name: str, names: list[str]) -> str:
    import difflib

    message = f"no named query {name!r}"
    close = difflib.get_close_matches(name, names, n=1)
    if close:
        message += f" (did you mean {close[0]!r}?)"
    if names:
        return message + "; named queries: " + ", ".join(names)
    return message + "; this project has no queries/ folder or it is empty"
