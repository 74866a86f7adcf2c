"""Find in the article and tag every match."""

from __future__ import annotations

from collections.abc import Callable

from app.gui.annotating.annotation_panel import LABEL_ROLE, AnnotationPanel
from app.gui.annotating.find_bar import FindBar
from app.gui.commands import TagAll
from app.gui.session import Session


class FindActions:
    """Find, find next and previous, and tag all, over the find bar above the article."""

    def __init__(
        self,
        session: Session,
        find_bar: FindBar,
        panel: AnnotationPanel,
        refuse_edit: Callable[[], bool],
    ) -> None:
        self.session = session
        self.find_bar = find_bar
        self.panel = panel
        """Whose palette tells the label to look for."""
        self.refuse_edit = refuse_edit
        """Says no (and why) when the layers on show may not be edited."""
        find_bar.tag_all_requested.connect(self.tag_all)

    def current_label(self) -> str | None:
        """The palette's current label, else the selected span's label."""
        item = self.panel.palette_list.currentItem()
        if item is not None:
            return str(item.data(LABEL_ROLE))
        span = self.session.article.selected_span()
        return None if span is None else span.label

    def open_find(self) -> None:
        """Open the find bar above the article."""
        self.find_bar.open(self.current_label())

    def find_next(self) -> None:
        """Select the next match (opening the find bar when it is closed)."""
        if self.find_bar.isHidden():
            searched = self.find_bar.current_match() is None
            self.open_find()
            if searched:  # opening found the first match after the caret: that one is next
                return
        self.find_bar.find_next()

    def find_previous(self) -> None:
        """Select the previous match (opening the find bar when it is closed)."""
        if self.find_bar.isHidden():
            self.open_find()
        self.find_bar.find_previous()

    def tag_all(self, ranges: list[tuple[int, int]], label: str, entity: int | None = None) -> None:
        """Tag every range not yet tagged with ``label`` (nor inside a ``label`` span), the new
        spans mentions of ``entity`` when given, as one undoable step."""
        session = self.session
        document = session.document
        if document is None or not ranges or self.refuse_edit():
            return
        command = TagAll(session.workspace, session.hub, document.id, ranges, label, entity)
        session.undo_stack.push(command)
        # the article takes the keys again: Ctrl+Z now undoes the tagging, not the typing
        session.article.setFocus()
        made = len(command.span_ids or ())
        session.say(
            f"Tagged {made} of {len(ranges)} matches as {label}"
            + (" and linked them" if entity is not None and made else "")
            + (
                f"; {len(ranges) - made} were tagged already (or lie inside a {label})"
                if made < len(ranges)
                else ""
            ),
            6000,
        )
