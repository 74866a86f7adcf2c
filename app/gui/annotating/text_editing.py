"""Edit mode: change the article's text in the window, saved as a new version on finishing.

Edit > Edit article text (Ctrl+Shift+X) puts an editable copy of the text where the article
is. Ctrl+Enter (or Done) saves it as a revision, as ``glossa revise`` does: a new document with
every span, relation and entity link re-anchored, spans that cannot be placed queued in the
review table's "Needs re-anchoring" tab, the old version kept. Esc (or Cancel) leaves the text
as it was. The revision is one step on the undo stack: undo deletes the new version and shows
the old one again with its spans.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent, QUndoCommand
from PySide6.QtWidgets import QBoxLayout, QHBoxLayout, QLabel, QPlainTextEdit, QPushButton, QWidget

from app.core.errors import GlossaError
from app.core.offsets import display_text
from app.gui.commands import failure
from app.gui.hub import ChangeHub
from app.gui.session import Session
from app.gui.widgets.own_keys import claimed, ran
from app.services import ChangeSet, Workspace, documents
from app.services.revisions import RevisionReport, revise_text, withdraw_revision

_FINISH = {Qt.Key.Key_Return, Qt.Key.Key_Enter}
_NOTE = (
    "Editing the article's text. Ctrl+Enter saves it as a new version (every span re-anchored, "
    "the old version kept); Esc cancels."
)


def edited_text(editor: QPlainTextEdit) -> str:
    """The editor's text as typed: ``toPlainText`` would turn no-break spaces into spaces."""
    return editor.document().toRawText().replace("\u2029", "\n")


class ReviseText(QUndoCommand):
    """Save edited text as a new version of a document; undo deletes that version."""

    def __init__(
        self,
        workspace: Workspace,
        hub: ChangeHub,
        document_id: int,
        text: str,
        show: Callable[[int, RevisionReport | None], None],
    ) -> None:
        super().__init__("Edit article text")
        self.workspace, self.hub = workspace, hub
        self.document_id, self.new_text = document_id, text
        self.show = show
        self.revision: int | None = None

    def redo(self) -> None:
        try:
            report = revise_text(self.workspace, self.document_id, self.new_text)
        except GlossaError as exc:
            self.setObsolete(True)
            self.hub.failed.emit(failure(self, exc))
            return
        self.revision = report.document
        self.hub.changed.emit(ChangeSet(documents=True))
        self.show(report.document, report)

    def undo(self) -> None:
        if self.revision is None:
            return
        try:
            withdraw_revision(self.workspace, self.revision, self.document_id)
        except GlossaError as exc:
            self.setObsolete(True)
            self.hub.failed.emit(failure(self, exc))
            return
        self.revision = None
        self.show(self.document_id, None)
        self.hub.changed.emit(ChangeSet(documents=True))


class TextEditor(QPlainTextEdit):
    """The editable copy; Ctrl+Enter and Esc are its own, before any window shortcut."""

    def __init__(self, finish: Callable[[], None], cancel: Callable[[], None], parent: QWidget):
        super().__init__(parent)
        self.setObjectName("article_editor")
        self._finish, self._cancel = finish, cancel

    def _action_for(self, event: QKeyEvent) -> Callable[[], None] | None:
        modifiers = event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if event.key() in _FINISH and modifiers == Qt.KeyboardModifier.ControlModifier:
            return self._finish
        if event.key() == Qt.Key.Key_Escape and not modifiers:
            return self._cancel
        return None

    def event(self, event: QEvent) -> bool:
        return claimed(event, self._action_for) or super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not ran(event, self._action_for):
            super().keyPressEvent(event)


class TextEditing:
    """The window's edit mode, in place of the article while it lasts."""

    def __init__(self, session: Session) -> None:
        self.session = session
        article = session.article
        centre = article.parentWidget()
        layout = centre.layout() if centre is not None else None
        # the article sits in a box layout under its header: the editor takes its place there
        assert centre is not None and isinstance(layout, QBoxLayout)
        self.bar = QWidget(centre)
        self.bar.setObjectName("edit_mode_bar")
        note = QLabel(_NOTE, self.bar)
        note.setTextFormat(Qt.TextFormat.PlainText)
        note.setWordWrap(True)
        self.done_button = QPushButton("Done", self.bar)
        self.cancel_button = QPushButton("Cancel", self.bar)
        row = QHBoxLayout(self.bar)
        row.setContentsMargins(6, 4, 6, 4)
        row.addWidget(note, 1)
        row.addWidget(self.done_button)
        row.addWidget(self.cancel_button)
        self.editor = TextEditor(self.finish, self.cancel, centre)
        self.editor.setFont(article.font())
        at = layout.indexOf(article)
        layout.insertWidget(at, self.bar)
        layout.insertWidget(at + 2, self.editor, 1)
        self.bar.hide()
        self.editor.hide()
        self.done_button.clicked.connect(self.finish)
        self.cancel_button.clicked.connect(self.cancel)
        self.document_id: int | None = None
        self._lead = ""

    @property
    def editing(self) -> bool:
        """Whether the edit mode is on."""
        return self.document_id is not None

    def start(self) -> None:
        """Show the open article's text, editable, with the cursor where the article's was."""
        session = self.session
        document = session.document
        if document is None or self.editing:
            return
        self.document_id = document.id
        # Qt drops or swaps a leading U+FEFF / U+FFFE: it edits a stand-in, put back on finishing
        self._lead = (
            document.text[:1] if display_text(document.text[:1]) != document.text[:1] else ""
        )
        self.editor.setPlainText(display_text(document.text))
        cursor = self.editor.textCursor()
        cursor.setPosition(session.article.textCursor().position())
        self.editor.setTextCursor(cursor)
        session.article.hide()
        self.bar.show()
        self.editor.show()
        self.editor.setFocus()

    def finish(self) -> None:
        """Save the edited text as a new version (one undoable step), unless unchanged."""
        document_id, session = self.document_id, self.session
        if document_id is None:
            return
        text = edited_text(self.editor)
        if self._lead and text[:1] == display_text(self._lead):
            text = self._lead + text[1:]
        self._leave()
        document = documents.document(session.workspace, document_id)
        if text == document.text:
            session.say("The text is unchanged: no new version made", 5000)
            return
        session.undo_stack.push(
            ReviseText(session.workspace, session.hub, document_id, text, self._show)
        )

    def cancel(self) -> None:
        """Leave the edit mode, the text as it was."""
        if self.editing:
            self._leave()

    def _leave(self) -> None:
        self.document_id = None
        self.editor.hide()
        self.bar.hide()
        self.session.article.show()
        self.session.article.setFocus()

    def _show(self, document_id: int, report: RevisionReport | None) -> None:
        session = self.session
        scroll = session.article.scroll_position()
        session.open_document(document_id, scroll)
        if report is None:
            session.say("The edit is undone: the old version is shown", 8000)
            return
        counts = report.counts()
        message = ", ".join(f"{count} {outcome}" for outcome, count in counts.items())
        queued = " (see Review > Needs re-anchoring)" if counts.get("queued") else ""
        session.say(f"Saved as a new version: spans {message}{queued}", 10000)


def install_text_editing(session: Session) -> TextEditing:
    """Add the edit mode under the article: Edit > Edit article text (Ctrl+Shift+X)."""
    editing = TextEditing(session)
    session.actions.bind("edit_text", editing.start)
    return editing
