"""Who said what, from the keyboard: links, attributes and boundaries, each one undoable step."""

from __future__ import annotations

from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QColor, QTextCursor
from PySide6.QtWidgets import QCheckBox, QComboBox, QLineEdit, QMessageBox
from pytestqt.modeltest import ModelTester
from pytestqt.qtbot import QtBot

from app.core.annotations import Span
from app.gui.models.relations import RELATION_ID_ROLE, SPAN_EXCERPT, RelationListModel
from app.gui.models.spans import excerpt
from app.gui.window.main_window import MainWindow
from app.services import ChangeSet, span_edits
from app.services import relations as relations_service
from app.services import spans as spans_service
from app.services.checking import check
from tests.gui.support import stored_relations, stored_spans, stored_text, utf16

SHIFT = Qt.KeyboardModifier.ShiftModifier
ALT = Qt.KeyboardModifier.AltModifier
CTRL = Qt.KeyboardModifier.ControlModifier
QUOTE = '"Music does not ask for a passport,"'
PICK_PROMPT = "Pick the speaker: Tab/click a span, Enter to confirm, Esc to cancel"


def tag(window: MainWindow, needle: str, label: str, **attributes: object) -> Span:
    """Tag the first occurrence of ``needle`` behind the window's back (reload to show it)."""
    assert window.document_id is not None
    start = window.article.text.index(needle)
    changes = spans_service.add_span(
        window.workspace,
        window.document_id,
        start,
        start + len(needle),
        label,
        attributes=dict(attributes),
    )
    return changes.added[0]


def reload(window: MainWindow) -> None:
    document = window.document_id
    assert document is not None
    window.open_document(window.steps.neighbour(-1) or window.steps.neighbour(+1) or 0, wait=True)
    window.open_document(document, wait=True)


@pytest.fixture
def scene(window: MainWindow) -> dict[str, Span]:
    """A place, a quote, its speaker and its cue in the festival article, on show."""
    spans = {
        "square": tag(window, "cathedral square", "LOC"),
        "quote": tag(window, QUOTE, "QUOTE"),
        "khoury": tag(window, "Khoury told", "PERSON"),
        "told": tag(window, "told the crowd", "CUE"),
    }
    # tidy the person and cue down to one word each, as an annotator would have
    text = window.article.text
    for key, word in (("khoury", "Khoury"), ("told", "told")):
        span = spans[key]
        start = text.index(word, span.start)
        spans[key] = span_edits.move_span(
            window.workspace, span.id, start, start + len(word)
        ).changed[0]
    reload(window)
    return spans


def press(qtbot: QtBot, window: MainWindow, key: Qt.Key, modifiers: object = None) -> None:
    if modifiers is None:
        qtbot.keyClick(window.article, key)
    else:
        qtbot.keyClick(window.article, key, modifiers)  # type: ignore[arg-type]


def select_by_tab(qtbot: QtBot, window: MainWindow, span: Span) -> None:
    qtbot.keyClick(window.article, Qt.Key.Key_Escape)
    for _ in range(len(window.article.spans())):
        qtbot.keyClick(window.article, Qt.Key.Key_Tab)
        if window.article.selected_span() == span:
            return
    raise AssertionError(f"Tab never reached {span}")


def point_in(window: MainWindow, span: Span) -> QPoint:
    cursor = window.article.textCursor()
    cursor.setPosition(utf16(window.article.text, span.start + 1))
    return window.article.cursorRect(cursor).center()


# -- relations ---------------------------------------------------------------------------


