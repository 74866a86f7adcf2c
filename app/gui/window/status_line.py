"""The lasting words at the right of the status bar: who annotates, how far they got, on
which database, and a short "Saved" flash after each change is written."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QLabel, QStatusBar

from app.gui.hub import ChangeHub
from app.gui.models.documents import DocumentListModel
from app.gui.widgets.plain_text import plain
from app.services import Workspace

SAVED_FLASH_MS = 1500
# a light flash keeps dark letters, whatever the theme
_SAVED_STYLE = "QLabel { background: #c8f0c8; color: #1a1a1a; border-radius: 3px; padding: 0 4px; }"
_IDLE_STYLE = "QLabel { padding: 0 4px; }"


class StatusLine(QObject):
    """The annotator, the documents done, the database and the "Saved" flash.

    The count of documents done follows the document list, whoever changed it (an action
    here, others' changes loaded); the flash follows every change committed through the hub.
    """

    def __init__(
        self,
        bar: QStatusBar,
        workspace: Workspace,
        documents: DocumentListModel,
        hub: ChangeHub,
    ) -> None:
        super().__init__(bar)
        self.documents = documents
        self.annotator_label = plain(QLabel(f"Annotator: {workspace.annotator}", bar))
        self.annotator_label.setToolTip("File > Switch annotator… (Ctrl+Shift+U)")
        self.progress_label = QLabel(bar)
        self.database_label = plain(QLabel(workspace.database.display_name, bar))
        self.database_label.setToolTip("Database")
        self.saved_label = QLabel("Saved", bar)
        self.saved_label.setStyleSheet(_IDLE_STYLE)
        for label in (
            self.annotator_label,
            self.progress_label,
            self.database_label,
            self.saved_label,
        ):
            bar.addPermanentWidget(label)
        self._saved_timer = QTimer(self)
        self._saved_timer.setSingleShot(True)
        self._saved_timer.setInterval(SAVED_FLASH_MS)
        self._saved_timer.timeout.connect(lambda: self.saved_label.setStyleSheet(_IDLE_STYLE))
        documents.modelReset.connect(self.show_progress)
        documents.dataChanged.connect(self.show_progress)
        hub.changed.connect(self.flash_saved)
        self.show_progress()

    def show_progress(self) -> None:
        """Show how many documents this annotator marked done, of how many."""
        done, total = self.documents.progress()
        self.progress_label.setText(f"{done} of {total} done")

    def flash_saved(self) -> None:
        """Say for a moment that a change was written, and when."""
        self.saved_label.setText(f"Saved {datetime.now():%H:%M:%S}")
        self.saved_label.setStyleSheet(_SAVED_STYLE)
        self._saved_timer.start()


__all__ = ["SAVED_FLASH_MS", "StatusLine"]
