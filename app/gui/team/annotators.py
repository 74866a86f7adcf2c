"""Who is annotating: asked at first start, remembered, and switchable from the window.

The name comes from ``--annotator``, else ``GLOSSA_ANNOTATOR``, else the one remembered in
the user's settings, else this dialog asks (and remembers the answer). File > Switch
annotator (Ctrl+Shift+U) asks again and reopens the window as the chosen annotator, on the
same database and document.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.gui.session import Session
from app.gui.widgets.plain_text import plain
from app.services import Workspace, documents
from app.services.annotator_choice import (
    default_annotator,
    remember_annotator,
)
from app.services.selection import GOLD_ANNOTATOR

NAME_LIMIT = 200  # the annotators.name column

_open_windows: set[QWidget] = set()  # windows opened by a switch, kept alive while open


def problem_with(name: str) -> str | None:
    """Why ``name`` cannot be an annotator's name, or None when it can."""
    if not name:
        return "Type a name, or pick one from the list."
    if len(name) > NAME_LIMIT:
        return f"A name has at most {NAME_LIMIT} characters."
    if name == GOLD_ANNOTATOR:
        return "“gold” is the adjudicated layer: adjudicate it with Review > Adjudicate."
    return None


class AnnotatorDialog(QDialog):
    """“Who is annotating?”: the database's annotators, or a new name."""

    def __init__(
        self, names: Iterable[str], current: str | None, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Who is annotating?")
        self.list = QListWidget(self)
        self.list.setObjectName("annotatorList")
        for name in names:
            if name != GOLD_ANNOTATOR:
                self.list.addItem(QListWidgetItem(name))
        self.name = QLineEdit(self)
        self.name.setObjectName("annotatorName")
        self.name.setPlaceholderText("Your name")
        self.name.setMaxLength(NAME_LIMIT)
        self.name.setText(current or default_annotator())
        self.problem = plain(QLabel(self))
        self.problem.setStyleSheet("QLabel { color: #b00020; }")
        self.problem.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.currentTextChanged.connect(self.name.setText)
        self.list.itemActivated.connect(lambda _item: self.accept())
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("Annotations, statuses and time are kept per annotator.", self))
        if self.list.count():
            layout.addWidget(QLabel("Annotators of this database:", self))
            layout.addWidget(self.list)
        else:
            self.list.hide()
        layout.addWidget(QLabel("Name:", self))
        layout.addWidget(self.name)
        layout.addWidget(self.problem)
        layout.addWidget(buttons)
        found = self.list.findItems(self.name.text(), Qt.MatchFlag.MatchExactly)
        if found:
            self.list.setCurrentItem(found[0])
        self.name.selectAll()
        self.name.setFocus()

    def chosen(self) -> str:
        """The name typed or picked, trimmed."""
        return self.name.text().strip()

    def accept(self) -> None:
        problem = problem_with(self.chosen())
        if problem is not None:
            self.problem.setText(problem)
            self.problem.show()
            return
        super().accept()


def ask_annotator(names: list[str], current: str | None = None) -> str | None:
    """Ask who is annotating (a modal dialog, at start); None when cancelled."""
    dialog = AnnotatorDialog(names, current)
    return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None


# -- switching from the window -------------------------------------------------------------


class AnnotatorSwitch:
    """File > Switch annotator… (Ctrl+Shift+U) for one window."""

    def __init__(self, session: Session, open_window: Callable[[Workspace], Session]) -> None:
        self.session = session
        self.open_window = open_window
        """Opens a window like this one on a workspace and hands back its session."""
        session.actions.bind("switch_annotator", self.ask)

    def ask(self) -> AnnotatorDialog:
        """Open the dialog (not blocking); OK switches."""
        workspace = self.session.workspace
        dialog = AnnotatorDialog(
            documents.annotators(workspace), workspace.annotator, self.session.parent
        )
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        dialog.accepted.connect(lambda: self.switch_to(dialog.chosen()))
        dialog.open()
        return dialog

    def switch_to(self, name: str) -> QWidget:
        """Reopen the window as ``name`` on the same database, at the same place.

        The new window has its own undo history: the old one undid the old annotator's work.
        """
        old = self.session
        window = old.parent.window()
        if name == old.workspace.annotator:
            return window
        remember_annotator(name)
        workspace = Workspace(old.workspace.database, name)
        new = self.open_window(workspace)
        opened = new.parent
        opened.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        _open_windows.add(opened)
        opened.destroyed.connect(lambda: _open_windows.discard(opened))
        opened.setGeometry(window.geometry())
        document_id = old.document_id
        if document_id is not None:
            new.open_document(document_id, old.article.scroll_position(), wait=True)  # unshown
        opened.show()
        opened.activateWindow()
        window.close()
        new.say(f"Annotating as {name}.", 5000)
        return opened
