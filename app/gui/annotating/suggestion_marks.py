"""How suggestions look in the article: a dashed outline in the label's colour, never a fill,
so that a suggestion cannot be taken for a span; the surer the suggester, the stronger the
line. The suggestion the keys act on gets a thicker line and a tag with its label and
confidence."""

from __future__ import annotations

import bisect
import html
from collections.abc import Sequence

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QColor, QFont, QFontMetricsF, QPainter, QPalette, QPen, QTextLine
from PySide6.QtWidgets import QPlainTextEdit

from app.core.offsets import QtPositions
from app.core.suggestions import PendingSuggestion
from app.gui.annotating.label_marks import frame_colour, mark_colour

FAINTEST = 0.55
"""How much of the label's mark colour an outline keeps at confidence 0 (the rest is the
page's colour): the less sure the suggester, the paler the line."""


UNKNOWN = "#777777"
"""The colour of a label the schema does not know (any more)."""


def faded(colour: QColor, page: QColor, confidence: float) -> QColor:
    """The outline colour for a confidence (0 to 1), mixed towards the page.

    Mixed rather than made translucent: Qt draws opaque one-pixel dashes tens of times
    faster than translucent ones, which matters with a screenful of suggestions.
    """
    keep = FAINTEST + (1 - FAINTEST) * max(0.0, min(confidence, 1.0))
    return QColor(
        round(page.red() + (colour.red() - page.red()) * keep),
        round(page.green() + (colour.green() - page.green()) * keep),
        round(page.blue() + (colour.blue() - page.blue()) * keep),
    )


def on_screen(
    view: QPlainTextEdit, positions: QtPositions, suggestions: Sequence[PendingSuggestion]
) -> list[PendingSuggestion]:
    """The suggestions (in text order) that may show in the view's visible part.

    Bounded by the characters at the viewport's corners, not by whole paragraphs: one long
    paragraph may hold thousands of suggestions, only a screenful of which is on show.
    """
    if not suggestions:
        return []
    viewport = view.viewport().rect()
    top = positions.from_qt(view.cursorForPosition(viewport.topLeft()).position())
    bottom = view.cursorForPosition(viewport.bottomRight()).position()
    end = positions.from_qt(min(bottom + 1, positions.qt_length), round_up=True)
    starts = [s.start for s in suggestions]
    stop = bisect.bisect_right(starts, end)
    # a suggestion starting before the top may reach into view: look back a little
    first = max(bisect.bisect_left(starts, top) - 64, 0)
    return [s for s in suggestions[first:stop] if s.end > top]


def range_rects(view: QPlainTextEdit, start: int, end: int) -> list[QRectF]:
    """The Qt range ``[start, end)`` as one rectangle per line it covers on screen
    (viewport coordinates), going straight to its first line however long the paragraph."""
    rects: list[QRectF] = []
    offset = view.contentOffset()
    height = view.viewport().height()
    block = view.document().findBlock(start)
    while block.isValid() and block.position() < end:
        top_left = view.blockBoundingGeometry(block).translated(offset).topLeft()
        if top_left.y() > height:
            break
        base, layout = block.position(), block.layout()
        line = layout.lineForTextPosition(max(start - base, 0))
        number = line.lineNumber() if line.isValid() else layout.lineCount()
        while number < layout.lineCount():
            line = layout.lineAt(number)
            line_start = base + line.textStart()
            if line_start >= end:
                break
            y = top_left.y() + line.y()
            if y > height:
                return rects
            left, right = max(start, line_start), min(end, line_start + line.textLength())
            if left < right and y + line.height() >= 0:
                x1, x2 = _x_of(line, left - base), _x_of(line, right - base)
                rect = QRectF(min(x1, x2), line.y(), abs(x2 - x1), line.height())
                rects.append(rect.translated(top_left))
            number += 1
        block = block.next()
    return rects


def _x_of(line: QTextLine, position: int) -> float:
    result = line.cursorToX(position)
    x = result[0] if isinstance(result, tuple) else result
    return float(x) if isinstance(x, int | float) else 0.0


