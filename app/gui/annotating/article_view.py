"""The article: the span view plus what edits annotations in place.

It draws the selected span's relations, picks the tail of a new relation (Tab visits the
candidates, Enter or a click picks), and moves the selected span's edges from the keyboard
(``keymap.BOUNDARY_KEYS``) or by dragging them. It only reports what the user asked for; the
window's commands do it.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Sequence

from PySide6.QtCore import QPoint, Qt, Signal
from PySide6.QtGui import QColor, QKeyEvent, QKeySequence, QMouseEvent
from PySide6.QtWidgets import QWidget

from app.core.annotations import Relation, Span
from app.gui.annotating.relation_marks import Link, draw_links
from app.gui.annotating.span_marks import edge_at, outline_range
from app.gui.annotating.span_view import SpanView
from app.gui.keymap import BOUNDARY_KEYS
from app.services import ChangeSet
from app.services.boundaries import Edge, dragged, nudged

_ALT = Qt.KeyboardModifier.AltModifier
_KEYPAD = Qt.KeyboardModifier.KeypadModifier
_BOUNDARY_KEYS: dict[int, tuple[Edge, int, bool]] = {
    QKeySequence(keys)[0].toCombined(): move  # type: ignore[index, misc]
    for keys, move in BOUNDARY_KEYS.items()
}
_RETURN_KEYS = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_UNKNOWN_RELATION = "#555555"


class ArticleView(SpanView):
    """Shows one document, its spans and relations; reports edits in code points."""

    span_move_requested = Signal(int, int, int)
    """Span id, new start, new end (code points): an edge was nudged or dragged."""
    span_picked = Signal(int)
    """While picking: the span chosen (Enter on the current one, or a click)."""
    picking_cancelled = Signal()
    """While picking: Escape was pressed."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._relations: dict[int, Relation] = {}
        self._links: dict[int, list[int]] = {}  # span id -> ids of the relations it is in
        self._relation_colours: dict[str, QColor] = {}
        self._picking: tuple[int, frozenset[int], str] | None = None  # head, candidates, label
        self._offered: list[int] = []  # the candidates in the order Tab offers them
        self._drag: tuple[Edge, int] | None = None  # the edge being dragged, of which span
        self._drag_range: tuple[int, int] | None = None
        self.viewport().setMouseTracking(True)  # to show where an edge can be grabbed
        self.overlays: list[Callable[[], None]] = []
        """What else draws over the text (suggestions), under the links and the frame."""

    def show_document(
        self,
        text: str,
        spans: list[Span],
        colours: dict[str, str],
        relations: Iterable[Relation] = (),
    ) -> None:
        """Show ``text`` with its spans and relations (spans in their labels' colours)."""
        self._picking = None
        self._drag = self._drag_range = None
        self._relations, self._links = {}, {}
        for relation in relations:
            self.add_relation(relation)
        super().show_document(text, spans, colours)

    def apply(self, changes: ChangeSet) -> None:
        """Show a change of the open document's spans and relations."""
        for relation in changes.relations_removed:
            self.remove_relation(relation.id)
        for span in changes.removed:
            self.remove_span(span.id)
        for span in changes.added:
            self.add_span(span)
        for span in changes.changed:
            self.update_span(span)
        for relation in changes.relations_added:
            self.add_relation(relation)

    def add_span(self, span: Span) -> None:
        super().add_span(span)
        if span.id in self._links:
            self.viewport().update()

    # -- relations ------------------------------------------------------------------

    def set_relation_colours(self, colours: dict[str, str]) -> None:
        """The ``#rrggbb`` colour each relation is drawn in, by name."""
        self._relation_colours = {name: QColor(colour) for name, colour in colours.items()}

    def relation_colour(self, label: str) -> QColor:
        """The colour a relation is drawn in."""
        return self._relation_colours.get(label) or QColor(_UNKNOWN_RELATION)

    def relations_of(self, span_id: int) -> list[Relation]:
        """The relations whose head or tail is ``span_id``, oldest first."""
        return [self._relations[i] for i in sorted(self._links.get(span_id, ()))]

    def add_relation(self, relation: Relation) -> None:
        """Draw one more relation whenever one of its spans is selected."""
        self._relations[relation.id] = relation
        for span_id in {relation.head, relation.tail}:
            self._links.setdefault(span_id, []).append(relation.id)
        if self._selected in (relation.head, relation.tail):
            self.viewport().update()

    def remove_relation(self, relation_id: int) -> None:
        """Stop drawing a relation."""
        relation = self._relations.pop(relation_id, None)
        if relation is None:
            return
        for span_id in {relation.head, relation.tail}:
            linked = self._links.get(span_id, [])
            if relation_id in linked:
                linked.remove(relation_id)
            if not linked:
                self._links.pop(span_id, None)
        if self._selected in (relation.head, relation.tail):
            self.viewport().update()

    # -- picking the other end of a relation ----------------------------------------

    @property
    def picking(self) -> bool:
        """True while the tail of a new relation is being picked."""
        return self._picking is not None

    def start_picking(self, head_id: int, candidates: Sequence[int], label: str) -> None:
        """Pick a span for a ``label`` link from ``head_id``: Tab visits ``candidates`` in
        their order (the likeliest partner first), Shift+Tab back."""
        self._picking = (head_id, frozenset(candidates), label)
        self._offered = list(candidates)
        self.clear_text_selection()
        self.viewport().update()

    def stop_picking(self) -> None:
        """Leave picking; the selection stays where it is."""
        self._picking = None
        self.viewport().update()

    def select_next_span(
        self, backward: bool = False, among: Collection[int] | None = None
    ) -> Span | None:
        if among is None and self._picking is not None and self._offered:
            offered = self._offered
            if self._selected in offered:
                at = offered.index(self._selected) + (-1 if backward else 1)
            else:  # from the head: Tab offers the likeliest first, Shift+Tab the last
                at = -1 if backward else 0
            following = offered[at % len(offered)]
            self.select_span(following)
            return self.span(following)
        return super().select_next_span(backward, among)

    def _pick(self, span_id: int | None) -> None:
        if span_id is not None and self._picking is not None and span_id != self._picking[0]:
            self.span_picked.emit(span_id)

    def spans_clicked(self, covering: list[Span]) -> None:
        if self._picking is None:
            super().spans_clicked(covering)
            return
        # the innermost span that may be picked, else the innermost one (to be refused)
        candidates = self._picking[1]
        chosen = next((s for s in covering if s.id in candidates), None)
        if chosen is None and covering:
            chosen = covering[0]
        self._pick(None if chosen is None else chosen.id)

    # -- moving the selected span's edges --------------------------------------------

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if self._picking is not None and event.key() == Qt.Key.Key_Escape:
            self.picking_cancelled.emit()
            return
        if self._picking is not None and event.key() in _RETURN_KEYS:
            self._pick(self._selected)
            return
        combined = event.keyCombination().toCombined() & ~_KEYPAD.value
        move = _BOUNDARY_KEYS.get(combined)
        if move is not None and self._selected is not None and not self.textCursor().hasSelection():
            self._nudge(*move)
            return
        super().keyPressEvent(event)

    def _nudge(self, edge: Edge, step: int, by_word: bool) -> None:
        span = self.selected_span()
        if span is None:
            return
        start, end = nudged(self._text, span.start, span.end, edge, step, by_word=by_word)
        if (start, end) != (span.start, span.end):
            self.span_move_requested.emit(span.id, start, end)

    def _grabbable_edge(self, point: QPoint) -> Edge | None:
        span = self.selected_span()
        if span is None or self._picking is not None:
            return None
        start, end = self._positions.to_qt(span.start), self._positions.to_qt(span.end)
        return edge_at(self, start, end, point)

    def mousePressEvent(self, event: QMouseEvent) -> None:
        span = self.selected_span()
        if event.button() == Qt.MouseButton.LeftButton and span is not None:
            edge = self._grabbable_edge(event.position().toPoint())
            if edge is not None:
                self._drag = (edge, span.id)
                self._drag_range = (span.start, span.end)
                return
        super().mousePressEvent(event)

    def mouseMoveEvent(self, event: QMouseEvent) -> None:
        point = event.position().toPoint()
        if self._drag is not None:
            self._drag_to(point, exact=bool(event.modifiers() & _ALT))
            return
        if event.buttons() == Qt.MouseButton.NoButton:
            grabbable = self._grabbable_edge(point) is not None
            shape = Qt.CursorShape.SizeHorCursor if grabbable else Qt.CursorShape.IBeamCursor
            if self.viewport().cursor().shape() != shape:
                self.viewport().setCursor(shape)
        super().mouseMoveEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        if self._drag is None:
            super().mouseReleaseEvent(event)
            return
        span = self._spans.get(self._drag[1])
        dropped = self._drag_range
        self._drag = self._drag_range = None
        self.viewport().update()
        if span is not None and dropped is not None and dropped != (span.start, span.end):
            self.span_move_requested.emit(span.id, *dropped)

    def _drag_to(self, point: QPoint, *, exact: bool) -> None:
        if self._drag is None:
            return
        edge, span_id = self._drag
        span = self._spans.get(span_id)
        if span is None:  # deleted under the mouse (undo from the keyboard)
            self._drag = self._drag_range = None
            return
        gap = self._positions.from_qt(self.cursorForPosition(point).position())
        dropped = dragged(self._text, span.start, span.end, edge, gap, exact=exact)
        if dropped != self._drag_range:
            self._drag_range = dropped
            self.viewport().update()

    # -- painting ---------------------------------------------------------------------

    def paint_marks(self) -> None:
        for overlay in self.overlays:
            overlay()
        draw_links(self, self.visible_links())
        span = self.viewed_span()
        if span is not None:
            # a discontinuous span is framed piece by piece; a dragged edge shows the range
            pieces = (self._drag_range,) if self._drag_range else span.pieces
            for start, end in pieces:
                outline_range(
                    self,
                    self._positions.to_qt(start),
                    self._positions.to_qt(end),
                    self.frame_colour(span.label),
                    dashed=self._drag_range is not None,
                )

    def _qt_range(self, span_id: int) -> tuple[int, int] | None:
        span = self._spans.get(span_id)
        if span is None:
            return None
        return self._positions.to_qt(span.start), self._positions.to_qt(span.end)

    def visible_links(self) -> list[Link]:
        """The links to draw: the one being picked, else the selected span's relations."""
        links: list[Link] = []
        if self._picking is not None:
            head_id, _, label = self._picking
            head = self._qt_range(head_id)
            tail = None if self._selected in (None, head_id) else self._qt_range(self._selected)
            if head is not None and tail is not None:
                links.append(Link(head, tail, label, self.relation_colour(label), True))
            return links
        if self._selected is None:
            return links
        for relation in self.relations_of(self._selected):
            head, tail = self._qt_range(relation.head), self._qt_range(relation.tail)
            if head is not None and tail is not None:
                colour = self.relation_colour(relation.label)
                links.append(Link(head, tail, relation.label, colour))
        return links
