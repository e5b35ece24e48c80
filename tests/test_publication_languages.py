"""Choosing a page's language from `?lang=` and `Accept-Language` (RFC 4647 lookup)."""

from __future__ import annotations

import pytest

from llmboom.publication.languages import choose_language, language_ranges, lookup

AVAILABLE = ("en", "zh-Hans", "zh-Hant")


@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, "en"),
        ("", "en"),
        ("*", "en"),
        ("en-US,en;q=0.9", "en"),
        ("zh-CN", "zh-Hans"),
        ("zh-CN,zh;q=0.9,en;q=0.8", "zh-Hans"),
        ("zh-TW", "zh-Hant"),
        ("zh-HK,en;q=0.5", "zh-Hant"),
        ("zh-Hant-TW", "zh-Hant"),
        ("zh-hans", "zh-Hans"),
        ("zh", "zh-Hans"),
        ("en;q=0.5, zh-TW;q=0.9", "zh-Hant"),  # q-values, not order, decide
        ("zh-TW;q=0, en", "en"),  # q=0 excludes
        ("fr-CH, fr;q=0.9, de;q=0.7", "en"),  # nothing available: the default
        ("fr, zh-CN;q=0.8", "zh-Hans"),  # the first range that finds something
        ("zh-CN;q=abc, zh-TW", "zh-Hant"),  # a malformed entry is skipped
        ("en ; q=0.8 , zh-Hant ; q=0.9", "zh-Hant"),  # spaces around parameters
        ("ja-JP, *;q=0.5", "en"),
        ("x-private, zh-Hant", "zh-Hant"),
    ],
)
def test_accept_language_table(header: str | None, expected: str) -> None:
    assert choose_language(AVAILABLE, accept_language=header) == expected


def test_the_requested_language_wins_when_available() -> None:
    assert choose_language(AVAILABLE, requested="zh-Hant", accept_language="zh-CN") == "zh-Hant"
    assert choose_language(AVAILABLE, requested="fr", accept_language="zh-CN") == "zh-Hans"
    assert choose_language(("en",), accept_language="zh-CN") == "en"


def test_ranges_are_ordered_by_quality_then_position() -> None:
    assert language_ranges("a;q=0.5, b, c;q=0.5, d;q=1.0") == ["b", "d", "a", "c"]


def test_lookup_truncates_but_never_ends_on_a_singleton() -> None:
    assert lookup(["en-GB-x-oed"], ["en"]) == "en"
    assert lookup(["de-x-foo"], ["de-x"]) is None


@pytest.mark.parametrize(
    ("tag", "expected"),
    [
        ("zh-hans", "zh-Hans"),
        ("zh-hant-tw", "zh-Hant-TW"),
        ("EN-gb", "en-GB"),
        ("en", "en"),
        ("de-x-abcd", "de-x-abcd"),
        ("es-419", "es-419"),
    ],
)
def test_tags_in_conventional_case(tag: str, expected: str) -> None:
    from llmboom.publication.languages import canonical_tag

    assert canonical_tag(tag) == expected
