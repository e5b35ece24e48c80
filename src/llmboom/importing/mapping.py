"""A declared mapping from a table to llmboom's facts: a W3C CSVW metadata file (JSON) read
into plain data, with a few `llmboom:` extension properties for what CSVW cannot say.

From CSVW (https://www.w3.org/TR/tabular-metadata/): `dialect` (delimiter, quoteChar,
encoding, header), and per column `titles` (the header), `name`, `datatype` (string, date,
decimal, double, anyURI), `separator` (a cell holds a list), `null`, `required`,
`suppressOutput`, `aboutUrl`, `propertyUrl` and `valueUrl`. One departure: `aboutUrl` and
`valueUrl` are `{name}` of an *entity column*, and stand for the resource that column's value
resolves to (matched by name, or minted), not a URI built from the text.

`llmboom:` extensions: `source` (the citation each copy of the table becomes), `attribution`,
`locator` (where in the table a record's value is, a template over column names),
`rowFilter` (which rows to import), and per column `entity` (the column names resources of a
class, with `classWhen` for a narrower class), `summary` (the one sentence each statement
record carries), `recordProperty` (the cell's value goes on the statement record, not in the
fact: a publication date as `lbo:pointInTime`), `singleValued` (a later copy's different
value supersedes this one) and `take: "first"` (the first URL of a cell listing several).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from llmboom.errors import InputError, LlmboomError

#: The datatypes a column may declare (CSVW built-in names), and the XSD datatype each becomes.
DATATYPES: Final = {
    "string": None,
    "date": "http://www.w3.org/2001/XMLSchema#date",
    "decimal": "http://www.w3.org/2001/XMLSchema#decimal",
    "double": "http://www.w3.org/2001/XMLSchema#double",
    "anyURI": None,
}
_EXT = "llmboom:"


class MappingError(LlmboomError):
    """A mapping file is missing, unreadable or inconsistent."""


@dataclass(frozen=True)
class EntitySpec:
    """An entity column: each value names a resource of `cls` (or `narrower` when the row's
    `when_column` contains `when_contains`), matched among existing resources of
    `match_class` by label or alternative label, else minted."""

    cls: str
    match_class: str
    narrower: str | None = None
    when_column: str | None = None
    when_contains: str | None = None


@dataclass(frozen=True)
class Column:
    """One mapped column of the table."""

    title: str
    name: str
    datatype: str = "string"
    separator: str | None = None
    nulls: tuple[str, ...] = ("",)
    required: bool = False
    suppress: bool = False
    about: str | None = None  #: entity column whose resource is the subject
    property: str | None = None
    value: str | None = None  #: entity column whose resource is the object (else the cell)
    entity: EntitySpec | None = None
    summary: str | None = None
    record_property: str | None = None
    single_valued: bool = False
    take_first: bool = False


@dataclass(frozen=True)
class SourceSpec:
    """The citation a copy of the table becomes (`{retrieved}` is the copy's date)."""

    slug: str
    label: str
    headline: str
    url: str
    publisher_slug: str
    publisher_label: str
    language: str
    license: str | None


@dataclass(frozen=True)
class AttributionSpec:
    slug: str
    label: str
    anonymous: bool
    summary: str


@dataclass(frozen=True)
class Mapping:
    """A whole mapping: how to read the table, which rows, and what each column says."""

    path: Path
    title: str
    delimiter: str
    quote: str
    encoding: str
    source: SourceSpec
    attribution: AttributionSpec
    locator: str | None
    filter_column: str | None
    filter_contains: str | None
    columns: list[Column] = field(default_factory=list)

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)


def mapping_path(name_or_path: str, search: list[Path]) -> Path:
    """A shipped mapping's file (`NAME.json` in one of `search`), or the path given."""
    given = Path(name_or_path)
    if given.suffix == ".json" or given.exists():
        if not given.is_file():
            raise MappingError(f"{given}: no such mapping file")
        return given
    for folder in search:
        candidate = folder / f"{name_or_path}.json"
        if candidate.is_file():
            return candidate
    shipped = sorted({p.stem for folder in search for p in folder.glob("*.json")})
    raise MappingError(
        f"{name_or_path}: no shipped mapping of that name "
        f"(shipped: {', '.join(shipped) or 'none'}); "
        "give a mapping's name or the path of a mapping file (.json)"
    )


