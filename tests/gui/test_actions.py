"""The declared actions: one table for the menus, the keys and F1; features built on a session.

A feature is handed a ``Session`` and never the main window, so it can be built on a bare
widget; the window's menus and the keyboard map come from the one table of actions.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QKeySequence, QUndoStack
from PySide6.QtWidgets import QListView, QMenu, QStatusBar, QWidget
from pytestqt.qtbot import QtBot

from app.core.schema import Label, LabelSchema
from app.gui.actions import BY_NAME, DECLARED, NO_DOCUMENT, Actions, keyboard_map
from app.gui.annotating.article_view import ArticleView
from app.gui.annotating.span_editing import SpanEditing
from app.gui.figures.dashboard import DashboardDialog, install_dashboard
from app.gui.hub import ChangeHub
from app.gui.keymap import SHORTCUTS
from app.gui.models.open_document import LayerView, OpenDocument
from app.gui.models.relations import RelationListModel
from app.gui.session import Session
from app.gui.window.main_window import MainWindow
from app.gui.window.shortcuts_dialog import ShortcutsDialog
from app.services import ChangeSet, Workspace, documents, schema_edits, spans
from tests.gui.support import FESTIVAL


def schema_with(*hotkeys: str) -> LabelSchema:
    labels = tuple(Label(f"L{at}", "#ffcc00", key) for at, key in enumerate(hotkeys))
    return LabelSchema("test", labels)


def bare_actions(
    parent: QWidget, schema: list[LabelSchema], has_document: list[bool], said: list[str]
) -> Actions:
    return Actions(
        parent,
        QUndoStack(parent),
        lambda: schema[0],
        lambda: has_document[0],
        lambda message, _ms: said.append(message),
    )


# -- the table -----------------------------------------------------------------------


def test_every_action_of_the_keyboard_map_is_declared_once() -> None:
    names = [declared.name for declared in DECLARED]
    assert len(names) == len(set(names))
    assert {declared.name for declared in DECLARED if declared.keys} == set(SHORTCUTS)
    for declared in DECLARED:
        assert declared.keys == SHORTCUTS.get(declared.name, ())
        assert declared.menu and declared.text


def test_the_window_menus_are_the_declared_actions_in_table_order(window: MainWindow) -> None:
    actions = window.session.actions
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == list(dict.fromkeys(d.menu.split("/")[0] for d in DECLARED))
    for title in titles:
        listed = [
            action.objectName()
            for action in _walk(actions.menu(title))
            if not action.isSeparator() and not action.objectName().startswith("label:")
        ]
        declared = [d.name for d in DECLARED if d.menu.split("/")[0] == title]
        assert listed == declared
    # the real window gives every declared action something to do
    assert all(actions.bound(d.name) and actions[d.name].isVisible() for d in DECLARED)
    labels = [a.text() for a in actions.menu("Label").actions() if a.objectName()][:-1]
    assert labels == [label.name for label in window.workspace.schema.labels]


def _walk(menu: QMenu) -> Iterator:
    for action in menu.actions():
        sub = action.menu()
        if isinstance(sub, QMenu):
            yield from _walk(sub)
        else:
            yield action


def test_f1_lists_the_keys_of_every_declared_action(window: MainWindow, qtbot: QtBot) -> None:
    window.session.actions["keyboard_map"].trigger()
    dialog = window.findChild(ShortcutsDialog)
    assert dialog is not None
    qtbot.waitExposed(dialog)
    rows = dialog.rows()
    assert rows == keyboard_map(window.workspace.schema)
    for declared in DECLARED:
        if declared.keys:
            assert (declared.task, " or ".join(declared.keys), declared.description) in rows
    # and the keys shown are the keys the actions answer to
    for declared in DECLARED:
        if declared.keys and declared.name not in ("undo", "redo"):
            shortcuts = window.session.actions[declared.name].shortcuts()
            assert shortcuts == [QKeySequence(key) for key in declared.keys]
    dialog.close()


def test_a_label_hotkey_wins_over_a_key_of_the_map(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    schema = [schema_with("E", "1")]
    actions = bare_actions(parent, schema, [True], [])
    assert actions["link_entity"].shortcuts() == []  # E tags L0 in this schema
    assert actions["undo"].shortcuts() == [QKeySequence("Ctrl+Z")]
    schema[0] = schema_with("1", "2")  # the schema changed: E is the map's again
    actions.rekey()
    assert actions["link_entity"].shortcuts() == [QKeySequence("E")]


def test_a_label_hotkey_wins_in_the_window(
    sample_workspace: Workspace, open_window: Callable[..., MainWindow]
) -> None:
    labels = sample_workspace.schema.labels
    edited = LabelSchema(
        sample_workspace.schema.name,
        (Label(labels[0].name, labels[0].colour, "L"), *labels[1:]),
        sample_workspace.schema.relations,
    )
    schema_edits.update_schema(sample_workspace, edited)
    window = open_window(sample_workspace)
    actions = window.session.actions
    assert actions["link_any"].shortcuts() == []
    assert actions[f"label:{labels[0].name}"].shortcut() == QKeySequence("L")


def test_an_action_is_shown_once_bound_and_keeps_its_first_slot(qtbot: QtBot) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    actions = bare_actions(parent, [schema_with("1")], [True], [])
    ran: list[str] = []
    assert not actions["dashboard"].isVisible() and "dashboard" not in actions
    actions.bind("dashboard", lambda: ran.append("first"))
    actions.bind("dashboard", lambda: ran.append("second"))
    assert "dashboard" in actions
    actions["dashboard"].trigger()
    assert ran == ["first"]


def test_an_action_that_needs_a_document_is_refused_and_greyed_without_one(
    qtbot: QtBot,
) -> None:
    parent = QWidget()
    qtbot.addWidget(parent)
    has_document, said, ran = [False], [], []
    actions = bare_actions(parent, [schema_with("1")], has_document, said)
    assert BY_NAME["delete_span"].needs_document and not BY_NAME["find"].needs_document
    actions.bind("delete_span", lambda: ran.append("delete"))
    actions.bind("find", lambda: ran.append("find"))
    actions["delete_span"].trigger()
    assert ran == [] and said == [NO_DOCUMENT]
    actions.refresh_enabled(["delete_span", "find"])
    assert not actions["delete_span"].isEnabled() and actions["find"].isEnabled()
    actions.enable_all(["delete_span"])
    has_document[0] = True
    actions["delete_span"].trigger()
    assert ran == ["delete"]


# -- a feature on a session, no window ------------------------------------------------


@pytest.fixture
def bare_session(sample_workspace: Workspace, tmp_path: Path, qtbot: QtBot) -> Iterator[Session]:
    parent = QWidget()
    qtbot.addWidget(parent)
    status_bar = QStatusBar(parent)
    article = ArticleView(parent)
    hub = ChangeHub(parent)
    undo_stack = QUndoStack(parent)
    colours = {label.name: label.colour for label in sample_workspace.schema.labels}
    current = OpenDocument(sample_workspace, LayerView.mine(sample_workspace.annotator), parent)

    def show(scroll: object) -> None:
        assert current.document is not None
        article.show_document(current.document.text, current.spans, colours)

    current.opened.connect(show)

    def open_document(
        document_id: int,
        scroll: int = 0,
        *,
        wait: bool = False,
        then: Callable[[], object] | None = None,
    ) -> None:
        current.open(document_id, scroll, wait=True)
        if then is not None:
            then()

    actions = Actions(
        parent,
        undo_stack,
        lambda: sample_workspace.schema,
        lambda: current.document is not None,
        status_bar.showMessage,
    )
    yield Session(
        workspace=sample_workspace,
        hub=hub,
        undo_stack=undo_stack,
        settings=QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat),
        actions=actions,
        parent=parent,
        status_bar=status_bar,
        article=article,
        current_document=current,
        open_document=open_document,
        reload_document=lambda **_: None,
        resume=lambda: None,
        colours=lambda: colours,
    )


def test_the_dashboard_opens_on_a_session_over_a_bare_widget(
    bare_session: Session, qtbot: QtBot
) -> None:
    session = bare_session
    install_dashboard(session)
    session.actions["dashboard"].trigger()
    dialog = session.parent.findChild(DashboardDialog)
    assert dialog is not None and dialog.parent() is session.parent
    qtbot.waitExposed(dialog)
    qtbot.waitUntil(lambda: not dialog.computing)
    assert dialog.figures["documents"].number.text() == "3"
    dialog.close()


def test_span_editing_deletes_a_span_on_a_session_over_a_bare_widget(
    bare_session: Session, qtbot: QtBot
) -> None:
    session = bare_session
    workspace = session.workspace
    festival = next(s.id for s in documents.documents(workspace) if s.title == FESTIVAL)
    text = documents.document(workspace, festival).text
    added = spans.add_span(workspace, festival, 0, text.index(" "), "PERSON").added[0]
    session.open_document(festival)
    changes: list[ChangeSet] = []
    session.hub.changed.connect(changes.append)
    editing = SpanEditing(session, QListView(session.parent), RelationListModel())
    session.article.select_span(added.id)
    editing.delete_selected_span()
    assert [span.id for change in changes for span in change.removed] == [added.id]
    assert added.id not in {span.id for span in spans.spans(workspace, festival)}
    session.undo_stack.undo()
    assert added.id in {span.id for span in spans.spans(workspace, festival)}
