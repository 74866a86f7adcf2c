"""Light and dark themes: chosen in View > Theme or following the system, remembered, and
span text readable on the dark page."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QSettings
from PySide6.QtGui import QColor, QPalette, QTextCharFormat, QTextLayout
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from app.gui.annotating.label_marks import MARK_CONTRAST, TEXT_CONTRAST, contrast
from app.gui.window import theme, view_menu
from app.gui.window.main_window import MainWindow
from app.gui.window.theme import Theme
from app.services import Workspace, documents, spans

Role = QPalette.ColorRole


@pytest.fixture(autouse=True)
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[QSettings]:
    """The user's settings in a file of this test's own; the system's theme again after."""
    made = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    monkeypatch.setattr(view_menu, "app_settings", lambda: made)
    yield made
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    Theme.of(app).choose("system")


def formats_of(window: MainWindow) -> dict[int, QTextCharFormat]:
    """Qt position -> format, for every character the article formatted."""
    window.article.ensure_highlighted(range(window.article.document().blockCount()))
    found: dict[int, QTextCharFormat] = {}
    block = window.article.document().begin()
    while block.isValid():
        ranges: list[QTextLayout.FormatRange] = block.layout().formats()
        for item in ranges:
            for offset in range(item.start, item.start + item.length):
                found[block.position() + offset] = QTextCharFormat(item.format)
        block = block.next()
    return found


def shown_dark(qtbot: QtBot, window: MainWindow, dark: bool) -> None:
    """Wait for the theme to reach the article (Qt hands a palette change on by events)."""

    def reached() -> None:
        assert (window.article.palette().color(Role.Base).lightnessF() < 0.5) == dark
        assert (window.palette().color(Role.Window).lightnessF() < 0.5) == dark

    qtbot.waitUntil(reached)


def backgrounds(window: MainWindow) -> dict[int, str]:
    return {position: f.background().color().name() for position, f in formats_of(window).items()}


def tag_every_label(window: MainWindow) -> None:
    """One span of each label, each inside the one before, on the open article."""
    assert window.document is not None
    text = window.article.text
    start, end = text.index("More"), text.index("event") + 5
    for label in window.workspace.schema.labels:
        spans.add_span(window.workspace, window.document.id, start, end, label.name)
        start, end = start + 5, end - 6
    window.open_document(documents.documents(window.workspace)[1].id, wait=True)
    window.reload_document(wait=True)  # with the spans added behind its back


def test_dark_theme_gives_a_dark_window_and_readable_span_text(
    window: MainWindow,
    open_window: Callable[..., MainWindow],
    sample_workspace: Workspace,
    qtbot: QtBot,
) -> None:
    tag_every_label(window)
    window.session.actions["theme:dark"].trigger()
    shown_dark(qtbot, window, True)

    palette = window.palette()
    assert palette.color(Role.Window).lightnessF() < 0.3
    assert palette.color(Role.WindowText).lightnessF() > 0.7
    page = window.article.palette().color(Role.Base)
    text = window.article.palette().color(Role.Text)
    assert page.lightnessF() < 0.25
    formats = formats_of(window)
    assert formats
    for fmt in formats.values():  # every tint, nested up to six deep
        assert contrast(fmt.background().color(), text) >= TEXT_CONTRAST
        assert contrast(fmt.underlineColor(), page) >= MARK_CONTRAST
    for label in window.workspace.schema.labels:
        frame = window.article.frame_colour(label.name)
        assert contrast(frame, page) >= MARK_CONTRAST

    again = open_window(sample_workspace)  # after a restart
    assert again.session.actions["theme:dark"].isChecked()
    shown_dark(qtbot, again, True)


def test_dark_and_back_to_light_redraw_the_tints(window: MainWindow, qtbot: QtBot) -> None:
    tag_every_label(window)
    light = backgrounds(window)
    window.session.actions["theme:dark"].trigger()
    shown_dark(qtbot, window, True)
    dark = backgrounds(window)
    assert dark.keys() == light.keys()
    assert all(dark[position] != light[position] for position in dark)
    window.session.actions["theme:light"].trigger()
    shown_dark(qtbot, window, False)
    assert backgrounds(window) == light


def test_the_system_theme_follows_a_change_of_the_system(
    window: MainWindow, monkeypatch: pytest.MonkeyPatch, qtbot: QtBot
) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    window.session.actions["theme:system"].trigger()
    monkeypatch.setattr(theme, "system_is_dark", lambda: True)
    app.styleHints().colorSchemeChanged.emit(app.styleHints().colorScheme())
    shown_dark(qtbot, window, True)
    monkeypatch.setattr(theme, "system_is_dark", lambda: False)
    app.styleHints().colorSchemeChanged.emit(app.styleHints().colorScheme())
    shown_dark(qtbot, window, False)


def test_a_colour_is_lightened_on_a_dark_page_until_it_stands_out() -> None:
    from app.gui.annotating.label_marks import readable_on

    page = QColor("#1e1e1e")
    for colour in ("#000080", "#3949ab", "#6d4c41", "#2e7d32", "#000000"):
        assert contrast(readable_on(QColor(colour), page), page) >= MARK_CONTRAST


def test_the_first_run_hint_follows_the_theme(
    sample_workspace: Workspace, open_window: Callable[..., MainWindow], qtbot: QtBot
) -> None:
    window = open_window(sample_workspace)  # nobody has tagged yet: the hint is on show
    assert window.first_run.isVisible()
    # a style sheet on the card would keep its text's colours from following a new palette
    # (dark text on a dark card): the card's edge is a frame, its colours the window's
    assert window.first_run.styleSheet() == ""
    window.session.actions["theme:dark"].trigger()
    shown_dark(qtbot, window, True)

    def readable() -> None:
        ink = window.first_run.label.palette().color(Role.WindowText)
        ground = window.first_run.palette().color(Role.Window)
        assert contrast(ink, ground) >= TEXT_CONTRAST

    qtbot.waitUntil(readable)