def test_speaker_and_cue_are_linked_by_keyboard_only(
    window: MainWindow, qtbot: QtBot, db_path: Path, scene: dict[str, Span]
) -> None:
    quote, khoury, told = scene["quote"], scene["khoury"], scene["told"]
    document = quote.document_id
    select_by_tab(qtbot, window, quote)

    qtbot.keyClick(window.article, Qt.Key.Key_S)
    assert window.statusBar().currentMessage() == PICK_PROMPT
    assert window.article.picking
    qtbot.keyClick(window.article, Qt.Key.Key_Tab)  # the first PERSON or ORG after the quote
    assert window.article.selected_span() == khoury
    qtbot.keyClick(window.article, Qt.Key.Key_Return)

    [speaker] = stored_relations(db_path, document)
    assert (speaker.head, speaker.tail, speaker.label) == (quote.id, khoury.id, "speaker")
    assert not window.article.picking
    assert window.article.selected_span() == quote  # back on the quote, to link its cue
    assert window.statusBar().currentMessage().startswith("QUOTE (")  # named, no prompt left

    qtbot.keyClick(window.article, Qt.Key.Key_C)
    assert window.statusBar().currentMessage().startswith("Pick the cue:")
    qtbot.keyClick(window.article, Qt.Key.Key_Tab)
    assert window.article.selected_span() == told  # Tab only visits CUEs now
    qtbot.keyClick(window.article, Qt.Key.Key_Enter)
    relations = stored_relations(db_path, document)
    assert [(r.head, r.tail, r.label) for r in relations] == [
        (quote.id, khoury.id, "speaker"),
        (quote.id, told.id, "cue"),
    ]
    assert window.undo_stack.count() == 2

    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert stored_relations(db_path, document) == [speaker]
    press(qtbot, window, Qt.Key.Key_Z, CTRL | SHIFT)
    assert stored_relations(db_path, document) == relations  # the same ids again


def test_a_loc_speaker_is_refused_with_a_message(
    window: MainWindow, qtbot: QtBot, db_path: Path, scene: dict[str, Span]
) -> None:
    select_by_tab(qtbot, window, scene["quote"])
    qtbot.keyClick(window.article, Qt.Key.Key_S)
    point = point_in(window, scene["square"])
    qtbot.mouseClick(window.article.viewport(), Qt.MouseButton.LeftButton, pos=point)

    message = "a speaker must be a PERSON or ORG, not LOC"
    assert message in window.statusBar().currentMessage()
    box = window.findChild(QMessageBox)
    assert box is not None and message in box.text()
    box.close()
    assert stored_relations(db_path, scene["quote"].document_id) == []
    assert window.undo_stack.count() == 0
    assert not window.article.picking


def test_escape_cancels_a_link_and_clicking_a_person_links_it(
    window: MainWindow, qtbot: QtBot, db_path: Path, scene: dict[str, Span]
) -> None:
    quote, khoury = scene["quote"], scene["khoury"]
    select_by_tab(qtbot, window, quote)
    qtbot.keyClick(window.article, Qt.Key.Key_S)
    qtbot.keyClick(window.article, Qt.Key.Key_Tab)
    qtbot.keyClick(window.article, Qt.Key.Key_Escape)
    assert not window.article.picking
    assert window.article.selected_span() == quote
    assert window.statusBar().currentMessage() == "Link cancelled."

    qtbot.keyClick(window.article, Qt.Key.Key_L)  # any relation: a QUOTE's first is speaker
    assert window.statusBar().currentMessage().startswith("Pick the speaker:")
    qtbot.keyClick(window.article, Qt.Key.Key_L)  # switch to the next relation
    assert window.statusBar().currentMessage().startswith("Pick the cue:")
    qtbot.keyClick(window.article, Qt.Key.Key_L)
    assert window.linker.relation == "speaker"
    qtbot.mouseClick(
        window.article.viewport(), Qt.MouseButton.LeftButton, pos=point_in(window, khoury)
    )
    [speaker] = stored_relations(db_path, quote.document_id)
    assert (speaker.tail, speaker.label) == (khoury.id, "speaker")


def test_link_keys_explain_when_nothing_can_be_linked(
    window: MainWindow, qtbot: QtBot, scene: dict[str, Span]
) -> None:
    qtbot.keyClick(window.article, Qt.Key.Key_Escape)
    qtbot.keyClick(window.article, Qt.Key.Key_S)
    assert window.statusBar().currentMessage().startswith("Select a QUOTE or CLAIM first")
    select_by_tab(qtbot, window, scene["khoury"])
    qtbot.keyClick(window.article, Qt.Key.Key_S)
    assert (
        window.statusBar()
        .currentMessage()
        .startswith("A PERSON has no speaker or claimant: select a CLAIM or QUOTE first")
    )
    assert not window.article.picking


