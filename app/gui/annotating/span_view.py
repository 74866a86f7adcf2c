"""Read-only text with highlighted spans, keyboard selection and span selection.

Offsets in the public API are code points of the canonical text (see ``TextView``, which
converts them for Qt). Span text is always sliced from the canonical text.

The view may show several annotators' layers (``set_layers``): only the spans of the layer
being edited are handed out for editing (``selected_span``, ``span``, ``spans``); the others
can be selected and looked at (``viewed_span``, ``spans_at``) but never edited.
"""

from __future__ import annotations

from bisect import bisect_left, insort
from collections.abc import Collection, Mapping

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QColor, QHelpEvent, QKeyEvent, QMouseEvent, QPaintEvent, QPalette
from PySide6.QtWidgets import QToolTip, QWidget

from app.core.annotations import Span
from app.core.collector import collector_paused
from app.gui.annotating.highlighting import Entry, SpanHighlighter, SpanIndex
from app.gui.annotating.label_marks import frame_colour
from app.gui.annotating.span_marks import describe_spans, name_span, outline_range
from app.gui.annotating.text_view import TextView
from app.gui.models.spans import reading_order

EAGER_POSITIONS = 12_000  # formatted as a document opens: more than a large screen shows
_ALT = Qt.KeyboardModifier.AltModifier
_SHIFT = Qt.KeyboardModifier.ShiftModifier
_CTRL = Qt.KeyboardModifier.ControlModifier