def load_mapping(path: Path) -> Mapping:
    """Read and check a mapping file."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise InputError(
            str(path), f"cannot read the mapping ({error.strerror or error})"
        ) from None
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        line = getattr(error, "lineno", None)
        raise InputError(str(path), f"not a JSON mapping file ({error})", line) from None
    try:
        return _read(path, data)
    except (KeyError, TypeError, ValueError) as error:
        raise MappingError(f"{path}: malformed mapping ({error!s})") from None


def _read(path: Path, data: dict[str, Any]) -> Mapping:
    dialect = data.get("dialect", {})
    if dialect.get("header", True) is not True:
        raise ValueError("dialect.header must be true (columns are found by their titles)")
    source = data[_EXT + "source"]
    publisher = source["publisher"]
    attribution = data[_EXT + "attribution"]
    row_filter = data.get(_EXT + "rowFilter") or {}
    columns = [_column(c) for c in data["tableSchema"]["columns"]]
    names = {c.name for c in columns}
    entities = {c.name for c in columns if c.entity}
    for column in columns:
        for ref in (column.about, column.value):
            if ref is not None and ref not in entities:
                raise ValueError(
                    f"column {column.name!r} refers to {{{ref}}}, not an entity column"
                )
        if column.property and not column.summary:
            raise ValueError(f"column {column.name!r} maps to a property but has no summary")
        if column.property and column.about is None:
            raise ValueError(f"column {column.name!r} has a propertyUrl but no aboutUrl")
        when = column.entity.when_column if column.entity else None
        if when is not None and when not in names:
            raise ValueError(f"classWhen names an unknown column {when!r}")
    if row_filter and row_filter["column"] not in names:
        raise ValueError(f"rowFilter names an unknown column {row_filter['column']!r}")
    return Mapping(
        path=path,
        title=str(data.get("dc:title", path.stem)),
        delimiter=dialect.get("delimiter", ","),
        quote=dialect.get("quoteChar", '"'),
        encoding=dialect.get("encoding", "utf-8"),
        source=SourceSpec(
            slug=source["slug"],
            label=source["label"],
            headline=source["headline"],
            url=source["url"],
            publisher_slug=publisher["slug"],
            publisher_label=publisher["label"],
            language=source.get("language", "en"),
            license=source.get("license"),
        ),
        attribution=AttributionSpec(
            slug=attribution["slug"],
            label=attribution["label"],
            anonymous=bool(attribution["anonymous"]),
            summary=attribution["summary"],
        ),
        locator=data.get(_EXT + "locator"),
        filter_column=row_filter.get("column"),
        filter_contains=row_filter.get("contains"),
        columns=columns,
    )


def _template_name(value: str | None) -> str | None:
    if value is None:
        return None
    if not (value.startswith("{") and value.endswith("}")):
        raise ValueError(f"{value!r}: aboutUrl and valueUrl are {{column}} of an entity column")
    return value[1:-1]


def _column(data: dict[str, Any]) -> Column:
    titles = data["titles"]
    title = titles if isinstance(titles, str) else titles[0]
    datatype = data.get("datatype", "string")
    if isinstance(datatype, dict):
        datatype = datatype["base"]
    if datatype not in DATATYPES:
        raise ValueError(f"column {title!r}: datatype {datatype!r} (known: {', '.join(DATATYPES)})")
    nulls = data.get("null", [""])
    entity = data.get(_EXT + "entity")
    spec = None
    if entity is not None:
        when = entity.get("classWhen") or {}
        spec = EntitySpec(
            cls=entity["class"],
            match_class=entity.get("matchClass", entity["class"]),
            narrower=when.get("class"),
            when_column=when.get("column"),
            when_contains=when.get("contains"),
        )
    return Column(
        title=title,
        name=data.get("name", title),
        datatype=datatype,
        separator=data.get("separator"),
        nulls=tuple([nulls] if isinstance(nulls, str) else nulls),
        required=bool(data.get("required", False)),
        suppress=bool(data.get("suppressOutput", False)),
        about=_template_name(data.get("aboutUrl")),
        property=data.get("propertyUrl"),
        value=_template_name(data.get("valueUrl")),
        entity=spec,
        summary=data.get(_EXT + "summary"),
        record_property=data.get(_EXT + "recordProperty"),
        single_valued=bool(data.get(_EXT + "singleValued", False)),
        take_first=data.get(_EXT + "take") == "first",
    )
