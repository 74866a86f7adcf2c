"""Relabelling from the keyboard: what the new label does not allow goes in the same undo step,
and the palette follows the last label used."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from pytestqt.qtbot import QtBot

from app.core.annotations import Span
from app.gui.annotating.annotation_panel import LABEL_ROLE
from app.gui.window.main_window import MainWindow
from app.services import entities, relations, span_edits, spans
from app.services.checking import check
from tests.gui.support import stored_relations, stored_spans

CTRL = Qt.KeyboardModifier.ControlModifier
QUOTE = '"Music does not ask for a passport,"'


def tag(window: MainWindow, needle: str, label: str) -> Span:
    """Tag ``needle`` (its first occurrence) behind the window's back."""
    assert window.document_id is not None
    start = window.article.text.index(needle)
    return spans.add_span(
        window.workspace, window.document_id, start, start + len(needle), label
    ).added[0]


def reload(window: MainWindow) -> None:
    document = window.document_id
    assert document is not None
    window.open_document(window.steps.neighbour(-1) or window.steps.neighbour(+1) or 0, wait=True)
    window.open_document(document, wait=True)


def select_by_tab(qtbot: QtBot, window: MainWindow, span_id: int) -> None:
    qtbot.keyClick(window.article, Qt.Key.Key_Escape)
    for _ in range(len(window.article.spans())):
        qtbot.keyClick(window.article, Qt.Key.Key_Tab)
        selected = window.article.selected_span()
        if selected is not None and selected.id == span_id:
            return
    raise AssertionError(f"Tab never reached span {span_id}")


@pytest.fixture
def scene(window: MainWindow) -> dict[str, Any]:
    """The festival quote, its speaker Khoury (linked to an entity) and its cue, on show."""
    ws = window.workspace
    quote = tag(window, QUOTE, "QUOTE")
    khoury = tag(window, "Khoury told", "PERSON")
    khoury = span_edits.move_span(
        ws, khoury.id, khoury.start, khoury.start + len("Khoury")
    ).changed[0]
    told = tag(window, "told the crowd", "CUE")
    told = span_edits.move_span(ws, told.id, told.start, told.start + len("told")).changed[0]
    entity = entities.create_entity(ws, "Rana Khoury", "PERSON")
    entities.link_span(ws, khoury.id, entity.id, add_alias=False)
    speaker = relations.add_relation(ws, quote.id, khoury.id, "speaker").relations_added[0]
    cue = relations.add_relation(ws, quote.id, told.id, "cue").relations_added[0]
    reload(window)
    return {
        "quote": quote,
        "khoury": khoury._replace(entity=entity.id),
        "entity": entity,
        "speaker": speaker,
        "cue": cue,
    }


def test_relabelling_a_quote_as_a_claim_drops_its_links_and_undo_brings_them_back(
    window: MainWindow, qtbot: QtBot, db_path: Path, scene: dict[str, Any]
) -> None:
    document = window.document_id
    assert document is not None
    quote = scene["quote"]
    select_by_tab(qtbot, window, quote.id)

    qtbot.keyClick(window.article, Qt.Key.Key_6)  # CLAIM

    assert [s.label for s in stored_spans(db_path, document) if s.id == quote.id] == ["CLAIM"]
    assert stored_relations(db_path, document) == []
    assert window.relations.rowCount() == 0
    message = window.statusBar().currentMessage()
    assert "speaker → PERSON “Khoury”" in message and "cue → CUE “told”" in message
    assert window.undo_stack.count() == 1
    assert check(window.workspace) == []

    qtbot.keyClick(window.article, Qt.Key.Key_Z, CTRL)

    assert [s.label for s in stored_spans(db_path, document) if s.id == quote.id] == ["QUOTE"]
    assert sorted(r.id for r in stored_relations(db_path, document)) == sorted(
        [scene["speaker"].id, scene["cue"].id]
    )
    assert window.relations.rowCount() == 2


def test_relabelling_a_speaker_as_a_cue_unlinks_its_entity_until_undone(
    window: MainWindow, qtbot: QtBot, db_path: Path, scene: dict[str, Any]
) -> None:
    document = window.document_id
    assert document is not None
    khoury = scene["khoury"]
    select_by_tab(qtbot, window, khoury.id)

    qtbot.keyClick(window.article, Qt.Key.Key_5)  # CUE

    [stored] = [s for s in stored_spans(db_path, document) if s.id == khoury.id]
    assert (stored.label, stored.entity) == ("CUE", None)
    assert [r.id for r in stored_relations(db_path, document)] == [scene["cue"].id]
    assert "Rana Khoury" in window.statusBar().currentMessage()
    assert check(window.workspace) == []

    qtbot.keyClick(window.article, Qt.Key.Key_Z, CTRL)

    assert [s for s in stored_spans(db_path, document) if s.id == khoury.id] == [khoury]
    assert window.article.selected_span() == khoury

    qtbot.keyClick(window.article, Qt.Key.Key_Z, CTRL | Qt.KeyboardModifier.ShiftModifier)

    [stored] = [s for s in stored_spans(db_path, document) if s.id == khoury.id]
    assert (stored.label, stored.entity) == ("CUE", None)


def test_a_relabel_the_relations_allow_says_nothing_and_keeps_them(
    window: MainWindow, qtbot: QtBot, db_path: Path, scene: dict[str, Any]
) -> None:
    document = window.document_id
    assert document is not None
    select_by_tab(qtbot, window, scene["khoury"].id)
    window.statusBar().clearMessage()

    qtbot.keyClick(window.article, Qt.Key.Key_2)  # ORG may speak too

    assert len(stored_relations(db_path, document)) == 2
    assert "speaker" not in window.statusBar().currentMessage()


def current_palette_label(window: MainWindow) -> str | None:
    item = window.panel.palette_list.currentItem()
    return None if item is None else str(item.data(LABEL_ROLE))


def test_the_palette_follows_the_label_key_pressed(
    window: MainWindow, qtbot: QtBot, db_path: Path
) -> None:
    text = window.article.text
    start = text.index("Khoury")
    window.article.select_range(start, start + len("Khoury"))
    window.panel.palette_list.setCurrentRow(0)

    qtbot.keyClick(window.article, Qt.Key.Key_3)  # LOC

    assert current_palette_label(window) == "LOC"
    qtbot.keyClick(window.article, Qt.Key.Key_2)  # relabel it ORG
    assert current_palette_label(window) == "ORG"
    # find's Tag all now offers the last label used
    qtbot.keyClick(window.article, Qt.Key.Key_F, CTRL)
    assert window.find_bar.label() == "ORG"


def test_with_nothing_selected_the_palette_shows_the_guideline_of_the_key_pressed(
    window: MainWindow, qtbot: QtBot
) -> None:
    qtbot.keyClick(window.article, Qt.Key.Key_Escape)
    window.panel.palette_list.setCurrentRow(0)

    qtbot.keyClick(window.article, Qt.Key.Key_4)  # QUOTE

    assert current_palette_label(window) == "QUOTE"
    assert window.panel.details.text().startswith("<b>QUOTE</b>")