def test_the_panel_and_the_article_show_the_relations(
    window: MainWindow, qtbot: QtBot, scene: dict[str, Span]
) -> None:
    quote, khoury, told = scene["quote"], scene["khoury"], scene["told"]
    relations_service.add_relation(window.workspace, quote.id, khoury.id, "speaker")
    relations_service.add_relation(window.workspace, quote.id, told.id, "cue")
    reload(window)

    assert window.relations.rowCount() == 2
    first = window.relations.data(window.relations.index(0))
    assert first == f"speaker: {excerpt(QUOTE, SPAN_EXCERPT)} → “Khoury”"
    assert first.startswith('speaker: "Music does not ask')  # its own marks, not doubled
    tooltip = window.relations.data(window.relations.index(0), Qt.ItemDataRole.ToolTipRole)
    assert tooltip == f"QUOTE {QUOTE} —speaker→ PERSON “Khoury”"
    select_by_tab(qtbot, window, quote)
    assert window.panel.relation_lines() == ["speaker → PERSON “Khoury”", "cue → CUE “told”"]
    select_by_tab(qtbot, window, khoury)
    assert window.panel.relation_lines() == [f"speaker of ← QUOTE {excerpt(QUOTE, SPAN_EXCERPT)}"]

    # the partner spans are framed, and an arrow drawn, in the relation's colour
    select_by_tab(qtbot, window, quote)
    image = window.article.viewport().grab().toImage()
    speaker_colour = QColor(window.relation_colours["speaker"]).rgb()
    cue_colour = QColor(window.relation_colours["cue"]).rgb()
    found = {speaker_colour: 0, cue_colour: 0}
    for y in range(0, image.height()):
        for x in range(0, image.width()):
            pixel = image.pixel(x, y)
            if pixel in found:
                found[pixel] += 1
    assert found[speaker_colour] > 40 and found[cue_colour] > 40
    qtbot.keyClick(window.article, Qt.Key.Key_Escape)
    plain = window.article.viewport().grab().toImage()
    assert all(
        plain.pixel(x, y) != speaker_colour
        for y in range(0, plain.height(), 2)
        for x in range(0, plain.width(), 2)
    )


def test_clicking_a_relation_in_the_list_selects_its_head(
    window: MainWindow, qtbot: QtBot, db_path: Path, scene: dict[str, Span]
) -> None:
    quote, khoury = scene["quote"], scene["khoury"]
    relations_service.add_relation(window.workspace, quote.id, khoury.id, "speaker")
    reload(window)
    relation_list = window.panel.relation_list
    rect = relation_list.visualRect(window.relations.index(0))
    qtbot.mouseClick(relation_list.viewport(), Qt.MouseButton.LeftButton, pos=rect.center())
    assert window.article.selected_span() == quote

    # Ctrl+R goes to the list, Del there deletes the relation (not the span), Ctrl+Z restores
    qtbot.keyClick(window.article, Qt.Key.Key_R, CTRL)
    assert relation_list.hasFocus()
    [relation] = stored_relations(db_path, quote.document_id)
    qtbot.keyClick(relation_list, Qt.Key.Key_Delete)
    assert stored_relations(db_path, quote.document_id) == []
    assert len(stored_spans(db_path, quote.document_id)) == 4
    assert window.relations.rowCount() == 0
    qtbot.keyClick(relation_list, Qt.Key.Key_Z, CTRL)
    assert stored_relations(db_path, quote.document_id) == [relation]
    assert window.relations.data(window.relations.index(0), RELATION_ID_ROLE) == relation.id