class SpanView(TextView):
    """Shows one document and its spans; reports selections in code points."""

    span_selected = Signal(object)
    """The id of the newly selected span, or None when no span is selected any more."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._spans: dict[int, Span] = {}
        self._order: list[tuple[int, int, int]] | None = None  # reading order, for Tab
        self._index = SpanIndex()
        self._highlighter = SpanHighlighter(self._index, self)
        self._selected: int | None = None
        self._owner: str | None = None  # whose spans may be edited; None: every span's
        self._shown: frozenset[str] | None = None  # whose spans are shown; None: everyone's
        self._overlaid: dict[str, str] = {}  # annotator -> colour, drawn as another layer
        self._read_only = False

    # -- layers -------------------------------------------------------------------

    def set_layers(
        self,
        owner: str | None = None,
        shown: Collection[str] | None = None,
        overlaid: Mapping[str, str] | None = None,
        *,
        read_only: bool = False,
    ) -> None:
        """Say whose spans the next ``show_document`` shows and which may be edited.

        ``owner``: the annotator whose spans may be edited (None: anyone's). ``shown``: the
        annotators whose spans are shown, later additions included (None: everyone's).
        ``overlaid``: annotators (with a ``#rrggbb`` colour) whose spans are drawn as
        another layer over the owner's. ``read_only``: nothing may be edited or tagged.
        """
        self._owner = owner
        self._shown = None if shown is None else frozenset(shown)
        self._overlaid = dict(overlaid or {})
        self._read_only = read_only
        self._highlighter.set_layer_colours(self._overlaid)

    @property
    def read_only(self) -> bool:
        """True when nothing on show may be edited, nor new spans tagged."""
        return self._read_only

    @property
    def owner(self) -> str | None:
        """The annotator whose spans may be edited (None: anyone's)."""
        return self._owner

    def editable(self, span: Span) -> bool:
        """True when ``span`` belongs to the layer being edited."""
        return not self._read_only and (self._owner is None or span.annotator == self._owner)

    def _overlay(self, span: Span) -> None:
        drawn_as = span.annotator if span.annotator in self._overlaid else None
        self._highlighter.overlay(span.id, drawn_as)

    # -- content -------------------------------------------------------------------

    def show_document(self, text: str, spans: list[Span], colours: dict[str, str]) -> None:
        """Show ``text`` with ``spans`` highlighted in their labels' ``#rrggbb`` colours."""
        self._highlighter.attach(None)
        self._highlighter.clear_overlay()
        if self._overlaid:
            for span in spans:
                self._overlay(span)
        self._order = None
        self._selected = None
        self._put_text(text)
        self._highlighter.set_colours(colours, self.palette().color(QPalette.ColorRole.Base))
        # Tens of thousands of small tuples are made here at once; a collection pass in the
        # middle would walk all of them again for nothing.
        with collector_paused():
            self._spans = {span.id: span for span in spans}
            self._index.build(self.document(), self._positions, spans)
        self._highlighter.attach(self.document())
        # the head of the article now, so that the first paint finds it formatted; the rest
        # as it is scrolled into view (paintEvent)
        self._highlighter.ensure_highlighted(
            range(max(bisect_left(self._index.block_starts, EAGER_POSITIONS), 1))
        )
        self.span_selected.emit(None)

    def spans(self) -> list[Span]:
        """The spans on show that may be edited, in reading order."""
        found = (self._spans[key[2]] for key in self._reading_order())
        return [span for span in found if self.editable(span)]

    def _reading_order(self) -> list[tuple[int, int, int]]:
        # built on first use: opening a document should not pay for it
        if self._order is None:
            self._order = sorted(reading_order(span) for span in self._spans.values())
        return self._order

    def add_span(self, span: Span) -> None:
        """Highlight one more span (re-highlighting only the blocks it touches).

        A span of a layer not on show is left out.
        """
        if self._shown is not None and span.annotator not in self._shown:
            self.remove_span(span.id)
            return
        old = self._spans.get(span.id)
        if old is not None:
            self._forget(old)
            self._rehighlight(self._index.remove(span.id))  # the blocks it leaves
        if self._overlaid:
            self._overlay(span)
        self._spans[span.id] = span
        if self._order is not None:
            insort(self._order, reading_order(span))
        to_qt = self._positions.to_qt
        pieces = [Entry.of(to_qt(s), to_qt(e), span.id, span.label) for s, e in span.pieces]
        self._rehighlight(self._index.add(*pieces))
        if span.id == self._selected:
            self.viewport().update()

    def remove_span(self, span_id: int) -> None:
        """Stop highlighting a span."""
        span = self._spans.pop(span_id, None)
        if span is None:
            return
        self._forget(span)
        self._rehighlight(self._index.remove(span_id))
        self._highlighter.overlay(span_id, None)
        if span_id == self._selected:
            self._selected = None
            self.viewport().update()
            self.span_selected.emit(None)

    def update_span(self, span: Span) -> None:
        """Show a span's new label or offsets."""
        self.add_span(span)

    def _forget(self, span: Span) -> None:
        if self._order is None:
            return
        key = reading_order(span)
        at = bisect_left(self._order, key)
        if at < len(self._order) and self._order[at] == key:
            del self._order[at]

    def _rehighlight(self, blocks: range) -> None:
        self._highlighter.rehighlight_blocks(blocks)

    def span(self, span_id: int) -> Span | None:
        """A span on show that may be edited, by id."""
        span = self._spans.get(span_id)
        return span if span is not None and self.editable(span) else None

    # -- spans under the cursor ---------------------------------------------------

    def spans_at(self, offset: int) -> list[Span]:
        """Spans covering the character at code point ``offset``, innermost first."""
        if not 0 <= offset < len(self._text):
            return []
        entries = self._index.covering(self._positions.to_qt(offset))
        return [self._spans[e.span_id] for e in entries]

    def span_at(self, offset: int) -> Span | None:
        """The innermost span covering the character at ``offset``, if any."""
        found = self.spans_at(offset)
        return found[0] if found else None

    # -- selection ------------------------------------------------------------------

    def selected_range(self) -> tuple[int, int] | None:
        """The text selection in code points, snapped to words unless made with Alt.

        None in a read-only view: there is nothing to tag there.
        """
        return None if self._read_only else super().selected_range()

    def selected_span(self) -> Span | None:
        """The selected span, if any and if it may be edited."""
        span = self.viewed_span()
        return span if span is not None and self.editable(span) else None

    def viewed_span(self) -> Span | None:
        """The selected span, whichever layer it belongs to."""
        return None if self._selected is None else self._spans.get(self._selected)

    def select_span(self, span_id: int | None) -> None:
        """Select a span (None: none), put the caret at its start and scroll to it."""
        span = None if span_id is None else self._spans.get(span_id)
        if span is not None:
            cursor = self.textCursor()
            cursor.setPosition(self._positions.to_qt(span.start))
            self.setTextCursor(cursor)
            self._reveal(span.start)
        self._set_selected(None if span is None else span.id)

    def select_next_span(
        self, backward: bool = False, among: Collection[int] | None = None
    ) -> Span | None:
        """Select the span after (or before) the selected one, or the caret; wraps round.

        With ``among``, only those spans are visited.
        """
        order = self._reading_order()
        if not order:
            return None
        current = self.selected_span()
        if current is not None:
            at = bisect_left(order, reading_order(current))
            at = at - 1 if backward else at + 1
        else:
            caret = self._positions.from_qt(self.textCursor().position())
            at = bisect_left(order, (caret, -len(self._text) - 1, 0))
            at = at - 1 if backward else at
        step = -1 if backward else 1
        for _ in range(len(order)):
            span_id = order[at % len(order)][2]
            if among is None or span_id in among:
                self.select_span(span_id)
                return self._spans[span_id]
            at += step
        return None

    def clear_selection(self) -> None:
        """Drop both the text selection and the selected span."""
        cursor = self.textCursor()
        cursor.clearSelection()
        self.setTextCursor(cursor)
        self._set_selected(None)

    def _set_selected(self, span_id: int | None) -> None:
        if span_id == self._selected:
            return
        self._selected = span_id
        self.viewport().update()
        self.span_selected.emit(span_id)

    # -- input ------------------------------------------------------------------------

    def event(self, event: QEvent) -> bool:
        # Tab would move the focus before keyPressEvent ever sees it
        if event.type() == QEvent.Type.KeyPress and isinstance(event, QKeyEvent):
            tab = event.key() in (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
            if tab and not event.modifiers() & (_CTRL | _ALT):
                backward = event.key() == Qt.Key.Key_Backtab or bool(event.modifiers() & _SHIFT)
                self.select_next_span(backward)
                return True
        return super().event(event)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if event.key() == Qt.Key.Key_Escape:
            self.clear_selection()
            return
        super().keyPressEvent(event)

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        super().mouseReleaseEvent(event)
        if event.button() != Qt.MouseButton.LeftButton or self.textCursor().hasSelection():
            return
        offset = self.offset_at(event.position().toPoint())
        self.spans_clicked(self.spans_at(offset) if offset is not None else [])

    def spans_clicked(self, covering: list[Span]) -> None:
        """A click (not a drag) on the spans ``covering`` the character, innermost first."""
        if not covering:
            self._set_selected(None)
            return
        ids = [span.id for span in covering]
        # clicking the selected span again steps outwards through the spans nested there
        at = ids.index(self._selected) + 1 if self._selected in ids else 0
        self._set_selected(ids[at % len(ids)])

    def frame_colour(self, label: str) -> QColor:
        """The colour of the frame round a selected span of ``label``."""
        return frame_colour(self._highlighter.colour(label), self._highlighter.page)

    def viewportEvent(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            offset = self.offset_at(event.pos())
            covering = [] if offset is None else self.spans_at(offset)
            if covering:
                QToolTip.showText(event.globalPos(), self.describe(covering), self.viewport())
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().viewportEvent(event)

    def describe(self, spans: list[Span]) -> str:
        """Rich text naming each span, outermost first, for a tooltip."""
        highlighter = self._highlighter
        return describe_spans(
            self._text,
            spans,
            highlighter.colour,
            self._owner,
            lambda label: highlighter.marker(label).describe(),
        )

    def describe_plainly(self, span: Span) -> str:
        """One plain line naming a span's label and its mark, for the status bar."""
        return name_span(self._text, span, self._highlighter.marker(span.label).describe())

    # -- painting ---------------------------------------------------------------------

    def ensure_highlighted(self, blocks: range | None = None) -> None:
        """Format ``blocks`` now if they are not yet (None: those on show and a screenful
        either side). Blocks are formatted lazily, when first painted; this is for code that
        reads formats or lays text out before then.
        """
        page = self.palette().color(QPalette.ColorRole.Base)
        if page != self._highlighter.page:  # the theme changed: the tints follow it
            self._highlighter.set_page(page)
        if blocks is None:
            shown = self.visible_blocks()
            margin = max(len(shown), 4)
            blocks = range(max(shown.start - margin, 0), shown.stop + margin)
        self._highlighter.ensure_highlighted(blocks)

    def paintEvent(self, event: QPaintEvent) -> None:
        self.ensure_highlighted()  # before Qt draws: this paint shows the new formats
        super().paintEvent(event)
        self.paint_marks()

    def paint_marks(self) -> None:
        """Draw over the text (the selected span's frame), after Qt has drawn it."""
        span = self.viewed_span()
        if span is not None:
            colour = self.frame_colour(span.label)
            to_qt = self._positions.to_qt
            for start, end in span.pieces:  # a discontinuous span: each piece framed
                outline_range(self, to_qt(start), to_qt(end), colour)
