"""Which language a page names things in: `?lang=`, else `Accept-Language`, else English.

Matching is RFC 4647's *lookup* (section 3.4): the header's language ranges in order of
their q-values (ties keep the header's order; q=0 excludes), each range truncated subtag by
subtag until it equals an available tag (case-insensitively). Before truncation, a range
with a region but no script gets the script that region writes Chinese in (Unicode CLDR's
likely subtags for Chinese: `zh-CN`, `zh-SG` → `zh-Hans`; `zh-TW`, `zh-HK`, `zh-MO` →
`zh-Hant`), and a bare `zh` means `zh-Hans`, so a browser's `zh-CN` finds `"字节跳动"@zh-Hans`.
`*` matches nothing: the default (English) answers it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from llmboom.publication.page_index import PageIndex

#: The language every resource has a label in (SPEC §3), and the default.
DEFAULT_LANGUAGE: Final = "en"
#: The script Chinese is written in, by region (CLDR likely subtags), and for bare `zh`.
_CHINESE_SCRIPT: Final = {
    "cn": "Hans",
    "sg": "Hans",
    "my": "Hans",
    "tw": "Hant",
    "hk": "Hant",
    "mo": "Hant",
}
_RANGE: Final = re.compile(r"^(?:\*|[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)$")
_QUALITY: Final = re.compile(r"^q=(0(?:\.\d{0,3})?|1(?:\.0{0,3})?)$", re.IGNORECASE)


def language_ranges(header: str | None) -> list[str]:
    """The language ranges of an Accept-Language header, best first (q=0 and malformed
    entries left out)."""
    weighted: list[tuple[float, int, str]] = []
    for position, item in enumerate((header or "").split(",")):
        parts = [part.strip() for part in item.split(";")]
        if not parts[0] or not _RANGE.match(parts[0]):
            continue
        quality = 1.0
        for parameter in parts[1:]:
            match = _QUALITY.match(parameter.replace(" ", ""))
            if match is None:
                quality = -1.0
                break
            quality = float(match[1])
        if quality > 0:
            weighted.append((-quality, position, parts[0]))
    return [language for _, _, language in sorted(weighted)]


def _with_likely_script(language_range: str) -> list[str]:
    """The range, preceded by its Chinese script form when it lacks one."""
    subtags = language_range.lower().split("-")
    if subtags[0] != "zh" or any(len(subtag) == 4 for subtag in subtags[1:]):
        return [language_range]
    region = next((s for s in subtags[1:] if len(s) == 2 or s.isdigit()), None)
    script = _CHINESE_SCRIPT.get(region or "", "Hans" if region is None else None)
    return [f"zh-{script}", language_range] if script else [language_range]


def lookup(ranges: Iterable[str], available: Iterable[str]) -> str | None:
    """RFC 4647 lookup: the first available tag that a range (progressively truncated)
    equals, or None."""
    tags = {tag.lower(): tag for tag in available}
    for language_range in ranges:
        if language_range == "*":
            continue
        for candidate in _with_likely_script(language_range):
            subtags = candidate.lower().split("-")
            while subtags:
                found = tags.get("-".join(subtags))
                if found is not None:
                    return found
                subtags.pop()
                if subtags and len(subtags[-1]) == 1:  # never end on a singleton (x-, u-)
                    subtags.pop()
    return None


def choose_language(
    available: Iterable[str], *, requested: str | None = None, accept_language: str | None = None
) -> str:
    """The language to name things in: `requested` (`?lang=`) when available, else the
    best match of `accept_language`, else English."""
    tags = list(available)
    if requested:
        found = lookup([requested], tags)
        if found is not None:
            return found
    return lookup(language_ranges(accept_language), tags) or DEFAULT_LANGUAGE


def canonical_tag(tag: str) -> str:
    """A language tag in BCP 47's conventional case (`zh-Hans`, `en-GB`): stores may give
    tags in lower case (they compare without case)."""
    subtags = tag.split("-")
    out = [subtags[0].lower()]
    for subtag in subtags[1:]:
        if len(out[-1]) == 1:  # after a singleton (x-, u-): left as given, lower case
            out.append(subtag.lower())
        elif len(subtag) == 4 and subtag.isalpha():
            out.append(subtag.title())
        elif len(subtag) == 2 and subtag.isalpha():
            out.append(subtag.upper())
        else:
            out.append(subtag.lower())
    return "-".join(out)


def label_languages(literals: Iterable[object]) -> list[str]:
    """The language tags of some label literals (conventional case), English first."""
    tags = {canonical_tag(getattr(lit, "language", None) or "") for lit in literals} - {""}
    return sorted(tags, key=lambda tag: (tag.lower() != DEFAULT_LANGUAGE, tag.lower()))


class InLanguage:
    """An index (`GraphIndex` or `StoreIndex`) whose `label` names things in `language`
    where they have a label in it, else as the index does (English first)."""

    def __init__(self, index: PageIndex, language: str) -> None:
        self._index = index
        self.language = language

    def __getattr__(self, name: str) -> Any:  # the other questions: as `index` answers
        return getattr(self._index, name)

    def label(self, iri: str) -> str | None:
        """The label of `iri` in this language, else the index's own choice."""
        from llmboom.namespaces import RDFS

        wanted = self.language.lower()
        for value in self._index.values(iri, RDFS + "label"):
            if (getattr(value, "language", None) or "").lower() == wanted:
                return value.value
        return self._index.label(iri)
