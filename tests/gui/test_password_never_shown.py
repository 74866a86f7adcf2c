"""A database URL's password never reaches the user's eyes, however an open or command fails.

Every message a failing open produces is collected: the command line's error output, the
StorageError itself, the connection test of the database dialog, the window's message box
when it cannot open at start and when it cannot switch databases.
"""

from __future__ import annotations

from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox
from pytestqt.qtbot import QtBot

import app.gui
from app.core.errors import StorageError
from app.gui.team.database_dialog import switch_database
from app.gui.window.main_window import MainWindow
from app.services.live import check_connection
from app.store import Database
from tests.cli.runner import glossa

PASSWORD = "Sesame-7f3b"
URLS = (
    # a server that is not there, and a database the server does not have
    f"postgresql+psycopg://glossa:{PASSWORD}@127.0.0.1:1/glossa?connect_timeout=2",
    f"postgresql+psycopg://glossa:{PASSWORD}@localhost:5432/no_such_database_here",
    # a driver that is not installed
    f"mysql+nosuchdriver://glossa:{PASSWORD}@localhost/glossa",
)


@pytest.mark.parametrize("url", URLS)
def test_no_message_of_a_failing_open_shows_the_password(
    url: str, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, window: MainWindow
) -> None:
    messages: list[str] = []

    ran = glossa("list", "--db", url)
    assert ran.returncode == 1
    assert ran.stderr.startswith("error: ") and len(ran.stderr.splitlines()) == 1
    messages.append(ran.stderr)

    with pytest.raises(StorageError) as raised:
        Database(url)
    messages += [str(raised.value), raised.value.reason, raised.value.detail]

    checked = check_connection(url)
    assert not checked.ok
    messages.append(checked.message)

    def critical(_parent: Any, title: str, text: str, *args: Any) -> None:
        messages.append(f"{title}\n{text}")

    monkeypatch.setattr(QMessageBox, "critical", critical)
    assert app.gui.main(url) == 1

    assert switch_database(window.session, url, window.another_window) is None
    boxes = [box for box in window.findChildren(QMessageBox) if box.isVisible()]
    messages += [box.text() for box in boxes]
    for box in boxes:
        box.close()

    assert len(messages) == 7, "\n".join(messages)
    for message in messages:
        assert PASSWORD not in message, message
    assert "***" in messages[1]  # the StorageError names the database, password masked
