"""Changing spans in place from the window: delete (asking when relations use the span),
move an edge, add a fragment, set an attribute, delete a relation. Each is one command on
the undo stack."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QObject
from PySide6.QtWidgets import QListView, QMessageBox

from app.gui.commands import (
    AddFragment,
    DeleteRelation,
    DeleteSpan,
    MoveSpan,
    SetSpanAttributes,
)
from app.gui.models.relations import RelationListModel
from app.gui.session import Session
from app.gui.widgets.plain_text import literal
from app.services.relations import a


class SpanEditing(QObject):
    """The window's actions on the selected span and the current relation."""

    def __init__(
        self, session: Session, relation_list: QListView, relations: RelationListModel
    ) -> None:
        super().__init__(session.parent)
        self.session = session
        self.article = session.article
        self.hub = session.hub
        self.undo_stack = session.undo_stack
        self.relation_list = relation_list
        """The list of the open document's relations (its current row is deleted)."""
        self.relations = relations

    def delete_selected_span(self) -> None:
        """Delete the selected span; when relations use it, ask first and delete them too."""
        span = self.article.selected_span()
        if span is None:
            self.session.say("No span selected (Tab selects the next one).", 4000)
            return
        relations = self.article.relations_of(span.id)
        if relations:
            names = ", ".join(relation.label for relation in relations)
            count = "1 relation" if len(relations) == 1 else f"{len(relations)} relations"
            answer = QMessageBox.question(
                self.session.parent,
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
        self.undo_stack.push(DeleteSpan(self.session.workspace, self.hub, span))

    def delete_current_relation(self) -> None:
        """Delete the relation current in the relation list."""
        index = self.relation_list.currentIndex()
        if not index.isValid():
            self.session.say("No relation chosen in the list.", 4000)
            return
        relation = self.relations.relation_in_row(index.row())
        self.undo_stack.push(DeleteRelation(self.session.workspace, self.hub, relation))

    def move_span(self, span_id: int, start: int, end: int) -> None:
        """Give a span new boundaries (a nudge or a drag from the article)."""
        span = self.article.span(span_id)
        if span is not None:
            self.undo_stack.push(MoveSpan(self.session.workspace, self.hub, span, start, end))

    def add_fragment(self) -> None:
        """Add the selected text to the selected span as one more of its pieces."""
        article = self.article
        span = article.selected_span()
        selected = article.selected_range()
        if span is None or selected is None:
            self.session.say(
                "Select a span, then the text of its next piece, then add the fragment.", 4000
            )
            return
        command = AddFragment(self.session.workspace, self.hub, span, *selected)
        self.undo_stack.push(command)
        article.clear_text_selection()  # the span stays selected, for a further piece

    def set_attribute(self, span_id: int, name: str, value: Any) -> None:
        """Set one attribute of a span (None unsets it)."""
        span = self.article.span(span_id)
        if span is not None and span.attributes.get(name) != value:
            attributes = {**span.attributes, name: value}
            self.undo_stack.push(
                SetSpanAttributes(self.session.workspace, self.hub, span, attributes)
            )

    def cycle_attribute(self) -> None:
        """Step the selected span's first choice attribute on: each value in turn, then unset."""
        span = self.article.selected_span()
        if span is None:
            self.session.say("No span selected (Tab selects the next one).", 4000)
            return
        label = self.session.workspace.schema.label(span.label)
        spec = next((a for a in label.attributes if a.kind == "enum"), None) if label else None
        if spec is None:
            message = f"{a(span.label, capital=True)} has no choice attribute."
            self.session.say(message, 4000)
            return
        values: list[str | None] = [*spec.values, None]
        current = span.attributes.get(spec.name)
        following = values[(values.index(current) + 1) % len(values) if current in values else 0]
        self.set_attribute(span.id, spec.name, following)
        self.session.say(f"{span.label} {spec.name}: {following or 'unset'}", 3000)
