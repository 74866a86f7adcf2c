"""Discontinuous spans in the window: only their pieces are drawn, a piece is added with a
key after selecting it, and undo takes it off again."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.annotations import Span
from app.gui.models.spans import SpanListModel
from app.gui.reviewing.adjudication_rows import describe
from app.gui.window.main_window import MainWindow
from tests.gui.support import stored_spans, utf16
from tests.gui.test_article_view import TEXT, highlighted, make_view
from tests.gui.test_main_window import select_qt, word_offset

CTRL = Qt.KeyboardModifier.ControlModifier


def test_only_the_fragments_are_highlighted_and_clickable(qtbot: QtBot) -> None:
    # "Zoë Lindqvist 👏🏽 said “we won”": the quote's pieces are the name and the quote
    first = (TEXT.index("Zoë"), TEXT.index(" Lindqvist"))
    second = (TEXT.index("“we"), TEXT.index("”.") + 1)
    quote = Span(1, 1, first[0], second[1], "QUOTE", "tester", fragments=(first, second))
    view = make_view(qtbot, [quote])
    formats = highlighted(view)
    inside = [utf16(TEXT, o) for r in (first, second) for o in range(*r)]
    gap = [utf16(TEXT, o) for o in range(first[1], second[0])]
    assert all(position in formats for position in inside)
    assert not any(position in formats for position in gap)  # the 👏🏽 in the gap too
    assert view.spans_at(TEXT.index("said")) == []
    assert view.spans_at(TEXT.index("we won")) == [quote]
    # a later change draws the new pieces and forgets the old ones
    whole = quote._replace(fragments=())
    view.update_span(whole)
    assert all(utf16(TEXT, o) in highlighted(view) for o in range(first[0], second[1]))
    view.update_span(quote)
    assert not any(position in highlighted(view) for position in gap)
    view.remove_span(quote.id)
    assert highlighted(view) == {}


def test_a_key_adds_the_selected_text_to_the_selected_span_and_undo_removes_it(
    window: MainWindow, qtbot: QtBot, db_path: Path
) -> None:
    text = window.article.text
    start = word_offset(window, "Lindqvist")
    select_qt(window, utf16(text, start), utf16(text, start + len("Lindqvist")))
    qtbot.keyClick(window.article, Qt.Key.Key_1)
    assert window.document_id is not None
    [span] = stored_spans(db_path, window.document_id)
    assert window.article.selected_span() == span

    later = word_offset(window, "Rivermouth")
    select_qt(window, utf16(text, later), utf16(text, later + len("Rivermouth")))
    qtbot.keyClick(window.article, Qt.Key.Key_G, CTRL)
    [grown] = stored_spans(db_path, window.document_id)
    pieces = ((start, start + len("Lindqvist")), (later, later + len("Rivermouth")))
    ends = (min(start, later), max(start + len("Lindqvist"), later + len("Rivermouth")))
    assert (grown.id, (grown.start, grown.end)) == (span.id, ends)
    assert grown.fragments == tuple(sorted(pieces))
    assert window.article.selected_span() == grown
    assert window.article.spans_at(later) == [grown]

    qtbot.keyClick(window.article, Qt.Key.Key_Z, CTRL)
    assert stored_spans(db_path, window.document_id) == [span]
    assert window.article.spans_at(later) == []


def test_the_key_without_a_selected_span_says_what_to_do(
    window: MainWindow, qtbot: QtBot, db_path: Path
) -> None:
    text = window.article.text
    start = word_offset(window, "Rivermouth")
    select_qt(window, utf16(text, start), utf16(text, start + 4))
    qtbot.keyClick(window.article, Qt.Key.Key_G, CTRL)
    assert window.document_id is not None
    assert stored_spans(db_path, window.document_id) == []
    assert window.statusBar().currentMessage().startswith("Select a span, then the text")


def test_the_span_list_shows_the_pieces_and_their_offsets(qtbot: QtBot) -> None:
    first, second = (0, 5), (TEXT.index("Zoë"), TEXT.index(" Lindqvist"))
    quote = Span(1, 1, 0, second[1], "QUOTE", "tester", fragments=(first, second))
    model = SpanListModel()
    model.show_document(1, TEXT, [quote], {"QUOTE": "#f58231"})
    text = model.data(model.index(0, SpanListModel.TEXT))
    offsets = model.data(model.index(0, SpanListModel.OFFSETS))
    assert (text, offsets) == ("Intro … Zoë", f"0–5, {second[0]}–{second[1]}")


def test_adjudication_rows_name_each_piece() -> None:
    quote = Span(1, 1, 0, 31, "QUOTE", "alice", fragments=((0, 9), (20, 31)))
    assert describe(quote) == "QUOTE [0,9)+[20,31)"
    assert describe(quote._replace(fragments=())) == "QUOTE [0,31)"
