"""Grapheme clusters as a JavaScript grapheme splitter (or regex's \\X) counts them."""

from __future__ import annotations

import itertools

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.graphemes import cluster_starts, has_clusters, splits_cluster


@pytest.mark.parametrize(
    ("text", "clusters"),
    [
        ("abc", ["a", "b", "c"]),
        ("a\r\nb", ["a", "\r\n", "b"]),
        ("\r\r\n", ["\r", "\r\n"]),
        ("👨\u200d👩\u200d👧!", ["👨\u200d👩\u200d👧", "!"]),
        ("👍🏽x", ["👍🏽", "x"]),
        ("🇫🇷🇩🇪🇮", ["🇫🇷", "🇩🇪", "🇮"]),
        ("Zoe\u0308", ["Z", "o", "e\u0308"]),
        ("❤\ufe0f", ["❤\ufe0f"]),
        ("\u1100\u1161\u11a8", ["\u1100\u1161\u11a8"]),
        ("", []),
    ],
)
def test_clusters(text: str, clusters: list[str]) -> None:
    starts = cluster_starts(text)
    assert [text[a:b] for a, b in itertools.pairwise(starts)] == clusters
    assert has_clusters(text) == (len(clusters) != len(text))


def test_an_offset_inside_a_cluster_is_told() -> None:
    starts = cluster_starts("a\r\nb")
    assert [splits_cluster(starts, o) for o in range(5)] == [False, False, True, False, False]


regex = pytest.importorskip("regex")
PIECES = [
    *("a", "é", "e\u0301", "ß", "#", " ", "\r", "\n", "\r\n"),
    *("👍", "🏽", "\u200d", "👩", "🇫", "🇷", "\ufe0f", "❤", "\u20e3"),
    *("\u1100", "\u1161", "\u11a8", "가", "\u0903"),
]


@given(st.lists(st.sampled_from(PIECES), max_size=20))
def test_clusters_agree_with_the_regex_module(pieces: list[str]) -> None:
    text = "".join(pieces)
    expected = [m.start() for m in regex.finditer(r"\X", text)] + [len(text)]
    assert cluster_starts(text) == (expected if text else [0])


@given(st.text(alphabet=st.characters(max_codepoint=0x2FF)))
def test_text_below_the_combining_marks_answers_without_walking_its_clusters(text: str) -> None:
    assert has_clusters(text) == (len(cluster_starts(text)) - 1 != len(text))
    assert has_clusters(text) == ("\r\n" in text)
