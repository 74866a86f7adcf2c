"""Changing spans in place from the window: delete (asking when relations use the span),
move an edge, add a fragment, set an attribute, delete a relation. Each is one command on
the undo stack."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QMessageBox

from app.gui.commands import (
    AddFragment,
    DeleteRelation,
    DeleteSpan,
    MoveSpan,
    SetSpanAttributes,
)
from app.gui.hub import ChangeHub
from app.gui.widgets.plain_text import literal
from app.services.relations import a

if TYPE_CHECKING:
    from app.gui.window.main_window import MainWindow


class SpanEditing(QObject):
    """The window's actions on the selected span and the current relation."""

    def __init__(self, window: MainWindow, hub: ChangeHub, undo_stack: QUndoStack) -> None:
        super().__init__(window)
        self.window = window
        self.hub = hub
        self.undo_stack = undo_stack
        self.status = window.statusBar()

    def delete_selected_span(self) -> None:
        """Delete the selected span; when relations use it, ask first and delete them too."""
        span = self.window.article.selected_span()
        if span is None:
            self.status.showMessage("No span selected (Tab selects the next one).", 4000)
            return
        relations = self.window.article.relations_of(span.id)
        if relations:
            names = ", ".join(relation.label for relation in relations)
            count = "1 relation" if len(relations) == 1 else f"{len(relations)} relations"
            answer = QMessageBox.question(
                self.window,
                "Delete span",
                literal(
                    f"This {span.label} is used by {count} ({names}).\n"
                    "Delete the span and its relations?"
                ),
                QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
                QMessageBox.StandardButton.Yes,
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.undo_stack.push(DeleteSpan(self.window.workspace, self.hub, span))

    def delete_current_relation(self) -> None:
        """Delete the relation current in the relation list."""
        index = self.window.panel.relation_list.currentIndex()
        if not index.isValid():
            self.status.showMessage("No relation chosen in the list.", 4000)
            return
        relation = self.window.relations.relation_in_row(index.row())
        self.undo_stack.push(DeleteRelation(self.window.workspace, self.hub, relation))

    def move_span(self, span_id: int, start: int, end: int) -> None:
        """Give a span new boundaries (a nudge or a drag from the article)."""
        span = self.window.article.span(span_id)
        if span is not None:
            self.undo_stack.push(MoveSpan(self.window.workspace, self.hub, span, start, end))

    def add_fragment(self) -> None:
        """Add the selected text to the selected span as one more of its pieces."""
        article = self.window.article
        span = article.selected_span()
        selected = article.selected_range()
        if span is None or selected is None:
            self.status.showMessage(
                "Select a span, then the text of its next piece, then add the fragment.", 4000
            )
            return
        command = AddFragment(self.window.workspace, self.hub, span, *selected)
        self.undo_stack.push(command)
        article.clear_text_selection()  # the span stays selected, for a further piece

    def set_attribute(self, span_id: int, name: str, value: Any) -> None:
        """Set one attribute of a span (None unsets it)."""
        span = self.window.article.span(span_id)
        if span is not None and span.attributes.get(name) != value:
            attributes = {**span.attributes, name: value}
            self.undo_stack.push(
                SetSpanAttributes(self.window.workspace, self.hub, span, attributes)
            )

    def cycle_attribute(self) -> None:
        """Step the selected span's first choice attribute on: each value in turn, then unset."""
        span = self.window.article.selected_span()
        if span is None:
            self.status.showMessage("No span selected (Tab selects the next one).", 4000)
            return
        label = self.window.workspace.schema.label(span.label)
        spec = next((a for a in label.attributes if a.kind == "enum"), None) if label else None
        if spec is None:
            message = f"{a(span.label, capital=True)} has no choice attribute."
            self.status.showMessage(message, 4000)
            return
        values: list[str | None] = [*spec.values, None]
        current = span.attributes.get(spec.name)
        following = values[(values.index(current) + 1) % len(values) if current in values else 0]
        self.set_attribute(span.id, spec.name, following)
        self.status.showMessage(f"{span.label} {spec.name}: {following or 'unset'}", 3000)