def test_deleting_a_linked_span_asks_then_undo_restores_span_and_relations(
    window: MainWindow,
    qtbot: QtBot,
    db_path: Path,
    scene: dict[str, Span],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    quote, khoury, told = scene["quote"], scene["khoury"], scene["told"]
    relations_service.add_relation(window.workspace, quote.id, khoury.id, "speaker")
    relations_service.add_relation(window.workspace, quote.id, told.id, "cue")
    reload(window)
    document = quote.document_id
    spans_before = stored_spans(db_path, document)
    relations_before = stored_relations(db_path, document)
    asked: list[str] = []
    answer = QMessageBox.StandardButton.No

    def question(parent: object, title: str, text: str, *args: object) -> object:
        asked.append(text)
        assert args[-1] == QMessageBox.StandardButton.Yes  # the default button
        return answer

    monkeypatch.setattr(QMessageBox, "question", question)
    select_by_tab(qtbot, window, quote)
    qtbot.keyClick(window.article, Qt.Key.Key_Delete)
    assert asked == ["This QUOTE is used by 2 relations (speaker, cue).\n"
                     "Delete the span and its relations?"]  # fmt: skip
    assert stored_spans(db_path, document) == spans_before  # "No": nothing happened

    answer = QMessageBox.StandardButton.Yes
    qtbot.keyClick(window.article, Qt.Key.Key_Delete)
    assert quote.id not in {s.id for s in stored_spans(db_path, document)}
    assert stored_relations(db_path, document) == []
    assert window.relations.rowCount() == 0
    assert window.article.relations_of(khoury.id) == []
    assert window.undo_stack.count() == 1  # one step for the span and its relations

    qtbot.keyClick(window.article, Qt.Key.Key_Z, CTRL)
    assert stored_spans(db_path, document) == spans_before
    assert stored_relations(db_path, document) == relations_before
    assert window.relations.rowCount() == 2
    assert [r.id for r in window.article.relations_of(quote.id)] == [r.id for r in relations_before]
    assert check(window.workspace) == []

    # a span no relation uses goes without a question
    asked.clear()
    select_by_tab(qtbot, window, scene["square"])
    qtbot.keyClick(window.article, Qt.Key.Key_Delete)
    assert asked == []
    assert len(stored_spans(db_path, document)) == 3


# -- attributes --------------------------------------------------------------------------


def test_editing_an_attribute_in_the_combo_and_undoing_it(
    window: MainWindow, qtbot: QtBot, db_path: Path, scene: dict[str, Span]
) -> None:
    quote = scene["quote"]
    select_by_tab(qtbot, window, quote)
    combo = window.panel.attributes.editor("kind")
    assert isinstance(combo, QComboBox) and combo.isVisible()
    assert combo.currentText() == "—"
    combo.setCurrentIndex(combo.findText("indirect"))

    def attributes() -> dict[str, object]:
        return next(
            s for s in stored_spans(db_path, quote.document_id) if s.id == quote.id
        ).attributes

    assert attributes() == {"kind": "indirect"}
    assert window.undo_stack.count() == 1
    qtbot.keyClick(window.article, Qt.Key.Key_Z, CTRL)
    assert attributes() == {}
    assert combo.currentText() == "—"  # the editor follows the undo
    qtbot.keyClick(window.article, Qt.Key.Key_Y, CTRL)
    assert attributes() == {"kind": "indirect"}
    assert combo.currentText() == "indirect"

    # A steps through the values and back to unset, one undoable step each
    seen = []
    for _ in range(3):
        qtbot.keyClick(window.article, Qt.Key.Key_A)
        seen.append(attributes().get("kind"))
    assert seen == ["mixed", None, "direct"]
    assert combo.currentText() == "direct"
    assert window.undo_stack.count() == 4


def test_claim_attributes_check_box_and_note(
    window: MainWindow, qtbot: QtBot, db_path: Path
) -> None:
    claim = tag(window, "brought in €12 million", "CLAIM")
    person = tag(window, "Lindqvist", "PERSON")
    reload(window)
    select_by_tab(qtbot, window, claim)
    box = window.panel.attributes.editor("check_worthy")
    note = window.panel.attributes.editor("note")
    assert isinstance(box, QCheckBox) and isinstance(note, QLineEdit)
    box.setChecked(True)
    note.setFocus()
    qtbot.keyClicks(note, "ask the chamber")
    qtbot.keyClick(note, Qt.Key.Key_Return)
    stored = {s.id: s for s in stored_spans(db_path, claim.document_id)}
    assert stored[claim.id].attributes == {"check_worthy": True, "note": "ask the chamber"}
    assert window.undo_stack.count() == 2

    qtbot.keyClick(window.article, Qt.Key.Key_A)  # a CLAIM has no choice attribute
    assert "has no choice attribute" in window.statusBar().currentMessage()
    select_by_tab(qtbot, window, person)
    assert window.panel.attributes.editor("note") is None  # a PERSON has no editors


# -- boundaries --------------------------------------------------------------------------


def test_nudging_the_end_and_start_and_undoing(
    window: MainWindow, qtbot: QtBot, db_path: Path
) -> None:
    rana = tag(window, "Rana", "PERSON")
    reload(window)
    document = rana.document_id
    text = stored_text(db_path, document)

    def covered() -> str:
        [span] = stored_spans(db_path, document)
        assert span.id == rana.id
        return text[span.start : span.end]

    select_by_tab(qtbot, window, rana)
    press(qtbot, window, Qt.Key.Key_Right, CTRL | SHIFT)  # end: one word later
    assert covered() == "Rana Khoury"
    press(qtbot, window, Qt.Key.Key_Right, CTRL | SHIFT)  # the closing bracket is a word too
    assert covered() == "Rana Khoury)"
    press(qtbot, window, Qt.Key.Key_Left, CTRL | SHIFT | ALT)  # end: one character earlier
    assert covered() == "Rana Khoury"
    press(qtbot, window, Qt.Key.Key_Right, CTRL)  # start: one word later
    assert covered() == "Khoury"
    press(qtbot, window, Qt.Key.Key_Left, CTRL | ALT)  # start: one character earlier
    assert covered() == " Khoury"
    assert window.undo_stack.count() == 5
    assert check(window.workspace) == []
    assert window.article.selected_span() is not None
    assert window.spans.data(window.spans.index(0, 1)) == " Khoury".strip()

    for _ in range(4):
        press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert covered() == "Rana Khoury"
    press(qtbot, window, Qt.Key.Key_Z, CTRL)
    assert covered() == "Rana"
    assert window.article.span_at(text.index("Khoury)")) is None


def test_ctrl_arrows_move_the_caret_when_no_span_is_selected(
    window: MainWindow, qtbot: QtBot, db_path: Path
) -> None:
    rana = tag(window, "Rana", "PERSON")
    reload(window)
    qtbot.keyClick(window.article, Qt.Key.Key_Escape)
    press(qtbot, window, Qt.Key.Key_Right, CTRL | SHIFT)  # selects text as usual
    assert window.article.textCursor().hasSelection()
    assert window.undo_stack.count() == 0
    assert stored_spans(db_path, rana.document_id) == [rana]


def test_dragging_the_end_of_the_selected_span(
    window: MainWindow, qtbot: QtBot, db_path: Path
) -> None:
    zoe = tag(window, "Festival director", "PERSON")
    reload(window)
    select_by_tab(qtbot, window, zoe)
    text = window.article.text
    viewport = window.article.viewport()

    def at(offset: int) -> QPoint:
        cursor = window.article.textCursor()
        cursor.setPosition(utf16(text, offset))
        rect = window.article.cursorRect(cursor)
        return QPoint(rect.x(), rect.center().y())

    edge = at(zoe.end)
    target = at(text.index("Lindqvist") + 3)  # inside the word: the whole word is taken
    qtbot.mousePress(viewport, Qt.MouseButton.LeftButton, pos=edge)
    qtbot.mouseMove(viewport, pos=target)
    assert window.article.selected_span() == zoe  # nothing stored until the release
    qtbot.mouseRelease(viewport, Qt.MouseButton.LeftButton, pos=target)

    [moved] = stored_spans(db_path, zoe.document_id)
    assert text[moved.start : moved.end] == "Festival director Zoë Lindqvist"
    assert window.undo_stack.count() == 1
    qtbot.keyClick(window.article, Qt.Key.Key_Z, CTRL)
    assert stored_spans(db_path, zoe.document_id) == [zoe]


def test_span_and_relation_changes_rehighlight_only_their_blocks(
    window: MainWindow, qtbot: QtBot, scene: dict[str, Span], monkeypatch: pytest.MonkeyPatch
) -> None:
    highlighted: list[list[int]] = []
    highlighter = window.article._highlighter
    original = highlighter.rehighlight_blocks
    monkeypatch.setattr(
        highlighter,
        "rehighlight_blocks",
        lambda blocks: (highlighted.append(list(blocks)), original(blocks)),
    )
    quote, khoury = scene["quote"], scene["khoury"]
    select_by_tab(qtbot, window, quote)
    qtbot.keyClick(window.article, Qt.Key.Key_S)
    qtbot.keyClick(window.article, Qt.Key.Key_Tab)
    qtbot.keyClick(window.article, Qt.Key.Key_Return)
    assert highlighted == []  # a relation changes no highlight
    select_by_tab(qtbot, window, khoury)
    press(qtbot, window, Qt.Key.Key_Left, CTRL | ALT)
    block = window.article.document().findBlock(utf16(window.article.text, khoury.start))
    assert highlighted == [[block.blockNumber()], [block.blockNumber()]]  # left, then entered


# -- models and help ---------------------------------------------------------------------


def test_relation_list_model_passes_the_model_tester(
    qtmodeltester: ModelTester, window: MainWindow, scene: dict[str, Span]
) -> None:
    quote, khoury, told = scene["quote"], scene["khoury"], scene["told"]
    model = RelationListModel()
    spans = spans_service.spans(window.workspace, quote.document_id)
    model.show_document(quote.document_id, window.article.text, spans, [], {"speaker": "#00838f"})
    qtmodeltester.check(model)
    speaker = relations_service.add_relation(window.workspace, quote.id, khoury.id, "speaker")
    cue = relations_service.add_relation(window.workspace, quote.id, told.id, "cue")
    model.apply(speaker)
    model.apply(cue)
    model.apply(ChangeSet(quote.document_id + 1, relations_removed=speaker.relations_added))
    qtmodeltester.check(model)
    assert model.rowCount() == 2
    text = window.article.text
    start = text.index("passport", quote.start)
    model.apply(span_edits.move_span(window.workspace, khoury.id, start, khoury.end))
    words = excerpt(text[start : khoury.end], SPAN_EXCERPT)
    assert model.words(khoury.id) == f"PERSON “{words}”"
    assert model.data(model.index(0)).endswith(f" → “{words}”")
    model.apply(spans_service.delete_span(window.workspace, told.id))
    qtmodeltester.check(model)
    assert [model.relation_in_row(0)] == list(speaker.relations_added)


def test_keyboard_map_lists_the_new_keys(window: MainWindow, qtbot: QtBot) -> None:
    from app.gui.window.shortcuts_dialog import ShortcutsDialog

    qtbot.keyClick(window.article, Qt.Key.Key_F1)
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None
    rows = {keys: action for _task, keys, action in dialog.rows()}
    assert "speaker" in rows["S"] and "cue" in rows["C"] and "kind" in rows["A"]
    assert "end one word" in rows["Ctrl+Shift+Left / Ctrl+Shift+Right"]
    dialog.close()


def test_cursor_shows_where_an_edge_can_be_grabbed(
    window: MainWindow, qtbot: QtBot, scene: dict[str, Span]
) -> None:
    select_by_tab(qtbot, window, scene["khoury"])
    cursor = QTextCursor(window.article.document())
    cursor.setPosition(utf16(window.article.text, scene["khoury"].end))
    rect = window.article.cursorRect(cursor)
    viewport = window.article.viewport()
    qtbot.mouseMove(viewport, pos=QPoint(rect.x() + 1, rect.center().y()))
    assert viewport.cursor().shape() == Qt.CursorShape.SizeHorCursor
    qtbot.mouseMove(viewport, pos=QPoint(rect.x() + 60, rect.center().y()))
    assert viewport.cursor().shape() == Qt.CursorShape.IBeamCursor


def test_s_offers_the_speaker_next_to_the_quote_before_a_name_inside_it(
    window: MainWindow, qtbot: QtBot, db_path: Path, scene: dict[str, Span]
) -> None:
    quote, khoury = scene["quote"], scene["khoury"]
    inside = tag(window, "passport", "PERSON")  # a name inside the quote, before the speaker
    reload(window)
    select_by_tab(qtbot, window, quote)

    qtbot.keyClick(window.article, Qt.Key.Key_S)
    qtbot.keyClick(window.article, Qt.Key.Key_Tab)
    assert window.article.selected_span() == khoury
    qtbot.keyClick(window.article, Qt.Key.Key_Tab)
    assert window.article.selected_span() == inside  # the one inside comes last
    qtbot.keyClick(window.article, Qt.Key.Key_Tab)
    assert window.article.selected_span() == khoury  # and round again
    qtbot.keyClick(window.article, Qt.Key.Key_Return)

    [speaker] = stored_relations(db_path, quote.document_id)
    assert (speaker.head, speaker.tail) == (quote.id, khoury.id)
