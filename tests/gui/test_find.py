"""The find bar: matches in code points of the canonical text, stepping, options, Tag all."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.gui.commands import LinkEntity
from app.gui.window.main_window import MainWindow
from app.services import entities as entities_service
from tests.gui.support import stored_spans, utf16

SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier


def expected(text: str, word: str) -> list[tuple[int, int]]:
    """Where ``word`` occurs, counted by hand (no regular expressions)."""
    found, at = [], text.find(word)
    while at >= 0:
        found.append((at, at + len(word)))
        at = text.find(word, at + len(word))
    return found


def find(window: MainWindow, qtbot: QtBot, query: str) -> None:
    qtbot.keyClick(window.article, Qt.Key.Key_F, CTRL)
    bar = window.find_bar
    assert bar.isVisible() and bar.query.hasFocus()
    bar.query.clear()
    qtbot.keyClicks(bar.query, query)


def test_ctrl_f_opens_the_bar_and_counts_matches_after_emoji(
    window: MainWindow, qtbot: QtBot
) -> None:
    text = window.article.text
    find(window, qtbot, "Khoury")
    bar = window.find_bar
    matches = expected(text, "Khoury")
    assert len(matches) == 2
    # emoji before the matches take two Qt positions each, one code point each
    assert utf16(text, matches[0][0]) > matches[0][0]
    assert bar.matches == matches
    assert bar.count_label.text() == "1 of 2"
    assert window.article.selected_range() == matches[0]
    cursor = window.article.textCursor()
    assert (cursor.selectionStart(), cursor.selectionEnd()) == (
        utf16(text, matches[0][0]),
        utf16(text, matches[0][1]),
    )
    assert bar.marks.visible_matches()  # the matches on screen are marked


def test_enter_and_f3_step_forwards_and_backwards_with_wrapping(
    window: MainWindow, qtbot: QtBot
) -> None:
    text = window.article.text
    find(window, qtbot, "festival")
    bar = window.find_bar
    matches = expected(text.lower(), "festival")
    assert len(bar.matches) == len(matches) == 5
    assert bar.matches == matches
    assert bar.count_label.text() == "1 of 5"
    qtbot.keyClick(bar.query, Qt.Key.Key_Return)
    assert bar.count_label.text() == "2 of 5"
    assert window.article.selected_range() == matches[1]
    qtbot.keyClick(bar.query, Qt.Key.Key_Return, SHIFT)
    qtbot.keyClick(bar.query, Qt.Key.Key_Return, SHIFT)
    assert bar.count_label.text() == "5 of 5"  # wrapped round to the last
    assert window.article.selected_range() == matches[4]
    qtbot.keyClick(bar.query, Qt.Key.Key_F3)
    assert bar.count_label.text() == "1 of 5"  # and round to the first
    qtbot.keyClick(bar.query, Qt.Key.Key_F3, SHIFT)
    assert window.article.selected_range() == matches[4]


def test_case_and_whole_word_options(window: MainWindow, qtbot: QtBot) -> None:
    text = window.article.text
    find(window, qtbot, "festival")
    bar = window.find_bar
    bar.case_box.setChecked(True)
    assert bar.matches == expected(text, "festival")
    assert len(bar.matches) == 4  # "Festival director" is left out
    bar.case_box.setChecked(False)
    bar.query.setText("fest")
    assert len(bar.matches) == 5  # the start of every "festival"
    bar.words_box.setChecked(True)
    assert bar.matches == []
    assert bar.count_label.text() == "No matches"


def test_escape_closes_the_bar_and_ctrl_shift_f_filters_documents(
    window: MainWindow, qtbot: QtBot
) -> None:
    find(window, qtbot, "Khoury")
    qtbot.keyClick(window.find_bar.query, Qt.Key.Key_Escape)
    assert window.find_bar.isHidden()
    assert not window.find_bar.marks.isVisible()
    assert window.article.hasFocus()
    qtbot.keyClick(window.article, Qt.Key.Key_F, CTRL | SHIFT)
    assert window.document_list.filter.hasFocus()


def test_tag_all_is_one_step_undone_and_redone_with_the_same_ids(
    window: MainWindow, qtbot: QtBot, db_path: Path
) -> None:
    document_id = window.document_id
    assert document_id is not None
    text = window.article.text
    first, second = expected(text, "Khoury")
    window.article.select_range(*first)
    window.annotate("PERSON")  # one is tagged already
    steps = window.undo_stack.count()

    find(window, qtbot, "Khoury")
    window.find_bar.set_label("PERSON")
    qtbot.keyClick(window.find_bar.query, Qt.Key.Key_T, CTRL | SHIFT)

    spans = stored_spans(db_path, document_id)
    assert [(s.start, s.end, s.label) for s in spans] == [
        (*first, "PERSON"),
        (*second, "PERSON"),
    ]
    assert window.undo_stack.count() == steps + 1
    made = [s for s in spans if (s.start, s.end) == second]
    assert window.article.span(made[0].id) is not None

    window.undo_stack.undo()
    assert [(s.start, s.end) for s in stored_spans(db_path, document_id)] == [first]
    assert window.article.span(made[0].id) is None

    window.undo_stack.redo()
    assert stored_spans(db_path, document_id) == spans
    assert window.spans.rowCount() == 2


def test_tag_all_makes_many_spans_as_one_undo_step(
    window: MainWindow, qtbot: QtBot, db_path: Path
) -> None:
    document_id = window.document_id
    assert document_id is not None
    find(window, qtbot, "the")
    bar = window.find_bar
    bar.words_box.setChecked(True)
    count = len(bar.matches)
    assert count > 5
    bar.set_label("ORG")
    qtbot.mouseClick(bar.tag_button, Qt.MouseButton.LeftButton)
    spans = stored_spans(db_path, document_id)
    assert len(spans) == count
    assert all(window.article.text[s.start : s.end].lower() == "the" for s in spans)
    assert window.undo_stack.count() == 1
    window.undo_stack.undo()
    assert stored_spans(db_path, document_id) == []
    window.undo_stack.redo()
    assert [s.id for s in stored_spans(db_path, document_id)] == [s.id for s in spans]

    # nothing left to tag: no empty step is kept
    qtbot.mouseClick(bar.tag_button, Qt.MouseButton.LeftButton)
    assert window.undo_stack.count() == 1


def test_tag_all_uses_the_palette_label_by_default(window: MainWindow, qtbot: QtBot) -> None:
    window.panel.palette_list.setCurrentRow(2)
    qtbot.keyClick(window.article, Qt.Key.Key_F, CTRL)
    assert window.find_bar.label() == window.workspace.schema.labels[2].name


def test_f3_after_closing_the_bar_goes_on_from_the_current_match(
    window: MainWindow, qtbot: QtBot
) -> None:
    matches = expected(window.article.text.lower(), "festival")
    find(window, qtbot, "festival")
    qtbot.keyClick(window.find_bar.query, Qt.Key.Key_Escape)
    assert window.article.selected_range() == matches[0]
    qtbot.keyClick(window.article, Qt.Key.Key_F3)
    assert window.find_bar.isVisible()
    assert window.article.selected_range() == matches[1]


def test_ctrl_z_right_after_tag_all_undoes_it_and_keeps_the_query(
    window: MainWindow, qtbot: QtBot, db_path: Path
) -> None:
    document_id = window.document_id
    assert document_id is not None
    find(window, qtbot, "Khoury")
    window.find_bar.set_label("PERSON")
    qtbot.keyClick(window.find_bar.query, Qt.Key.Key_T, CTRL | SHIFT)
    assert stored_spans(db_path, document_id)

    focused = QApplication.focusWidget()
    assert focused is not None
    qtbot.keyClick(focused, Qt.Key.Key_Z, CTRL)

    assert stored_spans(db_path, document_id) == []
    assert window.find_bar.query.text() == "Khoury"


def test_tag_all_offers_the_label_a_match_is_tagged_with_not_the_last_one_used(
    window: MainWindow, qtbot: QtBot
) -> None:
    first, _second = expected(window.article.text, "Khoury")
    window.article.select_range(*first)
    window.annotate("PERSON")
    window.article.clear_selection()
    window.panel.follow_label("ORG")  # the last label used elsewhere

    find(window, qtbot, "Khoury")
    assert window.find_bar.label() == "PERSON"
    find(window, qtbot, "festival")  # nothing tagged: the palette's label stays
    assert window.find_bar.label() == "PERSON"


def test_tag_all_skips_matches_inside_a_span_of_that_label(
    window: MainWindow, qtbot: QtBot, db_path: Path
) -> None:
    document_id = window.document_id
    assert document_id is not None
    text = window.article.text
    full = text.index("Rana Khoury")
    window.article.select_range(full, full + len("Rana Khoury"))
    window.annotate("PERSON")
    _inside, second = expected(text, "Khoury")

    find(window, qtbot, "Khoury")
    window.find_bar.set_label("PERSON")
    qtbot.keyClick(window.find_bar.query, Qt.Key.Key_T, CTRL | SHIFT)

    spans = [(s.start, s.end) for s in stored_spans(db_path, document_id)]
    assert spans == [(full, full + len("Rana Khoury")), second]
    assert "1 of 2" in window.statusBar().currentMessage()


def test_tag_all_offers_to_link_to_the_entity_of_a_tagged_match_in_one_step(
    window: MainWindow, qtbot: QtBot, db_path: Path
) -> None:
    document_id = window.document_id
    assert document_id is not None
    rana = entities_service.create_entity(window.workspace, "Rana Khoury", "PERSON")
    first, second = expected(window.article.text, "Khoury")
    window.article.select_range(*first)
    window.annotate("PERSON")
    tagged = window.article.selected_span()
    assert tagged is not None
    window.undo_stack.push(LinkEntity(window.workspace, window.hub, tagged, rana.id))
    window.entity_links.wait()
    steps = window.undo_stack.count()

    find(window, qtbot, "Khoury")
    bar = window.find_bar
    assert bar.label() == "PERSON"
    assert bar.link_box.isVisible() and bar.link_box.isChecked()
    assert bar.link_box.text() == "Link to Rana Khoury"
    qtbot.keyClick(bar.query, Qt.Key.Key_T, CTRL | SHIFT)

    made = [s for s in stored_spans(db_path, document_id) if (s.start, s.end) == second]
    assert [s.entity for s in made] == [rana.id]
    assert window.undo_stack.count() == steps + 1
    window.undo_stack.undo()
    assert [s.entity for s in stored_spans(db_path, document_id)] == [rana.id]

    bar.set_label("ORG")  # no ORG is linked: nothing to offer
    assert not bar.link_box.isVisible()


def test_tag_all_links_nothing_when_the_offer_is_declined(
    window: MainWindow, qtbot: QtBot, db_path: Path
) -> None:
    document_id = window.document_id
    assert document_id is not None
    rana = entities_service.create_entity(window.workspace, "Rana Khoury", "PERSON")
    first, _second = expected(window.article.text, "Khoury")
    window.article.select_range(*first)
    window.annotate("PERSON")
    tagged = window.article.selected_span()
    assert tagged is not None
    window.undo_stack.push(LinkEntity(window.workspace, window.hub, tagged, rana.id))

    find(window, qtbot, "Khoury")
    window.find_bar.link_box.setChecked(False)
    qtbot.keyClick(window.find_bar.query, Qt.Key.Key_T, CTRL | SHIFT)

    entities = [s.entity for s in stored_spans(db_path, document_id)]
    assert entities == [rana.id, None]
