"""Editors for the selected span's attributes, built from the label schema.

One page per label that declares attributes: a combo box for a choice, a check box for yes/no,
a line for free text. Each edit is reported at once (a line when it is finished); the window
turns it into one undoable step.
"""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QStackedWidget,
    QWidget,
)

from app.core.schema import AttributeSpec, LabelSchema
from app.gui.widgets.plain_text import plain

UNSET = "—"


class AttributeEditors(QStackedWidget):
    """The attribute editors of the selected span's label (an empty page for the others)."""

    edited = Signal(str, object)
    """An attribute's name and its new value (None: unset)."""
    chosen = Signal()
    """A value was picked from a list or typed and confirmed with Enter: the editing is over."""

    def __init__(self, schema: LabelSchema, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("attributeEditors")
        self._pages: dict[str, int] = {}
        self._editors: dict[str, dict[str, QWidget]] = {}
        self._values: dict[str, Any] = {}
        self._label: str | None = None
        self._filling = False
        self.addWidget(QWidget(self))  # no attributes
        for label in schema.labels:
            if not label.attributes:
                continue
            page = QWidget(self)
            form = QFormLayout(page)
            form.setContentsMargins(0, 4, 0, 0)
            editors = {spec.name: self._editor(spec, page) for spec in label.attributes}
            for spec in label.attributes:
                caption = spec.name.replace("_", " ").capitalize() + ":"
                form.addRow(plain(QLabel(caption, page)), editors[spec.name])
            self._pages[label.name] = self.addWidget(page)
            self._editors[label.name] = editors

    def _editor(self, spec: AttributeSpec, parent: QWidget) -> QWidget:
        name = spec.name
        if spec.kind == "enum":
            combo = QComboBox(parent)
            combo.addItem(UNSET, None)
            for value in spec.values:
                combo.addItem(value, value)
            combo.currentIndexChanged.connect(lambda _: self._edit(name, combo.currentData()))
            combo.activated.connect(lambda _: self.chosen.emit())
            return combo
        if spec.kind == "bool":
            box = QCheckBox(parent)
            box.toggled.connect(lambda checked: self._edit(name, bool(checked)))
            return box
        line = QLineEdit(parent)
        line.setPlaceholderText("(none)")
        line.editingFinished.connect(lambda: self._edit(name, line.text().strip() or None))
        line.returnPressed.connect(self.chosen.emit)
        return line

    def _edit(self, name: str, value: Any) -> None:
        if self._filling or self._values.get(name) == value:
            return
        self._values[name] = value
        self.edited.emit(name, value)

    def editor(self, name: str) -> QWidget | None:
        """The editor of attribute ``name`` on the page on show."""
        return self._editors.get(self._label or "", {}).get(name)

    def show_attributes(self, label: str | None, attributes: dict[str, Any]) -> None:
        """Show the editors of ``label`` filled with ``attributes`` (None: no span)."""
        self._label = label
        self._values = dict(attributes)
        self.setCurrentIndex(self._pages.get(label or "", 0))
        self._filling = True
        try:
            for name, editor in self._editors.get(label or "", {}).items():
                value = attributes.get(name)
                if isinstance(editor, QComboBox):
                    found = editor.findData(value) if value is not None else 0
                    editor.setCurrentIndex(max(found, 0))
                elif isinstance(editor, QCheckBox):
                    editor.setChecked(value is True)
                elif isinstance(editor, QLineEdit):
                    editor.setText("" if value is None else str(value))
        finally:
            self._filling = False
