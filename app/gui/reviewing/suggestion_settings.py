"""Review > Suggestion settings…: which suggesters run in the window, the confidence under
which nothing is shown or stored, and the labels each suggester may propose.

The settings belong to the project (every window and ``glossa suggest`` on the database
follow them); saving them recomputes the open article's suggestions.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from app.assist import suggester_names
from app.core.errors import GlossaError
from app.gui.session import Session
from app.services import Workspace
from app.services.suggestion_settings import (
    SuggestionSettings,
    save_suggestion_settings,
    suggestion_settings,
)

if TYPE_CHECKING:
    from app.gui.annotating.suggestions import ArticleSuggestions

_CHECKED = Qt.CheckState.Checked


class SuggestionSettingsDialog(QDialog):
    """Edits a project's suggestion settings; ``settings()`` is what the user chose."""

    def __init__(
        self,
        settings: SuggestionSettings,
        suggesters: Sequence[str],
        labels: Sequence[str],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle("Suggestion settings")
        self._suggesters = list(suggesters)
        self._labels = list(labels)
        layout = QVBoxLayout(self)
        layout.addWidget(
            QLabel(
                "For this project: every window and glossa suggest on this database follow "
                "these settings.",
                self,
            )
        )
        form = QFormLayout()
        running = QHBoxLayout()
        self.running: dict[str, QCheckBox] = {}
        for name in self._suggesters:
            box = QCheckBox(name, self)
            box.setChecked(name in settings.window)
            self.running[name] = box
            running.addWidget(box)
        running.addStretch(1)
        form.addRow("Run in the window:", running)
        self.threshold = QDoubleSpinBox(self)
        self.threshold.setRange(0.0, 1.0)
        self.threshold.setSingleStep(0.05)
        self.threshold.setDecimals(2)
        self.threshold.setValue(settings.threshold)
        self.threshold.setToolTip("Suggestions less sure than this are neither shown nor stored")
        form.addRow("Least confidence:", self.threshold)
        layout.addLayout(form)
        layout.addWidget(QLabel("Labels each suggester may propose:", self))
        self.labels = QTableWidget(len(self._labels), len(self._suggesters), self)
        self.labels.setHorizontalHeaderLabels(self._suggesters)
        self.labels.setVerticalHeaderLabels(self._labels)
        self.labels.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        for column, name in enumerate(self._suggesters):
            allowed = settings.labels.get(name)
            for row, label in enumerate(self._labels):
                item = QTableWidgetItem()
                item.setFlags(Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsEnabled)
                on = allowed is None or label in allowed
                item.setCheckState(_CHECKED if on else Qt.CheckState.Unchecked)
                item.setToolTip(f"{name} may propose {label}")
                self.labels.setItem(row, column, item)
        self.labels.resizeColumnsToContents()
        # every label in sight without scrolling, for a schema of usual size
        rows = sum(self.labels.rowHeight(r) for r in range(min(len(self._labels), 12)))
        self.labels.setMinimumHeight(rows + self.labels.horizontalHeader().height() + 4)
        layout.addWidget(self.labels)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)

    def allow(self, suggester: str, label: str, allowed: bool) -> None:
        """Tick (or clear) whether ``suggester`` may propose ``label``."""
        item = self.labels.item(self._labels.index(label), self._suggesters.index(suggester))
        if item is not None:
            item.setCheckState(_CHECKED if allowed else Qt.CheckState.Unchecked)

    def _allowed(self, row: int, column: int) -> bool:
        item = self.labels.item(row, column)
        return item is not None and item.checkState() == _CHECKED

    def settings(self) -> SuggestionSettings:
        """The settings as the dialog shows them; a suggester allowed every label is not
        limited (labels added to the schema later are allowed too)."""
        labels: dict[str, tuple[str, ...]] = {}
        for column, name in enumerate(self._suggesters):
            allowed = tuple(
                label for row, label in enumerate(self._labels) if self._allowed(row, column)
            )
            if len(allowed) < len(self._labels):
                labels[name] = allowed
        window = tuple(name for name, box in self.running.items() if box.isChecked())
        return SuggestionSettings(window, round(self.threshold.value(), 2), labels)


def settings_dialog(workspace: Workspace, parent: QWidget | None) -> SuggestionSettingsDialog:
    """The dialog showing the project's suggestion settings, every registered suggester and
    the schema's labels."""
    labels = [label.name for label in workspace.schema.labels]
    return SuggestionSettingsDialog(
        suggestion_settings(workspace), suggester_names(), labels, parent
    )


def edit_suggestion_settings(
    window: QWidget, workspace: Workspace, then: Callable[[], None]
) -> bool:
    """Review > Suggestion settings…: edit and save the project's settings, then ``then()``
    (the article recomputes its suggestions); False when cancelled or refused."""
    dialog = settings_dialog(workspace, window)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return False
    try:
        save_suggestion_settings(workspace, dialog.settings())
    except GlossaError as error:
        QMessageBox.warning(window, "Suggestion settings", f"Not saved: {error}")
        return False
    then()
    return True


def install_suggestion_settings(session: Session, suggested: ArticleSuggestions) -> None:
    """Review > Suggestion settings…; saving recomputes the open article's suggestions."""
    session.actions.bind(
        "suggestion_settings",
        lambda: edit_suggestion_settings(session.parent, session.workspace, suggested.reload),
    )
