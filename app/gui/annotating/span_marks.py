"""What the article view draws besides the highlights: the selected span's frame, the preview
of what a hotkey would tag, the tooltip naming the spans under the mouse, and where the
selected span's edges can be grabbed."""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QPoint, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QPainter,
    QPalette,
    QPen,
    QTextCharFormat,
    QTextCursor,
    QTextDocument,
    QTextLine,
)
from PySide6.QtWidgets import QPlainTextEdit, QTextEdit

from app.core.annotations import Span
from app.gui.models.spans import excerpt, quoted, shown
from app.services.boundaries import Edge

PREVIEW_ALPHA = 60


def line_rects(view: QPlainTextEdit, start: int, end: int) -> list[QRectF]:
    """The Qt range ``[start, end)`` as one rectangle per line, on the view's visible part
    (viewport coordinates); empty when none of it is on screen."""
    rects: list[QRectF] = []
    offset = view.contentOffset()
    height = view.viewport().height()
    block = view.firstVisibleBlock()
    while block.isValid() and block.position() < end:
        top_left = view.blockBoundingGeometry(block).translated(offset).topLeft()
        if top_left.y() > height:
            break
        base = block.position()
        layout = block.layout()
        for number in range(layout.lineCount() if base + block.length() > start else 0):
            line = layout.lineAt(number)
            left = max(start, base + line.textStart())
            right = min(end, base + line.textStart() + line.textLength())
            if left >= right:
                continue
            x1, x2 = _x_of(line, left - base), _x_of(line, right - base)
            rect = QRectF(min(x1, x2), line.y(), abs(x2 - x1), line.height())
            rects.append(rect.translated(top_left))
        block = block.next()
    return rects


def frame_rects(
    painter: QPainter,
    rects: list[QRectF],
    colour: QColor,
    *,
    width: float = 2,
    dashed: bool = False,
) -> None:
    """Draw a frame round each rectangle."""
    pen = QPen(colour, width)
    if dashed:
        pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    for rect in rects:
        painter.drawRect(rect.adjusted(0.5, 0.5, -0.5, -0.5))


def outline_range(
    view: QPlainTextEdit, start: int, end: int, colour: QColor, *, dashed: bool = False
) -> None:
    """Frame the Qt range ``[start, end)`` line by line on the view's visible part.

    A frame rather than a format: it changes no layout and leaves the nested tints visible.
    """
    rects = line_rects(view, start, end)
    if rects:
        painter = QPainter(view.viewport())
        frame_rects(painter, rects, colour, dashed=dashed)
        painter.end()


def _x_of(line: QTextLine, position: int) -> float:
    result = line.cursorToX(position)
    x = result[0] if isinstance(result, tuple) else result
    return float(x) if isinstance(x, int | float) else 0.0


def snap_preview(
    document: QTextDocument, start: int, end: int, palette: QPalette
) -> QTextEdit.ExtraSelection:
    """A faint selection over the Qt range ``[start, end)`` a hotkey would tag."""
    selection = QTextEdit.ExtraSelection()
    cursor = QTextCursor(document)
    cursor.setPosition(start)
    cursor.setPosition(end, QTextCursor.MoveMode.KeepAnchor)
    selection.cursor = cursor
    fmt = QTextCharFormat()
    highlight = QColor(palette.color(QPalette.ColorRole.Highlight))
    highlight.setAlpha(PREVIEW_ALPHA)
    fmt.setBackground(highlight)
    selection.format = fmt
    return selection


def describe_spans(
    text: str,
    spans: list[Span],
    colour_of: Callable[[str], QColor],
    owner: str | None = None,
    mark_of: Callable[[str], str] | None = None,
) -> str:
    """Rich text naming each span (given innermost first), outermost first, for a tooltip.

    With ``owner``, spans of other annotators are named with their annotator; with
    ``mark_of``, each label is followed by how its spans are marked (``dashed underline``).
    """

    def mark(label: str) -> str:
        if mark_of is None:
            return ""
        return f"<span style='color:gray'>({html.escape(mark_of(label))})</span> "

    rows = []
    for span in reversed(spans):
        words = html.escape(excerpt(shown(text, span)))
        whose = ""
        if owner is not None and span.annotator != owner:
            whose = f"<i>{html.escape(span.annotator)}</i> "
        rows.append(
            f"<span style='color:{colour_of(span.label).name()}'>■</span> "
            f"<b>{html.escape(span.label)}</b> {mark(span.label)}{whose}{words} "
            f"<span style='color:gray'>{span.start}–{span.end}</span>"
        )
    return "<br>".join(rows)


def name_span(text: str, span: Span, mark: str) -> str:
    """``QUOTE (dashed underline) “words” 12–40``: a span's label in words, for the status
    bar, so that a selected span is named whatever colours one sees."""
    words = quoted(excerpt(shown(text, span)))
    return f"{span.label} ({mark}) {words} {span.start}–{span.end}"


EDGE_GRAB = 5  # pixels either side of a span's edge that pick it up for dragging


def edge_at(view: QPlainTextEdit, start: int, end: int, point: QPoint) -> Edge | None:
    """Which edge of the Qt range ``[start, end)`` is under ``point`` (viewport coordinates).

    The nearer one when both are within reach (a one-letter span).
    """
    found: list[tuple[int, Edge]] = []
    edges: tuple[tuple[Edge, int], ...] = (("start", start), ("end", end))
    for edge, position in edges:
        cursor = QTextCursor(view.document())
        cursor.setPosition(position)
        rect = view.cursorRect(cursor)
        distance = abs(point.x() - rect.x())
        if distance <= EDGE_GRAB and rect.top() <= point.y() <= rect.bottom():
            found.append((distance, edge))
    return min(found)[1] if found else None
