"""The quotation-mark state machine: kinds of marks, apostrophes, paragraphs."""

from __future__ import annotations

import pytest

from app.assist.marks import find_quoted


def _quoted(text: str) -> list[str]:
    return [text[q.start : q.end] for q in find_quoted(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('He said "yes" and "no".', ['"yes"', '"no"']),
        ("“Curly” quotes", ["“Curly”"]),
        ("«Guillemets» and »reversed« ones", ["«Guillemets»", "»reversed«"]),
        ("German „Anführung“ marks", ["„Anführung“"]),
        ("Single ‘curly’ and 'straight' ones", ["‘curly’", "'straight'"]),
        ("don't, Troufanov's and the players' union", []),
        ("‘It’s Troufanov’s turn,’ she said", ["‘It’s Troufanov’s turn,’"]),
        ("“Outer ‘inner’ still outer”", ["“Outer ‘inner’ still outer”"]),
        ("Rock ’n’ roll", []),
        ("", []),
        ('"', []),
        ("“", []),
    ],
)
def test_marks(text: str, expected: list[str]) -> None:
    assert _quoted(text) == expected


def test_quote_reopened_in_the_next_paragraph_continues() -> None:
    text = "“First paragraph,\n\n“second paragraph.” After."
    [q] = find_quoted(text)
    assert (text[q.start : q.end], q.closed, q.paragraphs) == (text[:-7], True, 2)


def test_straight_quote_reopened_in_the_next_paragraph_continues() -> None:
    text = '"First paragraph,\n"second paragraph." After.'
    [q] = find_quoted(text)
    assert (q.end, q.paragraphs) == (text.index(" After"), 2)


def test_unclosed_quote_ends_with_its_paragraph() -> None:
    text = "She said “this never ends  \nNext paragraph “closed” here."
    quoted = find_quoted(text)
    assert [(text[q.start : q.end], q.closed) for q in quoted] == [
        ("“this never ends", False),
        ("“closed”", True),
    ]


def test_unclosed_quote_at_the_end_of_the_text() -> None:
    [q] = find_quoted("He said “and then")
    assert (q.inner_start, q.inner_end, q.closed) == (9, 17, False)


def test_second_opening_mark_closes_an_unclosed_quote() -> None:
    text = "“First never closed “Second one.”"
    assert _quoted(text) == ["“First never closed", "“Second one.”"]
