"""File > Open database…: a file or a team server, tested first, remembered without password."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import QApplication, QLabel, QLineEdit, QMessageBox
from pytestqt.qtbot import QtBot

from app.gui.team import database_dialog
from app.gui.team.database_dialog import (
    DatabaseDialog,
    install_database_dialog,
    recent_databases,
    remember_database,
)
from app.gui.window.main_window import MainWindow
from app.services import Workspace
from app.services.live import server_url
from tests.conftest import TEST_DATABASE_URL, empty_postgres

OPEN_KEYS = (Qt.Key.Key_D, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)
needs_server = pytest.mark.skipif(
    not TEST_DATABASE_URL, reason="PostgreSQL: GLOSSA_TEST_DATABASE_URL is not set"
)


@pytest.fixture
def settings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> QSettings:
    """A settings file of the test's own, which the window's dialog uses too."""
    made = QSettings(str(tmp_path / "settings.ini"), QSettings.Format.IniFormat)
    monkeypatch.setattr(database_dialog, "app_settings", lambda: made)
    return made


@pytest.fixture
def other_windows() -> Iterator[list[MainWindow]]:
    """Windows a test opened on another database; closed at the end."""
    found: list[MainWindow] = []
    yield found
    for window in found:
        window.close()


def open_dialog(window: MainWindow, qtbot: QtBot, settings: QSettings) -> DatabaseDialog:
    install_database_dialog(window.session, window.another_window, settings)
    qtbot.keyClick(window, *OPEN_KEYS)
    [dialog] = window.findChildren(DatabaseDialog)
    qtbot.waitExposed(dialog)
    return dialog


def new_windows(old: MainWindow) -> list[MainWindow]:
    return [
        w
        for w in QApplication.topLevelWidgets()
        if isinstance(w, MainWindow) and w is not old and w.isVisible()
    ]


def fill_server(dialog: DatabaseDialog, qtbot: QtBot, url: str, password: str) -> None:
    parts = urlsplit(url)
    dialog.server_choice.setChecked(True)
    dialog.host.setText(parts.hostname or "")
    dialog.port.setValue(parts.port or 5432)
    dialog.database.setText(unquote(parts.path.lstrip("/")))
    dialog.user.setText(unquote(parts.username or ""))
    qtbot.keyClicks(dialog.password, password)


def test_a_database_file_opens_in_a_new_window_and_is_remembered(
    window: MainWindow,
    qtbot: QtBot,
    settings: QSettings,
    tmp_path: Path,
    other_windows: list[MainWindow],
) -> None:
    other_path = tmp_path / "team" / "other.db"
    other = Workspace.open(str(other_path), "someone", samples=False)
    other.close()
    dialog = open_dialog(window, qtbot, settings)
    assert dialog.file_choice.isChecked() and not dialog.server_form.isEnabled()
    qtbot.keyClicks(dialog.file_path, str(other_path))

    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert dialog.result_label.text() == "Connected. It is a Glossa database, ready to open."
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)

    [opened] = new_windows(window)
    other_windows.append(opened)
    assert opened.workspace.database.path == other_path
    assert opened.workspace.annotator == "tester"  # the annotator stays
    assert opened.status_line.database_label.text() == str(other_path)
    assert not window.isVisible()
    assert recent_databases(settings) == [str(other_path)]


def test_a_file_that_is_no_database_keeps_the_window(
    window: MainWindow, qtbot: QtBot, settings: QSettings, tmp_path: Path
) -> None:
    junk = tmp_path / "notes.db"
    junk.write_bytes(b"shopping list\n" * 400)
    dialog = open_dialog(window, qtbot, settings)
    qtbot.keyClicks(dialog.file_path, str(junk))

    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert dialog.result_label.text() == (
        f"{junk}: not a Glossa database (not an SQLite file at all); give a Glossa .db file "
        "or a new name"
    )
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)

    [box] = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert str(junk) in box.text() and "not a Glossa database" in box.text()
    assert window.isVisible() and new_windows(window) == []
    assert recent_databases(settings) == []
    assert junk.read_bytes() == b"shopping list\n" * 400


def test_the_password_is_masked_and_an_unreachable_server_is_named_so(
    window: MainWindow, qtbot: QtBot, settings: QSettings
) -> None:
    dialog = open_dialog(window, qtbot, settings)
    fill_server(dialog, qtbot, "postgresql://annotator@127.0.0.1:1/newsroom", "s3cret")

    assert dialog.password.echoMode() is QLineEdit.EchoMode.Password
    assert any("~/.pgpass" in label.text() for label in dialog.findChildren(QLabel))
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert "cannot be reached" in dialog.result_label.text()
    assert "s3cret" not in dialog.result_label.text()


def test_remembered_servers_never_hold_the_password(
    window: MainWindow, qtbot: QtBot, settings: QSettings, tmp_path: Path
) -> None:
    remember_database(settings, server_url("db.newsroom.example", 5433, "desk", "ann", "s3cr3t"))
    remember_database(settings, str(tmp_path / "mine.db"))
    stored = (tmp_path / "settings.ini").read_text(encoding="utf-8")
    assert "s3cr3t" not in stored
    assert recent_databases(settings)[1].startswith("postgresql+psycopg://ann@db.newsroom")

    dialog = open_dialog(window, qtbot, settings)
    dialog.recent.setCurrentIndex(2)
    dialog.recent.activated.emit(2)

    assert dialog.server_choice.isChecked()
    assert (dialog.host.text(), dialog.port.value()) == ("db.newsroom.example", 5433)
    assert (dialog.database.text(), dialog.user.text(), dialog.password.text()) == (
        "desk",
        "ann",
        "",
    )


@needs_server
def test_a_team_server_opens_and_only_its_address_is_remembered(
    window: MainWindow,
    qtbot: QtBot,
    settings: QSettings,
    tmp_path: Path,
    other_windows: list[MainWindow],
) -> None:
    empty_postgres(TEST_DATABASE_URL)
    password = unquote(urlsplit(TEST_DATABASE_URL).password or "")
    dialog = open_dialog(window, qtbot, settings)
    fill_server(dialog, qtbot, TEST_DATABASE_URL, password + "-wrong")
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert dialog.result_label.text() == "The server refused the user name or password."

    dialog.password.clear()
    qtbot.keyClicks(dialog.password, password)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert dialog.result_label.text().startswith("Connected.")
    qtbot.mouseClick(dialog.open_button, Qt.MouseButton.LeftButton)

    [opened] = new_windows(window)
    other_windows.append(opened)
    assert opened.workspace.database.is_sqlite is False
    assert f":{password}@" not in opened.status_line.database_label.text()
    parts = urlsplit(TEST_DATABASE_URL)
    [remembered] = recent_databases(settings)
    assert remembered == (
        f"postgresql+psycopg://{parts.username}@{parts.hostname}:{parts.port or 5432}"
        f"{parts.path}?connect_timeout=5"
    )
    stored = (tmp_path / "settings.ini").read_text(encoding="utf-8")
    assert f":{password}@" not in stored


@needs_server
def test_an_empty_password_lets_libpq_find_one_itself(
    window: MainWindow, qtbot: QtBot, settings: QSettings, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty_postgres(TEST_DATABASE_URL)
    dialog = open_dialog(window, qtbot, settings)
    fill_server(dialog, qtbot, TEST_DATABASE_URL, "")
    monkeypatch.delenv("PGPASSWORD", raising=False)
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert "wants a password" in dialog.result_label.text()

    monkeypatch.setenv("PGPASSWORD", unquote(urlsplit(TEST_DATABASE_URL).password or ""))
    qtbot.mouseClick(dialog.test_button, Qt.MouseButton.LeftButton)
    assert dialog.result_label.text().startswith("Connected.")
