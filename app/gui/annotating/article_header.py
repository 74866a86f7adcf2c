"""The header above the article: its title, source, author, date and URL, editable in place."""

from __future__ import annotations

import html
from typing import Any

from PySide6.QtCore import QEvent, QObject, Qt, Signal
from PySide6.QtGui import QKeyEvent, QTextDocument
from PySide6.QtWidgets import (
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.annotations import Document
from app.gui.widgets.plain_text import is_web_link, open_web_link
from app.services.metadata import META_KEYS

TITLE_SCALE = 1.3
_RETURN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)


def meta_value(document: Document, key: str) -> str:
    """What the header shows for ``key``: the title column for the title, else the meta."""
    if key == "title":
        return document.title
    value = document.meta.get(key)
    return "" if value is None else str(value)


class ArticleHeader(QWidget):
    """Shows the open document's details compactly; Edit turns them into a small form."""

    edited = Signal(dict)
    """The details the user changed, by key (an empty value removes that detail)."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("articleHeader")
        self.document: Document | None = None

        self.title_label = QLabel(self)
        self.title_label.setObjectName("articleTitle")
        self.title_label.setWordWrap(True)
        self.title_label.setTextFormat(Qt.TextFormat.PlainText)
        self.title_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        font = self.title_label.font()
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() * TITLE_SCALE)
        self.title_label.setFont(font)
        self.details_label = QLabel(self)
        self.details_label.setObjectName("articleDetails")
        self.details_label.setTextFormat(Qt.TextFormat.RichText)
        self.details_label.linkActivated.connect(lambda url: open_web_link(self, url))
        self.details_label.setWordWrap(True)
        self.edit_button = QPushButton("Edit", self)
        self.edit_button.setToolTip("Edit the title, source, author, date and URL (Ctrl+I)")
        self.edit_button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
        self.edit_button.clicked.connect(self.start_editing)

        shown = QWidget(self)
        text = QVBoxLayout()
        text.setContentsMargins(0, 0, 0, 0)
        text.setSpacing(0)
        text.addWidget(self.title_label)
        text.addWidget(self.details_label)
        row = QHBoxLayout(shown)
        row.setContentsMargins(0, 0, 0, 0)
        row.addLayout(text, 1)
        row.addWidget(self.edit_button, 0, Qt.AlignmentFlag.AlignTop)
        self.shown = shown

        self.form = QWidget(self)
        self.form.setObjectName("articleDetailsForm")
        self.fields: dict[str, QLineEdit] = {}
        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        for key in META_KEYS:
            field = QLineEdit(self.form)
            field.setObjectName(f"meta_{key}")
            field.installEventFilter(self)
            self.fields[key] = field
            form.addRow(key.capitalize() if key != "url" else "URL", field)
        self.save_button = QPushButton("Save", self.form)
        self.save_button.setDefault(True)
        self.save_button.clicked.connect(self.save)
        self.cancel_button = QPushButton("Cancel", self.form)
        self.cancel_button.clicked.connect(self.cancel)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.cancel_button)
        buttons.addWidget(self.save_button)
        form_box = QVBoxLayout(self.form)
        form_box.setContentsMargins(0, 0, 0, 0)
        form_box.addLayout(form)
        form_box.addLayout(buttons)
        self.form.hide()

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 4, 6, 4)
        layout.addWidget(self.shown)
        layout.addWidget(self.form)
        self.show_document(None)

    # -- showing ----------------------------------------------------------------------

    def show_document(self, document: Document | None) -> None:
        """Show a document's details (None: nothing open); leaves the form if it was open."""
        self.document = document
        self.form.hide()
        self.shown.show()
        self.edit_button.setEnabled(document is not None)
        if document is None:
            self.title_label.setText("")
            self.details_label.setText("")
            return
        self.title_label.setText(document.title)
        self.details_label.setText(self.describe(document))

    @staticmethod
    def describe(document: Document) -> str:
        """Source, author, date and URL on one line, as rich text; missing ones left out."""
        parts = [
            html.escape(meta_value(document, key))
            for key in ("source", "author", "date")
            if meta_value(document, key)
        ]
        url = meta_value(document, "url")
        if url and is_web_link(url):
            parts.append(f"<a href='{html.escape(url, quote=True)}'>{html.escape(url)}</a>")
        elif url:  # another scheme (file:, javascript:, ...) is shown, never opened
            parts.append(html.escape(url))
        if not parts:
            return "<span style='color:gray'>No source, author, date or URL (Ctrl+I)</span>"
        return " · ".join(parts)

    def details_text(self) -> str:
        """The details line as plain text, as shown."""
        rich = QTextDocument()
        rich.setHtml(self.details_label.text())
        return rich.toPlainText()

    # -- editing ------------------------------------------------------------------------

    @property
    def editing(self) -> bool:
        """True while the form is open."""
        return not self.form.isHidden()

    def start_editing(self) -> None:
        """Open the form with the document's details, the title focused."""
        if self.document is None:
            return
        for key, field in self.fields.items():
            field.setText(meta_value(self.document, key))
        self.shown.hide()
        self.form.show()
        self.fields["title"].setFocus()
        self.fields["title"].selectAll()

    def changes(self) -> dict[str, Any]:
        """The details the form changes, by key (stripped; empty: remove)."""
        if self.document is None:
            return {}
        found: dict[str, Any] = {}
        for key, field in self.fields.items():
            value = field.text().strip()
            if value != meta_value(self.document, key).strip():
                found[key] = value
        return found

    def save(self) -> None:
        """Close the form and report what changed; an empty title is refused."""
        if not self.fields["title"].text().strip():
            self.fields["title"].setPlaceholderText("A document needs a title")
            self.fields["title"].setFocus()
            return
        changes = self.changes()
        self.cancel()
        if changes:
            self.edited.emit(changes)

    def cancel(self) -> None:
        """Close the form without changing anything."""
        self.form.hide()
        self.shown.show()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            if event.key() in _RETURN_KEYS and not event.modifiers():
                self.save()
                return True
            if event.key() == Qt.Key.Key_Escape:
                self.cancel()
                return True
        return super().eventFilter(watched, event)
