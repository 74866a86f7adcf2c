"""The entity link popup: ranked candidates for a mention, a new entity, or none.

Typing filters the candidates and names the new entity; Up/Down move through the rows and
Enter picks one.
"""

from __future__ import annotations

import html
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import (
    QDialog,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.core.entities import Entity, normalise
from app.gui.widgets.plain_text import literal

CHOICE_ROLE = Qt.ItemDataRole.UserRole


@dataclass(frozen=True)
class EntityChoice:
    """What the user picked: an entity, a new entity of a name, or no entity."""

    entity_id: int | None = None
    new_name: str | None = None


class EntityLinkDialog(QDialog):
    """Pick the entity a PERSON, ORG or LOC mention refers to."""

    def __init__(
        self,
        mention: str,
        label: str,
        candidates: list[tuple[Entity, float]],
        current: int | None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(f"Link {label} to an entity")
        self.mention = mention
        self.candidates = candidates
        self.current = current
        self.choice: EntityChoice | None = None

        self.filter = QLineEdit(self)
        self.filter.setObjectName("entityFilter")
        self.filter.setPlaceholderText("Type to filter, or to name a new entity")
        self.filter.textChanged.connect(self._fill)
        self.filter.installEventFilter(self)
        self.list = QListWidget(self)
        self.list.setObjectName("entityCandidates")
        self.list.itemActivated.connect(self._pick)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(f"<b>{html.escape(label)}</b> “{html.escape(mention)}”", self))
        layout.addWidget(self.filter)
        layout.addWidget(self.list)
        self.resize(420, 320)
        self._fill("")
        self.filter.setFocus()

    def _fill(self, typed: str) -> None:
        self.list.clear()
        wanted = normalise(typed)
        for entity, score in self.candidates:
            names = " ".join(normalise(name) for name in entity.names())
            if wanted and wanted not in names:
                continue
            mark = "  (linked now)" if entity.id == self.current else ""
            item = QListWidgetItem(f"{entity.name}   {score:.0%}{mark}")
            if entity.aliases:
                item.setToolTip(literal("Also: " + ", ".join(entity.aliases)))
            item.setData(CHOICE_ROLE, EntityChoice(entity_id=entity.id))
            self.list.addItem(item)
        name = " ".join(typed.split()) or self.mention
        new = QListWidgetItem(f"New entity: {name}")
        new.setData(CHOICE_ROLE, EntityChoice(new_name=name))
        self.list.addItem(new)
        none = QListWidgetItem("No entity")
        none.setData(CHOICE_ROLE, EntityChoice())
        self.list.addItem(none)
        self.list.setCurrentRow(0)

    def rows(self) -> list[str]:
        """The rows as shown, top first."""
        return [self.list.item(i).text() for i in range(self.list.count())]

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.filter and event.type() == QEvent.Type.KeyPress:
            assert isinstance(event, QKeyEvent)
            key = event.key()
            if key in (Qt.Key.Key_Down, Qt.Key.Key_Up):
                step = 1 if key == Qt.Key.Key_Down else -1
                row = min(max(self.list.currentRow() + step, 0), self.list.count() - 1)
                self.list.setCurrentRow(row)
                return True
            if key in (Qt.Key.Key_Return, Qt.Key.Key_Enter):
                self._pick(self.list.currentItem())
                return True
        return super().eventFilter(watched, event)

    def _pick(self, item: QListWidgetItem | None) -> None:
        if item is None:
            return
        self.choice = item.data(CHOICE_ROLE)
        self.accept()
