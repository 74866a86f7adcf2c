"""Linking the selected span to another one, keyboard first.

A link key starts picking: the status bar says what to pick, Tab visits the spans the schema
allows as the other end, Enter or a click picks one and Escape cancels. The pick becomes one
undoable command; a pick the schema refuses is reported by the service, like any failure.
"""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtCore import QObject
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QStatusBar

from app.core.annotations import Span
from app.core.partners import ranked_partners
from app.core.schema import RelationType
from app.gui.annotating.article_view import ArticleView
from app.gui.commands import AddRelation
from app.gui.hub import ChangeHub
from app.services import Workspace
from app.services.relations import a, either, relation_type, relation_types_from

MESSAGE_MS = 6000


class Linker(QObject):
    """Runs one pick at a time on the article view."""

    def __init__(
        self,
        article: ArticleView,
        workspace: Workspace,
        hub: ChangeHub,
        undo_stack: QUndoStack,
        status: QStatusBar,
    ) -> None:
        super().__init__(article)
        self.article = article
        self.workspace = workspace
        self.hub = hub
        self.undo_stack = undo_stack
        self.status = status
        self._head: Span | None = None
        self._kinds: list[RelationType] = []
        self._at = 0
        article.span_picked.connect(self._picked)
        article.picking_cancelled.connect(self.cancel)
        # an undo or redo may take away the span the link starts from
        undo_stack.indexChanged.connect(lambda _: self.cancel(quietly=True))

    @property
    def active(self) -> bool:
        """True while a pick is under way."""
        return self._head is not None

    @property
    def relation(self) -> str | None:
        """The relation being linked, while picking."""
        return self._kinds[self._at].name if self._head is not None else None

    def start(self, names: Sequence[str] | None = None) -> None:
        """Pick the other end of a relation for the selected span.

        ``names``: the relations to try, first allowed one wins; None: any relation the
        span's label may head, and pressing again while picking switches to the next one.
        """
        if self._head is not None and names is None and len(self._kinds) > 1:
            self._begin(self._head, self._kinds, (self._at + 1) % len(self._kinds))
            return
        head = self._head or self.article.selected_span()
        self.cancel(quietly=True)
        if head is None:
            self._say("Select a QUOTE or CLAIM first (Tab selects the next span).")
            return
        schema = self.workspace.schema
        kinds = relation_types_from(schema, head.label)
        if names is not None:
            kinds = [kind for name in names for kind in kinds if kind.name == name]
        if not kinds:
            self._say(self._nothing_to_link(head, names))
            return
        self._begin(head, kinds, 0)

    def _nothing_to_link(self, head: Span, names: Sequence[str] | None) -> str:
        if not names:
            return f"Nothing links from {a(head.label)} in this schema."
        wanted = [relation_type(self.workspace.schema, name) for name in names]
        heads = sorted({label for kind in wanted if kind for label in kind.heads})
        return (
            f"{a(head.label, capital=True)} has no {either(list(names))}: "
            f"select {a(either(heads))} first (Tab selects the next span)."
        )

    def _begin(self, head: Span, kinds: list[RelationType], at: int) -> None:
        kind = kinds[at]
        partners = [s for s in self.article.spans() if s.label in kind.tails]
        candidates = ranked_partners(head, partners)
        if not candidates:
            self.cancel(quietly=True)
            self._say(f"No {either(kind.tails)} is tagged yet: tag the {kind.name} first.")
            return
        self._head, self._kinds, self._at = head, kinds, at
        self.article.start_picking(head.id, candidates, kind.name)
        switch = " (L: another relation)" if len(kinds) > 1 else ""
        self.status.showMessage(
            f"Pick the {kind.name}: Tab/click a span, Enter to confirm, Esc to cancel{switch}"
        )

    def _picked(self, span_id: int) -> None:
        head, label = self._head, self.relation
        tail = self.article.span(span_id)
        self._finish()
        if head is None or label is None or tail is None:
            return
        self.undo_stack.push(AddRelation(self.workspace, self.hub, head, tail, label))
        self.article.select_span(head.id)

    def cancel(self, quietly: bool = False) -> None:
        """Stop picking and select the span the link was to start from."""
        head = self._head
        if head is None:
            return
        self._finish()
        self.article.select_span(head.id)
        if not quietly:
            self._say("Link cancelled.")

    def _finish(self) -> None:
        self._head = None
        self._kinds, self._at = [], 0
        self.article.stop_picking()
        self.status.clearMessage()

    def _say(self, message: str) -> None:
        self.status.showMessage(message, MESSAGE_MS)
