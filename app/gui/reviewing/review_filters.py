"""The review table's filter bar: label, annotator, origin, review state, document status,
entity, speaker and free text. Typing waits a moment before the table is read again."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from enum import StrEnum

from PySide6.QtCore import QTimer, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLineEdit, QWidget

from app.core.annotations import Origin, Status
from app.core.review import Review, ReviewQuery

TYPING_PAUSE_MS = 250
ANY = ""
"""The item data of a combo's "any" entry."""


def _combo(parent: QWidget, name: str, any_text: str, values: Iterable[str]) -> QComboBox:
    combo = QComboBox(parent)
    combo.setObjectName(name)
    combo.setAccessibleName(any_text)
    combo.addItem(any_text, ANY)
    for value in values:
        combo.addItem(value, value)
    combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
    return combo


def _line(parent: QWidget, name: str, placeholder: str) -> QLineEdit:
    line = QLineEdit(parent)
    line.setObjectName(name)
    line.setPlaceholderText(placeholder)
    line.setClearButtonEnabled(True)
    return line


def _values(kind: type[StrEnum]) -> list[str]:
    return [member.value for member in kind]


class ReviewFilters(QWidget):
    """Widgets that build the table's ``ReviewQuery`` (its sort is left as it is)."""

    changed = Signal()
    """The filters changed (after a short pause when typing)."""

    def __init__(self, labels: Iterable[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.label = _combo(self, "review_label", "All labels", labels)
        self.annotator = _combo(self, "review_annotator", "All annotators", ())
        self.origin = _combo(self, "review_origin", "Any origin", _values(Origin))
        self.review = _combo(self, "review_state", "Any review", _values(Review))
        self.status = _combo(self, "review_status", "Any document status", _values(Status))
        self.entity = _line(self, "review_entity", "Entity…")
        self.speaker = _line(self, "review_speaker", "Said by…")
        self.speaker.setToolTip("Quotes and claims whose speaker's text or entity contains this")
        self.text = _line(self, "review_text", "Search text or title…")

        self._typing = QTimer(self)
        self._typing.setSingleShot(True)
        self._typing.setInterval(TYPING_PAUSE_MS)
        self._typing.timeout.connect(self.changed)

        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        for combo in (self.label, self.annotator, self.origin, self.review, self.status):
            layout.addWidget(combo)
            combo.currentIndexChanged.connect(self._combo_changed)
        for line, stretch in ((self.entity, 1), (self.speaker, 1), (self.text, 2)):
            layout.addWidget(line, stretch)
            line.textEdited.connect(self._typing.start)
            line.returnPressed.connect(self.apply_now)
        self._quiet = False

    def _combo_changed(self) -> None:
        if not self._quiet:
            self.changed.emit()

    def apply_now(self) -> None:
        """Apply what was typed without waiting for the pause."""
        self._typing.stop()
        self.changed.emit()

    def set_labels(self, labels: Iterable[str]) -> None:
        """The label choices (after a schema edit); the chosen one stays when it still exists."""
        self._refill(self.label, labels)

    def set_annotators(self, names: Iterable[str]) -> None:
        """The annotator choices; the chosen one stays when it still exists."""
        self._refill(self.annotator, names)

    def _refill(self, combo: QComboBox, values: Iterable[str]) -> None:
        chosen = combo.currentData()
        self._quiet = True
        try:
            while combo.count() > 1:
                combo.removeItem(1)
            for value in values:
                combo.addItem(value, value)
            at = combo.findData(chosen)
            combo.setCurrentIndex(max(at, 0))
        finally:
            self._quiet = False

    def query(self, base: ReviewQuery) -> ReviewQuery:
        """``base`` (its order) with these filters."""

        def chosen(combo: QComboBox) -> str:
            return str(combo.currentData() or ANY)

        label, annotator = chosen(self.label), chosen(self.annotator)
        origin, review, status = chosen(self.origin), chosen(self.review), chosen(self.status)
        return replace(
            base,
            labels=frozenset({label} if label else ()),
            annotators=frozenset({annotator} if annotator else ()),
            origins=frozenset({Origin(origin)} if origin else ()),
            reviews=frozenset({Review(review)} if review else ()),
            document_status=Status(status) if status else None,
            entity=self.entity.text().strip(),
            speaker=self.speaker.text().strip(),
            text=self.text.text().strip(),
        )

    def show_query(self, query: ReviewQuery) -> None:
        """Set the widgets to a query's filters (a preset), then announce the change once.

        A combo shows one choice; of several labels (or states...) the first one is shown.
        """
        self._quiet = True
        try:
            for combo, values in (
                (self.label, sorted(query.labels)),
                (self.annotator, sorted(query.annotators)),
                (self.origin, sorted(o.value for o in query.origins)),
                (self.review, sorted(r.value for r in query.reviews)),
                (self.status, [query.document_status.value] if query.document_status else []),
            ):
                at = combo.findData(values[0]) if values else 0
                combo.setCurrentIndex(max(at, 0))
            self.entity.setText(query.entity)
            self.speaker.setText(query.speaker)
            self.text.setText(query.text)
        finally:
            self._quiet = False
        self._typing.stop()
        self.changed.emit()
