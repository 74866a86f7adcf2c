"""The relation list names each end by its words, in quotation marks it never doubles."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from app.core.annotations import Relation, Span
from app.gui.models.relations import RelationListModel
from app.gui.models.spans import is_quotation_mark, quoted

MARKS = "\"'“”‘’«»„‚‹›「」"


def relation_line(text: str, quote: tuple[int, int], speaker: tuple[int, int]) -> str:
    spans = [Span(1, 1, *quote, "QUOTE", "tester"), Span(2, 1, *speaker, "PERSON", "tester")]
    model = RelationListModel()
    model.show_document(1, text, spans, [Relation(1, 1, 1, 2, "speaker", "tester")], {})
    return str(model.data(model.index(0)))


@pytest.mark.parametrize(
    ("opening", "closing"),
    [('"', '"'), ("“", "”"), ("«", "»"), ("„", "“"), ("'", "'"), ("「", "」")],
)
def test_a_quote_with_its_own_marks_is_not_quoted_again(opening: str, closing: str) -> None:
    text = f"{opening}We will be back,{closing} Khoury said."
    quote = (0, text.index(" Khoury"))
    speaker = (text.index("Khoury"), text.index(" said"))
    line = relation_line(text, quote, speaker)
    assert line == f"speaker: {opening}We will be back,{closing} → “Khoury”"


def test_a_long_quote_cut_short_keeps_its_opening_mark_only() -> None:
    text = '"We will be back in the city next year with twice the stages," Khoury said.'
    line = relation_line(text, (0, text.index(" Khoury")), (text.index("Khoury"), len(text) - 6))
    head = line.split(": ", 1)[1].split(" → ")[0]
    assert head.startswith('"We will') and head.endswith("…")
    assert "“" not in head and "”" not in head


def test_words_without_marks_are_put_in_curly_quotes() -> None:
    assert quoted("Khoury") == "“Khoury”"
    assert quoted("") == "“”"


@given(st.text(min_size=1, max_size=30))
def test_quotation_marks_are_never_doubled(words: str) -> None:
    shown = quoted(words)
    assert words in shown
    if shown != words:  # marks were added: none of them sits next to one of the text's own
        last = words.rstrip("…")[-1:]
        assert not is_quotation_mark(words[0])
        assert not (last and is_quotation_mark(last))


@pytest.mark.parametrize("mark", list(MARKS))
def test_every_kind_of_quotation_mark_is_recognised(mark: str) -> None:
    assert is_quotation_mark(mark)
    assert quoted(f"{mark}x") == f"{mark}x"
