"""File > Open database…: a database file, or a team database on a PostgreSQL server.

The dialog tests a connection before switching to it and remembers the databases opened,
never their passwords: the password is typed each time, or libpq finds it in ``~/.pgpass``
or ``PGPASSWORD`` when the field is left empty.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from urllib.parse import unquote, urlsplit

from PySide6.QtCore import QSettings, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QRadioButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import GlossaError
from app.gui.session import Session
from app.gui.widgets.plain_text import plain, plain_box
from app.gui.window.remembered import app_settings
from app.services import Workspace
from app.services.live import (
    DEFAULT_PORT,
    check_connection,
    connection_problem,
    is_server,
    mask_password,
    server_url,
    without_password,
)

RECENT_KEY = "databases/recent"
RECENT_LIMIT = 8
PASSWORD_NOTE = (
    "The password is never saved. Leave it empty to let the server's client library find "
    "it in ~/.pgpass or the PGPASSWORD variable."
)

_WINDOWS: set[QWidget] = set()
"""Windows opened on another database; kept here while they are open."""


def recent_databases(settings: QSettings) -> list[str]:
    """Databases opened before, newest first (URLs without passwords, or file paths)."""
    value = settings.value(RECENT_KEY, [])
    if isinstance(value, str):  # an ini file hands a one-item list back as a string
        return [value] if value else []
    if not isinstance(value, list):
        return []
    return [str(item) for item in value if item]


def remember_database(settings: QSettings, url: str) -> None:
    """Put a database first in the recent list, its password taken out."""
    shown = without_password(url)
    recent = [shown, *(item for item in recent_databases(settings) if item != shown)]
    settings.setValue(RECENT_KEY, recent[:RECENT_LIMIT])
    settings.sync()


class DatabaseDialog(QDialog):
    """Choose a database: a file, or a server with host, port, database, user, password."""

    def __init__(self, settings: QSettings, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Open database")
        self.settings = settings
        self.chosen_url: str | None = None

        self.recent = QComboBox(self)
        self.recent.addItem("Recent databases…", None)
        for item in recent_databases(settings):
            self.recent.addItem(item, item)
        self.recent.activated.connect(self._recent_chosen)

        self.file_choice = QRadioButton("A database &file on this computer", self)
        self.file_path = QLineEdit(self)
        self.file_path.setPlaceholderText("path of a .db file (a new one is made if missing)")
        browse = QPushButton("&Browse…", self)
        browse.clicked.connect(self._browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.file_path, 1)
        file_row.addWidget(browse)

        self.server_choice = QRadioButton("A &team database on a server (PostgreSQL)", self)
        self.host = QLineEdit(self)
        self.host.setPlaceholderText("server name or address")
        self.port = QSpinBox(self)
        self.port.setRange(1, 65535)
        self.port.setValue(DEFAULT_PORT)
        self.database = QLineEdit(self)
        self.user = QLineEdit(self)
        self.password = QLineEdit(self)
        self.password.setEchoMode(QLineEdit.EchoMode.Password)
        note = QLabel(PASSWORD_NOTE, self)
        note.setWordWrap(True)
        self.server_form = QWidget(self)
        form = QFormLayout(self.server_form)
        form.addRow("&Host:", self.host)
        form.addRow("&Port:", self.port)
        form.addRow("&Database:", self.database)
        form.addRow("&User:", self.user)
        form.addRow("Pass&word:", self.password)
        form.addRow(note)

        self.result_label = plain(QLabel(self))
        self.result_label.setWordWrap(True)
        self.result_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.test_button = QPushButton("&Test connection", self)
        self.test_button.clicked.connect(self.test_connection)
        buttons = QDialogButtonBox(self)
        self.open_button = buttons.addButton("&Open", QDialogButtonBox.ButtonRole.AcceptRole)
        buttons.addButton(QDialogButtonBox.StandardButton.Cancel)
        buttons.addButton(self.test_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(self.recent)
        layout.addWidget(self.file_choice)
        layout.addLayout(file_row)
        layout.addWidget(self.server_choice)
        layout.addWidget(self.server_form)
        layout.addWidget(self.result_label)
        layout.addWidget(buttons)
        self.file_choice.toggled.connect(self._show_choice)
        self.file_choice.setChecked(True)
        self._show_choice()
        self.resize(520, self.sizeHint().height())

    def _show_choice(self) -> None:
        on_file = self.file_choice.isChecked()
        self.file_path.setEnabled(on_file)
        self.server_form.setEnabled(not on_file)

    def _browse(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            "Database file",
            self.file_path.text(),
            "Glossa databases (*.db *.sqlite);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if chosen:
            self.file_path.setText(chosen)

    def _recent_chosen(self, index: int) -> None:
        url = self.recent.itemData(index)
        if url:
            self.fill(str(url))

    def fill(self, url: str) -> None:
        """Show a remembered database in the fields (a server's password stays empty)."""
        if not is_server(url):
            self.file_choice.setChecked(True)
            self.file_path.setText(url.split("///", 1)[1] if url.startswith("sqlite") else url)
            return
        parts = urlsplit(url)
        self.server_choice.setChecked(True)
        self.host.setText(parts.hostname or "")
        self.port.setValue(parts.port or DEFAULT_PORT)
        self.database.setText(unquote(parts.path.lstrip("/")))
        self.user.setText(unquote(parts.username or ""))
        self.password.clear()
        self.password.setFocus()

    def url(self) -> str:
        """The chosen database's URL (with the typed password), or raise ``GlossaError``."""
        if self.file_choice.isChecked():
            path = self.file_path.text().strip()
            if not path:
                raise GlossaError("choose a database file")
            return str(Path(path).expanduser().resolve())
        return server_url(
            self.host.text(),
            self.port.value(),
            self.database.text(),
            self.user.text(),
            self.password.text(),
        )

    def _say(self, ok: bool, message: str) -> None:
        colour = "#1b6e1b" if ok else "#a11"
        self.result_label.setStyleSheet(f"QLabel {{ color: {colour}; }}")
        self.result_label.setText(message)

    def test_connection(self) -> bool:
        """Try the chosen database and say what was found."""
        try:
            url = self.url()
        except GlossaError as exc:
            self._say(False, str(exc))
            return False
        self.result_label.setText("Connecting…")
        self.result_label.repaint()
        check = check_connection(url)
        self._say(check.ok, check.message)
        return check.ok

    def accept(self) -> None:
        try:
            self.chosen_url = self.url()
        except GlossaError as exc:
            self._say(False, str(exc))
            return
        super().accept()


OpenWindow = Callable[[Workspace], Session]
"""Opens a window like this one on a workspace and hands back its session."""


def open_database_dialog(
    session: Session, open_window: OpenWindow, settings: QSettings | None = None
) -> DatabaseDialog:
    """File > Open database…: ask for a database, then switch the window to it."""
    settings = settings if settings is not None else app_settings()
    dialog = DatabaseDialog(settings, session.parent)
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)

    def chosen() -> None:
        if dialog.chosen_url is not None:
            switch_database(session, dialog.chosen_url, open_window, settings)

    dialog.accepted.connect(chosen)
    dialog.open()
    return dialog


