"""Shortcuts keep working after every popup of the annotating flow: the article gets the keys
back when a popup closes, however the platform hands focus round."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QApplication, QComboBox, QMenu
from pytestqt.qtbot import QtBot

from app.gui.window.main_window import MainWindow
from app.services import entities
from tests.gui.test_entities_gui import open_link_popup, tag

CTRL = Qt.KeyboardModifier.ControlModifier


def keys_back_in_article(qtbot: QtBot, window: MainWindow) -> None:
    qtbot.waitUntil(
        lambda: (
            QApplication.focusWidget() is window.article and QApplication.activeWindow() is window
        ),
        timeout=2000,
    )


def test_ctrl_e_works_right_after_linking_with_e_and_enter(
    qtbot: QtBot, window: MainWindow
) -> None:
    entities.create_entity(window.workspace, "Rana Khoury", "PERSON")
    khoury = tag(window, "Khoury", "PERSON", nth=1)
    dialog = open_link_popup(qtbot, window, khoury)
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.wait(50)  # let the platform hand the focus round as it will

    keys_back_in_article(qtbot, window)
    qtbot.keyClick(window.article, Qt.Key.Key_E, CTRL)
    assert window.entity_links.dock.isVisible()


def test_escape_from_the_link_popup_gives_the_keys_back_too(
    qtbot: QtBot, window: MainWindow
) -> None:
    khoury = tag(window, "Khoury", "PERSON", nth=1)
    dialog = open_link_popup(qtbot, window, khoury)
    qtbot.keyClick(dialog.filter, Qt.Key.Key_Escape)
    qtbot.waitUntil(lambda: not dialog.isVisible())
    qtbot.wait(50)

    keys_back_in_article(qtbot, window)


def test_picking_an_attribute_gives_the_keys_back_to_the_article(
    qtbot: QtBot, window: MainWindow
) -> None:
    quote = tag(window, "record crowds", "QUOTE")
    window.article.select_span(quote.id)
    combo = window.panel.attributes.editor("kind")
    assert isinstance(combo, QComboBox)
    combo.setFocus()
    qtbot.waitUntil(combo.hasFocus)
    combo.activated.emit(1)  # as a click on a row of its popup does
    combo.setCurrentIndex(1)

    keys_back_in_article(qtbot, window)
    qtbot.keyClick(window.article, Qt.Key.Key_E, CTRL)
    assert window.entity_links.dock.isVisible()


def test_a_menu_of_the_window_gives_the_keys_back_when_it_closes(
    qtbot: QtBot, window: MainWindow
) -> None:
    menu = QMenu(window)
    menu.addAction("Mine")
    menu.popup(window.mapToGlobal(QPoint(100, 100)))
    qtbot.waitUntil(menu.isVisible)
    menu.close()
    qtbot.wait(50)

    keys_back_in_article(qtbot, window)
    qtbot.keyClick(window.article, Qt.Key.Key_E, CTRL)
    assert window.entity_links.dock.isVisible()


def test_the_find_bar_keeps_the_keys_when_it_had_them(qtbot: QtBot, window: MainWindow) -> None:
    window.finding.open_find()
    qtbot.waitUntil(window.find_bar.query.hasFocus)
    menu = QMenu(window)
    menu.addAction("Mine")
    menu.popup(window.mapToGlobal(QPoint(50, 50)))
    qtbot.waitUntil(menu.isVisible)
    menu.close()
    qtbot.wait(50)

    qtbot.waitUntil(window.find_bar.query.hasFocus, timeout=2000)


def test_a_label_picked_from_the_label_menu_leaves_the_keys_with_the_article(
    qtbot: QtBot, window: MainWindow
) -> None:
    assert window.document is not None
    start = window.document.text.index("festival")
    window.article.select_range(start, start + len("festival"))
    menu = window.session.actions.menu("Label")
    menu.popup(window.mapToGlobal(QPoint(120, 40)))
    qtbot.waitUntil(menu.isVisible)
    person = window.session.actions["label:PERSON"]
    menu.setActiveAction(person)
    qtbot.keyClick(menu, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: not menu.isVisible())
    qtbot.wait(50)

    assert window.article.selected_span() is not None
    keys_back_in_article(qtbot, window)
    qtbot.keyClick(window.article, Qt.Key.Key_E, CTRL)
    assert window.entity_links.dock.isVisible()
