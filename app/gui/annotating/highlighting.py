"""Span highlighting: a per-block span index and the QSyntaxHighlighter that reads it.

Formats are applied per text block, so adding or removing one span re-highlights only the
blocks it touches, and lazily: a block is formatted when it is first about to be shown, so
opening a long article formats one screenful rather than every paragraph.

Nested and overlapping spans are drawn by compositing each covering span's light tint over
the page, outermost first: the inner span shows over the outer one and deeper nesting comes
out stronger. The underline takes the colour and the style of the innermost span: each label
has its own style (``label_marks``), so labels are told apart without their colours too. On a
dark page the tints are lighter and the underlines lightened to stay readable.

Spans of other annotators' layers shown over one's own ("overlaid") add no tint: they are
drawn with a dashed underline in their annotator's colour, which wins over the solid one, so
that both layers stay readable where they meet.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from collections.abc import Iterable
from itertools import pairwise
from typing import NamedTuple

from PySide6.QtCore import QCoreApplication, QEvent, QObject
from PySide6.QtGui import QColor, QSyntaxHighlighter, QTextCharFormat, QTextDocument

from app.core.annotations import Span
from app.core.offsets import QtPositions
from app.gui.annotating.label_marks import (
    PLAIN,
    Marker,
    label_markers,
    mark_colour,
    tint_strength,
)

TINT = 90 / 255  # strength of one span's background over the page
FALLBACK_COLOUR = "#888888"
OVERLAID_UNDERLINE = QTextCharFormat.UnderlineStyle.DashUnderline

Key = str | tuple[str, str]
"""What a span adds to a format: its label, or ``(annotator, label)`` when overlaid."""


class Entry(NamedTuple):
    """A span as the highlighter sees it: Qt positions and a label.

    The end is stored negated so that plain tuple order is drawing order: by start, the
    enclosing (longer) span before the spans inside it.
    """

    qt_start: int
    minus_end: int
    span_id: int
    label: str

    @property
    def qt_end(self) -> int:
        """Qt position just after the span."""
        return -self.minus_end

    @classmethod
    def of(cls, qt_start: int, qt_end: int, span_id: int, label: str) -> Entry:
        """An entry for the Qt range ``[qt_start, qt_end)``."""
        return cls(qt_start, -qt_end, span_id, label)


class SpanIndex:
    """Spans by the text blocks they overlap, built in one pass over the blocks."""

    def __init__(self) -> None:
        self.block_starts: list[int] = []
        self.by_block: dict[int, list[Entry]] = {}
        self.entries: dict[int, Entry] = {}
        self.later: dict[int, tuple[Entry, ...]] = {}
        """The pieces after the first of each discontinuous span (``entries`` holds the
        first): only its fragments are drawn, never its gaps."""

    def build(self, document: QTextDocument, positions: QtPositions, spans: Iterable[Span]) -> None:
        """Index ``spans`` over the blocks of ``document`` (which shows the spans' text).

        Spans sorted by start (as the store reads them) are indexed in one merge pass over
        the blocks; any order is accepted, it only costs a search per span out of order.
        """
        starts: list[int] = []
        block = document.begin()
        while block.isValid():
            starts.append(block.position())
            block = block.next()
        self.block_starts = starts = starts or [0]
        count = len(starts)
        # Code point where each block starts, and how far Qt positions run ahead there (the
        # astral characters before it). A block without astral characters converts its spans
        # by one addition; the few blocks that hold one go through ``to_qt``.
        from_qt = positions.from_qt
        bounds = [from_qt(min(start, positions.qt_length)) for start in starts]
        bounds.append(positions.length + 1)
        ahead = [start - bound for start, bound in zip(starts, bounds, strict=False)]
        ahead.append(positions.qt_length - positions.length)
        lists: list[list[Entry]] = [[] for _ in range(count)]
        entries: dict[int, Entry] = {}
        to_qt, new = positions.to_qt, tuple.__new__
        number, low, high = 0, bounds[0], bounds[1]
        shift, clean = ahead[0], ahead[0] == ahead[1]
        listed = lists[0]
        cut: list[Span] = []
        # one tight loop: it runs for every span of a document as the document opens
        for span in spans:
            if span[9]:  # discontinuous: few, indexed piece by piece below
                cut.append(span)
                continue
            span_id, _, start, end, label = span[:5]
            if not low <= start < high:  # the next block (or, out of order, any block)
                number = min(bisect_right(bounds, start) - 1, count - 1)
                low, high = bounds[number], bounds[number + 1]
                shift, clean = ahead[number], ahead[number] == ahead[number + 1]
                listed = lists[number]
            if end <= high:  # within the block (its separator included)
                if clean:
                    entry = new(Entry, (start + shift, -end - shift, span_id, label))
                else:
                    entry = new(Entry, (to_qt(start), -to_qt(end), span_id, label))
                listed.append(entry)
            else:
                entry = Entry(to_qt(start), -to_qt(end), span_id, label)
                for spanned in self._blocks(starts, entry):
                    lists[spanned].append(entry)
            entries[span_id] = entry
        later: dict[int, tuple[Entry, ...]] = {}
        for span in cut:
            pieces = [Entry.of(to_qt(s), to_qt(e), span.id, span.label) for s, e in span.pieces]
            for piece in pieces:
                for spanned in self._blocks(starts, piece):
                    lists[spanned].append(piece)
            entries[span.id] = pieces[0]
            later[span.id] = tuple(pieces[1:])
        for listed in lists:
            if len(listed) > 1:
                listed.sort()
        self.by_block = {number: listed for number, listed in enumerate(lists) if listed}
        self.entries = entries
        self.later = later

    def blocks_of(self, entry: Entry) -> range:
        """Numbers of the blocks ``entry`` overlaps."""
        return self._blocks(self.block_starts, entry)

    @staticmethod
    def _blocks(starts: list[int], entry: Entry) -> range:
        first = bisect_right(starts, entry.qt_start) - 1
        last = bisect_right(starts, max(entry.qt_start, entry.qt_end - 1)) - 1
        return range(max(first, 0), last + 1)

    def add(self, entry: Entry, *later: Entry) -> range:
        """Index one more span (a discontinuous one as its pieces, in order); returns the
        blocks to re-highlight."""
        self.remove(entry.span_id)
        blocks = self._insert(entry)
        if later:
            self.later[entry.span_id] = later
            for piece in later:
                self._put(piece)
            blocks = range(blocks.start, self.blocks_of(later[-1]).stop)
        return blocks

    def remove(self, span_id: int) -> range:
        """Drop a span; returns the blocks to re-highlight (empty when it was not indexed)."""
        entry = self.entries.pop(span_id, None)
        if entry is None:
            return range(0)
        pieces = (entry, *self.later.pop(span_id, ()))
        for piece in pieces:
            for number in self.blocks_of(piece):
                listed = self.by_block.get(number)
                if listed is not None:
                    listed.remove(piece)
                    if not listed:
                        del self.by_block[number]
        return range(self.blocks_of(entry).start, self.blocks_of(pieces[-1]).stop)

    def covering(self, qt_position: int) -> list[Entry]:
        """Entries covering the character at ``qt_position``, innermost first."""
        number = bisect_right(self.block_starts, qt_position) - 1
        found = [e for e in self.by_block.get(number, ()) if e.qt_start <= qt_position < e.qt_end]
        found.sort(key=lambda e: (e.qt_end - e.qt_start, -e.qt_start, e.span_id))
        return found

    def _insert(self, entry: Entry) -> range:
        self.entries[entry.span_id] = entry
        return self._put(entry)

    def _put(self, entry: Entry) -> range:
        blocks = self.blocks_of(entry)
        for number in blocks:
            insort(self.by_block.setdefault(number, []), entry)
        return blocks


def blend(colours: Iterable[QColor], page: QColor, strength: float = TINT) -> QColor:
    """Paint each colour as a translucent layer over ``page``, in order."""
    r, g, b = page.redF(), page.greenF(), page.blueF()
    for colour in colours:
        r += (colour.redF() - r) * strength
        g += (colour.greenF() - g) * strength
        b += (colour.blueF() - b) * strength
    return QColor.fromRgbF(r, g, b)


class SpanHighlighter(QSyntaxHighlighter):
    """Formats each block from the spans the index lists for it."""

    def __init__(self, index: SpanIndex, parent: QObject) -> None:
        super().__init__(parent)
        self._index = index
        self._colours: dict[str, QColor] = {}  # as the schema gives them
        self._marks: dict[str, QColor] = {}  # made readable on the page
        self._markers: dict[str, Marker] = {}
        self._page = QColor("white")
        self._formats: dict[tuple[Key, ...], QTextCharFormat] = {}
        self._overlaid: dict[int, str] = {}  # span id -> annotator, for other layers' spans
        self._layer_colours: dict[str, QColor] = {}
        self._active: set[int] = set()  # blocks formatted from the index
        # kept here rather than asked of document(): a wrapper that call returns keeps this
        # object alive through a reference Python's collector cannot see
        self._document: QTextDocument | None = None

    def attach(self, document: QTextDocument | None) -> None:
        """Highlight ``document`` (None: detach) from the index, lazily.

        No block is formatted yet: ``ensure_highlighted`` formats the blocks about to be shown
        (the view asks for those it paints), each once; after that ``rehighlight_blocks``
        keeps them in step with the index. Blocks never shown are never formatted.
        """
        self._active = set()
        self._document = document
        self.setDocument(document)
        # setDocument posts itself a pass over every block; with no block active it would
        # only cost a call per block, so drop it (should it run anyway, it changes nothing)
        QCoreApplication.removePostedEvents(self, QEvent.Type.MetaCall)

    @property
    def highlighted_blocks(self) -> frozenset[int]:
        """Numbers of the blocks formatted from the index so far."""
        return frozenset(self._active)

    def ensure_highlighted(self, numbers: Iterable[int]) -> None:
        """Format the blocks ``numbers`` (out-of-range ones are skipped) unless already done."""
        document = self._document
        if document is None:
            return
        active = self._active
        for number in numbers:
            if number not in active:
                block = document.findBlockByNumber(number)
                if block.isValid():
                    active.add(number)
                    self.rehighlightBlock(block)

    def rehighlight_blocks(self, numbers: Iterable[int]) -> None:
        """Re-highlight the blocks a change touched, leaving the others alone.

        Blocks not formatted yet are skipped: they read the index when they are first shown.
        """
        document = self._document
        if document is not None:
            active = self._active
            for number in numbers:
                if number in active:
                    self.rehighlightBlock(document.findBlockByNumber(number))

    def set_colours(self, colours: dict[str, str], page: QColor) -> None:
        """Label colours (``#rrggbb``, in schema order: it gives each label its marker) and
        the page colour the tints are laid over."""
        self._colours = {label: QColor(colour) for label, colour in colours.items()}
        self._markers = label_markers(colours)
        self.set_page(page)

    def set_page(self, page: QColor) -> None:
        """The page colour the tints are laid over (the theme changed); formats blocks
        already shown again."""
        self._page = QColor(page)
        self._marks = {label: mark_colour(c, page) for label, c in self._colours.items()}
        self._formats.clear()
        self.rehighlight_blocks(sorted(self._active))

    @property
    def page(self) -> QColor:
        """The page colour the tints are laid over."""
        return QColor(self._page)

    def colour(self, label: str) -> QColor:
        """The colour a label's marks are drawn in, readable on the page (grey for labels
        the schema does not know)."""
        return self._marks.get(label) or QColor(FALLBACK_COLOUR)

    def marker(self, label: str) -> Marker:
        """What marks a label's spans besides colour."""
        return self._markers.get(label, PLAIN)

    def set_layer_colours(self, colours: dict[str, str]) -> None:
        """The ``#rrggbb`` colour of each annotator whose spans are overlaid."""
        self._layer_colours = {name: QColor(colour) for name, colour in colours.items()}
        self._formats.clear()

    def layer_colour(self, annotator: str) -> QColor:
        """The colour an overlaid annotator's spans are underlined in."""
        return self._layer_colours.get(annotator) or QColor(FALLBACK_COLOUR)

    def overlay(self, span_id: int, annotator: str | None) -> None:
        """Draw a span as another annotator's (None: as one's own). Re-highlighting is the
        caller's, who knows the blocks."""
        if annotator is None:
            self._overlaid.pop(span_id, None)
        else:
            self._overlaid[span_id] = annotator

    def clear_overlay(self) -> None:
        """Draw every span as one's own again."""
        self._overlaid = {}

    def _key(self, span_id: int, label: str) -> Key:
        annotator = self._overlaid.get(span_id)
        return label if annotator is None else (annotator, label)

    def _format(self, keys: tuple[Key, ...]) -> QTextCharFormat:
        fmt = self._formats.get(keys)
        if fmt is None:
            own = [key for key in keys if isinstance(key, str)]
            others = [key for key in keys if not isinstance(key, str)]
            fmt = QTextCharFormat()
            if own:
                tints = (self._colours.get(label) or QColor(FALLBACK_COLOUR) for label in own)
                fmt.setBackground(blend(tints, self._page, tint_strength(self._page)))
            if others:
                fmt.setUnderlineStyle(OVERLAID_UNDERLINE)
                fmt.setUnderlineColor(self.layer_colour(others[-1][0]))
            else:
                marker = self.marker(own[-1])
                fmt.setUnderlineStyle(marker.underline)
                fmt.setFontOverline(marker.overline)
                fmt.setUnderlineColor(self.colour(own[-1]))
            self._formats[keys] = fmt
        return fmt

    def highlightBlock(self, text: str) -> None:
        block = self.currentBlock()
        number = block.blockNumber()
        if number not in self._active:
            return  # not shown yet: formatted when it is (ensure_highlighted)
        entries = self._index.by_block.get(number)
        if not entries:
            return
        base = block.position()
        stop = base + block.length() - 1  # ``text`` is a Python str: it counts code points
        # Painter's order: each span is drawn over the spans enclosing it, with their tints
        # composited in. ``chain`` holds (end, labels) of the spans enclosing the current one.
        chain: list[tuple[int, tuple[Key, ...]]] = []
        formats, set_format = self._formats, self.setFormat
        overlaid = self._overlaid
        for qt_start, minus_end, span_id, label in entries:
            qt_end = -minus_end
            key: Key = label
            if overlaid and span_id in overlaid:
                key = (overlaid[span_id], label)
            while chain and chain[-1][0] <= qt_start:
                chain.pop()
            if chain:
                outer_end, outer = chain[-1]
                if outer_end < qt_end:
                    self._sweep(entries, base, stop)  # spans cross: layer segment by segment
                    return
                labels = (*outer, key)
            else:
                labels = (key,)
            fmt = formats.get(labels)
            if fmt is None:
                fmt = self._format(labels)
            left, right = max(qt_start, base), min(qt_end, stop)
            if left < right:
                set_format(left - base, right - left, fmt)
            chain.append((qt_end, labels))

    def _sweep(self, entries: list[Entry], base: int, stop: int) -> None:
        """Format each segment between span boundaries from the spans covering it."""
        points = {base, stop}
        for entry in entries:
            points.add(min(max(entry.qt_start, base), stop))
            points.add(min(entry.qt_end, stop))
        active: list[Entry] = []
        waiting, count = 0, len(entries)
        for left, right in pairwise(sorted(points)):
            while waiting < count and entries[waiting].qt_start <= left:
                active.append(entries[waiting])
                waiting += 1
            active = [entry for entry in active if entry.qt_end > left]
            if active:
                labels = tuple(self._key(entry.span_id, entry.label) for entry in active)
                self.setFormat(left - base, right - left, self._format(labels))