def switch_database(
    session: Session, url: str, open_window: OpenWindow, settings: QSettings | None = None
) -> QWidget | None:
    """Open a new window on the database at ``url`` and close this one.

    The annotator stays the same. When the database cannot be opened the user is told why
    and this window stays; None is returned.
    """
    try:
        workspace = Workspace.open(url, session.workspace.annotator, samples=False)
    except GlossaError as exc:  # storage failures are GlossaErrors too
        box = QMessageBox(
            QMessageBox.Icon.Warning,
            "Open database",
            f"Glossa cannot open {mask_password(url)}.\n\n{connection_problem(exc)}",
            parent=session.parent,
        )
        plain_box(box).setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.open()
        return None
    remember_database(settings if settings is not None else app_settings(), url)
    opened = open_window(workspace).parent
    opened.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    _WINDOWS.add(opened)
    opened.destroyed.connect(lambda: _forget(opened, workspace))
    opened.show()
    session.parent.window().close()
    return opened


def _forget(window: QWidget, workspace: Workspace) -> None:
    _WINDOWS.discard(window)
    workspace.close()


def install_database_dialog(
    session: Session, open_window: OpenWindow, settings: QSettings | None = None
) -> None:
    """File > Open database… (Ctrl+Shift+D)."""
    session.actions.bind(
        "open_database", lambda: open_database_dialog(session, open_window, settings)
    )
