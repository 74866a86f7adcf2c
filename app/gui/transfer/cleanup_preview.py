"""Before importing scraped articles: what the clean-up would do, file by file.

When files to import are plain-text or HTML articles the clean-up would change (ad lines,
share and cookie lines, a byline glued to the lede, a title that is not the headline), the
import first shows them: the text as read beside the text as cleaned, every change with its
reason, and the details read from the page. Each file is ticked to be cleaned; untick one to
keep it as it is. The original text of a cleaned article stays with the document.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.cleanup import Cleanup
from app.core.errors import GlossaError
from app.core.records import DocumentRecord
from app.formats import format_for
from app.gui.widgets.plain_text import plain
from app.services.cleaning import CLEANABLE, preview

Found = list[tuple[DocumentRecord, Cleanup]]
AskCleanup = Callable[[QWidget, dict[Path, Found]], "set[Path] | None"]
"""Shows what the clean-up would do; the files to clean, or None when the user cancels."""


def cleanable(files: Sequence[Path], format_name: str | None) -> dict[Path, Found]:
    """The files among ``files`` the clean-up would change, with what it would do to each
    article (a file that cannot be read is left to the import, which names its fault)."""
    if format_name is not None and format_name not in CLEANABLE:
        return {}
    found: dict[Path, Found] = {}
    for file in files:
        fmt = format_for(file) if format_name is None else None
        if format_name is None and (fmt is None or fmt.name not in CLEANABLE):
            continue
        try:
            articles = preview(file)
        except (GlossaError, OSError, ValueError):
            continue
        if any(cleanup.changed for _, cleanup in articles):
            found[file] = articles
    return found


def changes_text(articles: Found) -> str:
    """Every change with its reason, and the details read, as ``--preview-clean`` prints."""
    lines: list[str] = []
    for record, cleanup in articles:
        lines.append(f"title: {cleanup.title or record.title}")
        lines.extend(f"{key}: {value}" for key, value in sorted(cleanup.meta.items()))
        for change in cleanup.changes:
            where = f"line {change.first}"
            if change.last != change.first:
                where = f"lines {change.first}-{change.last}"
            lines.append(f"{where} ({change.reason}):")
            lines.extend(f"  - {line}" for line in change.before.split("\n"))
            if change.after:
                lines.append(f"  + {change.after}")
    return "\n".join(lines)


class CleanupPreview(QDialog):
    """The scraped files to import, each with its text before and after the clean-up."""

    def __init__(self, parent: QWidget, found: dict[Path, Found]) -> None:
        super().__init__(parent)
        self.setWindowTitle("Clean up scraped articles")
        self.found = found
        intro = plain(
            QLabel(
                f"{len(found)} file(s) hold scraped text the clean-up would change. Ticked "
                "files are imported cleaned (the text as read is kept with the document); "
                "untick a file to import it as it is.",
                self,
            )
        )
        intro.setWordWrap(True)
        self.files = QListWidget(self)
        self.files.setObjectName("cleanupFiles")
        for file in found:
            item = QListWidgetItem(file.name, self.files)
            item.setData(Qt.ItemDataRole.UserRole, str(file))
            item.setToolTip(str(file))
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Checked)
        self.before = self._text_box("cleanupBefore")
        self.after = self._text_box("cleanupAfter")
        self.changes = self._text_box("cleanupChanges")
        texts = QSplitter(Qt.Orientation.Horizontal, self)
        for caption, box in (("As read", self.before), ("Cleaned", self.after)):
            texts.addWidget(self._captioned(caption, box))
        right = QSplitter(Qt.Orientation.Vertical, self)
        right.addWidget(texts)
        right.addWidget(self._captioned("What changes, and why", self.changes))
        body = QHBoxLayout()
        body.addWidget(self.files, 1)
        body.addWidget(right, 4)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(body, 1)
        layout.addWidget(buttons)
        self.files.currentRowChanged.connect(self._show)
        self.files.setCurrentRow(0)
        self.resize(1100, 700)

    def _text_box(self, name: str) -> QPlainTextEdit:
        box = QPlainTextEdit(self)
        box.setObjectName(name)
        box.setReadOnly(True)
        box.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        return box

    def _captioned(self, caption: str, widget: QWidget) -> QWidget:
        holder = QWidget(self)
        layout = QVBoxLayout(holder)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(QLabel(caption, holder))
        layout.addWidget(widget)
        return holder

    def _show(self, row: int) -> None:
        item = self.files.item(row)
        if item is None:
            return
        articles = self.found[Path(item.data(Qt.ItemDataRole.UserRole))]
        self.before.setPlainText("\n\n".join(record.text for record, _ in articles))
        self.after.setPlainText("\n\n".join(cleanup.text for _, cleanup in articles))
        self.changes.setPlainText(changes_text(articles))

    def chosen(self) -> set[Path]:
        """The files ticked to be cleaned."""
        return {
            Path(item.data(Qt.ItemDataRole.UserRole))
            for item in (self.files.item(row) for row in range(self.files.count()))
            if item is not None and item.checkState() == Qt.CheckState.Checked
        }


def ask_cleanup(parent: QWidget, found: dict[Path, Found]) -> set[Path] | None:
    """Show the preview; the files to clean, or None when the import is cancelled."""
    dialog = CleanupPreview(parent, found)
    try:
        return dialog.chosen() if dialog.exec() == QDialog.DialogCode.Accepted else None
    finally:
        dialog.deleteLater()
