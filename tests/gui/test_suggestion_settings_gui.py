"""Fixing a suggestion's boundary from the keyboard before accepting it, the project's
suggestion settings from Review > Suggestion settings…, a failing suggester named in the
status bar, and quotes suggested live in the open article."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog
from pytestqt.qtbot import QtBot

from app.assist import KnownNamesSuggester, ProjectContext, QuoteSuggester, Suggestion, register
from app.assist.suggester import _REGISTRY
from app.core.ledger import ACCEPTED_AFTER_FIX
from app.gui.annotating.suggestions import LONG_ARTICLE
from app.gui.keymap import ARTICLE_KEYS, SUGGESTIONS
from app.gui.reviewing.suggestion_settings import SuggestionSettingsDialog, settings_dialog
from app.gui.window.main_window import MainWindow
from app.services import Workspace, documents
from app.services import spans as spans_service
from app.services.costs import cost_report
from app.services.importing import import_paths
from app.services.pending import pending_suggestions, store_suggestions
from app.services.suggestion_settings import (
    SuggestionSettings,
    save_suggestion_settings,
    suggestion_settings,
)

SHIFT = Qt.KeyboardModifier.ShiftModifier
CTRL = Qt.KeyboardModifier.ControlModifier
ALT = Qt.KeyboardModifier.AltModifier
ARTICLE = (
    "Harbour talks\n\n"
    "“We will not leave,” said Mara Voss, the union's spokeswoman. "
    "Later Voss met the mayor. Everyone in Tarn knows Voss.\n"
)
QUOTE = "“We will not leave,”"


class Broken:
    name = "broken"

    def suggest(self, text: str, context: ProjectContext) -> list[Suggestion]:
        raise ValueError("no oracle today")


@pytest.fixture
def workspace(tmp_path: Path) -> Iterator[Workspace]:
    made = Workspace.open(f"sqlite:///{tmp_path / 'g.db'}", "ana", samples=False)
    article = tmp_path / "talks.txt"
    article.write_text(ARTICLE, encoding="utf-8")
    import_paths(made, [article])
    yield made
    made.close()


def quotes_only(workspace: Workspace) -> None:
    save_suggestion_settings(workspace, SuggestionSettings(window=("quotes",)))


def spans(window: MainWindow) -> set[tuple[str, str]]:
    assert window.document_id is not None
    text = window.article.text
    return {
        (s.label, text[s.start : s.end])
        for s in spans_service.spans(window.workspace, window.document_id)
    }


def shown(window: MainWindow) -> list[tuple[str, str, bool]]:
    text = window.article.text
    return [(s.label, text[s.start : s.end], s.stored) for s in window.suggested.suggestions]


def test_ctrl_arrows_fix_the_boundary_and_enter_accepts_it_fixed_as_one_undo_step(
    qtbot: QtBot, workspace: Workspace, open_window: Callable[..., MainWindow]
) -> None:
    quotes_only(workspace)
    (document,) = documents.documents(workspace)
    store_suggestions(workspace, [document.id], ["quotes"])
    window = open_window(workspace)
    (proposed,) = pending_suggestions(workspace, document.id)
    qtbot.keyClick(window.article, Qt.Key.Key_Tab)
    assert window.suggested.current == proposed

    qtbot.keyClick(window.article, Qt.Key.Key_Right, CTRL)  # the start, a word later
    qtbot.keyClick(window.article, Qt.Key.Key_Left, CTRL | SHIFT)  # the end, a word earlier
    assert shown(window) == [("QUOTE", "We will not leave", True)]
    qtbot.keyClick(window.article, Qt.Key.Key_Right, CTRL | SHIFT | ALT)  # a character
    assert shown(window) == [("QUOTE", "We will not leave,", True)]
    assert spans(window) == set()  # the fix is the window's only until accepted
    assert pending_suggestions(workspace, document.id) == [proposed]

    qtbot.keyClick(window.article, Qt.Key.Key_Return)

    assert spans(window) == {
        ("QUOTE", "We will not leave,"),
        ("CUE", "said"),
        ("PERSON", "Mara Voss"),
    }
    assert window.undo_stack.count() == 1
    made = {e.made for e in cost_report(workspace).entries}
    assert made == {ACCEPTED_AFTER_FIX}
    assert window.suggested.suggestions == []

    qtbot.keyClick(window.article, Qt.Key.Key_Z, CTRL)
    assert spans(window) == set()
    assert pending_suggestions(workspace, document.id) == [proposed]
    assert shown(window) == [("QUOTE", QUOTE, True)]  # back as it was proposed


def test_ctrl_arrows_still_move_a_selected_spans_edges(
    qtbot: QtBot, workspace: Workspace, open_window: Callable[..., MainWindow]
) -> None:
    quotes_only(workspace)
    (document,) = documents.documents(workspace)
    text = documents.document(workspace, document.id).text
    start = text.index("Mara")
    spans_service.add_span(workspace, document.id, start, start + 4, "PERSON")
    window = open_window(workspace)
    qtbot.keyClick(window.article, Qt.Key.Key_Tab)  # the span, not the suggestion
    assert window.suggested.current is None

    qtbot.keyClick(window.article, Qt.Key.Key_Right, CTRL | SHIFT)

    assert ("PERSON", "Mara Voss") in spans(window)
    assert shown(window) == [("QUOTE", QUOTE, False)]


def test_the_settings_dialog_saves_the_projects_settings_and_the_article_follows(
    qtbot: QtBot, workspace: Workspace, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window(workspace)
    assert ("QUOTE", QUOTE, False) in shown(window)  # the quote suggester runs live
    dialog = settings_dialog(workspace, window)
    qtbot.addWidget(dialog)
    assert isinstance(dialog, SuggestionSettingsDialog)
    assert dialog.running["quotes"].isChecked() and not dialog.running["model"].isChecked()

    dialog.running["quotes"].setChecked(False)
    dialog.threshold.setValue(0.4)
    dialog.allow("known-names", "LOC", False)
    chosen = dialog.settings()
    assert chosen.window == ("known-names",)
    assert chosen.threshold == 0.4
    assert chosen.labels == {
        "known-names": tuple(lab.name for lab in workspace.schema.labels if lab.name != "LOC")
    }
    save_suggestion_settings(workspace, chosen)
    window.suggested.reload()

    assert suggestion_settings(workspace) == chosen
    assert all(label != "QUOTE" for label, _, _ in shown(window))
    assert any(
        a.text() == "Suggestion settings…" for a in window.session.actions.menu("Review").actions()
    )


def test_the_menu_opens_the_dialog_and_ok_recomputes_the_article(
    qtbot: QtBot,
    workspace: Workspace,
    open_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window(workspace)

    def answered(dialog: SuggestionSettingsDialog) -> QDialog.DialogCode:
        dialog.threshold.setValue(0.99)
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(SuggestionSettingsDialog, "exec", answered)
    (action,) = [
        a
        for a in window.session.actions.menu("Review").actions()
        if a.text() == "Suggestion settings…"
    ]
    action.trigger()

    assert suggestion_settings(workspace).threshold == 0.99
    assert window.suggested.suggestions == []


def test_a_failing_suggester_is_named_in_the_status_bar_and_the_others_still_suggest(
    qtbot: QtBot, workspace: Workspace, open_window: Callable[..., MainWindow]
) -> None:
    register(Broken.name, Broken)
    try:
        save_suggestion_settings(workspace, SuggestionSettings(("quotes", "broken")))
        window = open_window(workspace)
        message = window.statusBar().currentMessage()
        assert "broken" in message and "talks" in message and "no oracle today" in message
        assert shown(window) == [("QUOTE", QUOTE, False)]
        assert spans(window) == set()
    finally:
        _REGISTRY.pop(Broken.name, None)


def test_a_long_articles_quotes_are_suggested_live_off_the_window_thread(
    qtbot: QtBot,
    tmp_path: Path,
    open_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    threads: list[str] = []
    suggest = QuoteSuggester.suggest

    def recorded(self: QuoteSuggester, text: str, context: ProjectContext) -> list[Suggestion]:
        threads.append(threading.current_thread().name)
        return suggest(self, text, context)

    monkeypatch.setattr(QuoteSuggester, "suggest", recorded)
    workspace = Workspace.open(f"sqlite:///{tmp_path / 'long.db'}", "ana", samples=False)
    paragraph = "The council met on Tuesday. “We will stay,” said Mara Voss.\n\n"
    article = tmp_path / "long.txt"
    article.write_text("Long\n\n" + paragraph * 3400, encoding="utf-8")
    import_paths(workspace, [article])
    try:
        window = open_window(workspace)
        assert len(window.article.text) >= LONG_ARTICLE

        qtbot.waitUntil(lambda: window.suggested.count_label.text() == "3400 suggestions")
        assert {s.label for s in window.suggested.suggestions} == {"QUOTE"}
        assert threads and threading.main_thread().name not in threads
    finally:
        workspace.close()


def test_the_keyboard_map_lists_the_keys_that_fix_a_suggestion() -> None:
    rows = {(task, keys) for task, keys, _ in ARTICLE_KEYS}
    assert (SUGGESTIONS, "On a suggestion: Ctrl+Left / Ctrl+Right") in rows
    assert (SUGGESTIONS, "On a suggestion: Ctrl+Shift+Left / Ctrl+Shift+Right") in rows


def test_the_names_suggester_failing_on_what_it_learnt_is_named_and_the_tag_kept(
    qtbot: QtBot,
    workspace: Workspace,
    open_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def failing(self: KnownNamesSuggester, text: str, context: ProjectContext) -> list[Suggestion]:
        if context.known_names:
            raise RuntimeError("the names index is broken")
        return []

    monkeypatch.setattr(KnownNamesSuggester, "suggest", failing)
    window = open_window(workspace)
    assert window.document_id is not None
    text = window.article.text
    start = text.index("Voss")

    change = spans_service.add_span(
        window.workspace, window.document_id, start, start + 4, "PERSON"
    )
    window.hub.changed.emit(change)

    message = window.statusBar().currentMessage()
    assert "known-names switched off" in message and "the names index is broken" in message
    assert spans(window) == {("PERSON", "Voss")}