def draw_suggestions(
    view: QPlainTextEdit,
    positions: QtPositions,
    suggestions: Sequence[PendingSuggestion],
    colours: dict[str, str],
    current: PendingSuggestion | None,
) -> None:
    """Outline each suggestion on screen, and tag the current one."""
    shown = on_screen(view, positions, suggestions)
    if not shown and current is None:
        return
    page = view.palette().color(QPalette.ColorRole.Base)

    def colour_of(label: str) -> QColor:
        return QColor(colours.get(label, UNKNOWN))

    painter = QPainter(view.viewport())
    painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for suggestion in shown:
        if current is not None and suggestion.group == current.group:
            continue
        mark = mark_colour(colour_of(suggestion.label), page)
        _outline(painter, view, positions, suggestion, faded(mark, page, suggestion.confidence), 1)
    if current is not None:
        colour = frame_colour(colour_of(current.label), page)
        rects = _outline(painter, view, positions, current, colour, 2.5)
        for part in current.parts[1:]:
            part_rects = range_rects(view, *_qt(positions, part.start, part.end))
            _frame(painter, part_rects, mark_colour(colour_of(part.label), page), 2)
        if rects:
            words = f"{current.label} {current.confidence:.2f}"
            _tag(painter, view, rects[0], words, colour, page)
    painter.end()


def _qt(positions: QtPositions, start: int, end: int) -> tuple[int, int]:
    return positions.to_qt(start), positions.to_qt(end)


def _outline(
    painter: QPainter,
    view: QPlainTextEdit,
    positions: QtPositions,
    suggestion: PendingSuggestion,
    colour: QColor,
    width: float,
) -> list[QRectF]:
    rects = range_rects(view, *_qt(positions, suggestion.start, suggestion.end))
    _frame(painter, rects, colour, width)
    return rects


def _frame(painter: QPainter, rects: list[QRectF], colour: QColor, width: float) -> None:
    # an opaque one-pixel dash takes the rasteriser's fast path (about 1 us a rectangle);
    # wider, translucent or custom dashes are stroked as paths, 20 to 50 times slower
    pen = QPen(colour, width)
    pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    if rects:
        painter.drawRects([rect.adjusted(0.5, 0.5, -0.5, -0.5) for rect in rects])


def _tag(
    painter: QPainter,
    view: QPlainTextEdit,
    anchor: QRectF,
    words: str,
    colour: QColor,
    page: QColor,
) -> None:
    """A small label above the suggestion's first line: what it is and how sure."""
    font = QFont(view.font())
    font.setPointSizeF(max(font.pointSizeF() * 0.75, 6.0))
    metrics = QFontMetricsF(font)
    width, height = metrics.horizontalAdvance(words) + 6, metrics.height()
    top = anchor.top() - height if anchor.top() >= height else anchor.bottom()
    box = QRectF(anchor.left(), top, width, height)
    painter.setFont(font)
    painter.setPen(Qt.PenStyle.NoPen)
    painter.setBrush(colour)
    painter.drawRect(box)
    painter.setPen(page)  # the frame colour stands out from the page, so the page on it does
    painter.drawText(box.topLeft() + QPointF(3, metrics.ascent()), words)
    painter.setBrush(Qt.BrushStyle.NoBrush)


def describe_suggestion(text: str, suggestion: PendingSuggestion) -> str:
    """Rich text for a tooltip: what is suggested, its parts, and where it came from."""
    lines = [
        f"<b>Suggested {html.escape(suggestion.label)}</b>: "
        f"“{html.escape(_excerpt(text[suggestion.start : suggestion.end]))}”"
    ]
    for part in suggestion.parts[1:]:
        lines.append(
            f"with {html.escape(part.role or part.label)} ({html.escape(part.label)}): "
            f"“{html.escape(_excerpt(text[part.start : part.end]))}”"
        )
    lines.append(f"from {html.escape(suggestion.provenance())}")
    lines.append("<i>Enter accepts, Del rejects, a label key accepts as that label</i>")
    return "<br>".join(lines)


def _excerpt(words: str, most: int = 80) -> str:
    words = " ".join(words.split())
    return words if len(words) <= most else words[: most - 1] + "…"
