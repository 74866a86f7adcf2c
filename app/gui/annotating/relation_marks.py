"""Relations drawn over the article: both ends framed in the relation's colour and an arrow
from the head to the tail, labelled with the relation's name.

Only the relations of the selected span are drawn, on the visible part of the view, so the
cost does not grow with the document. When one end is off screen the arrow points to the edge
of the view it lies beyond.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from typing import NamedTuple

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPolygonF,
)
from PySide6.QtWidgets import QPlainTextEdit

from app.gui.annotating.span_marks import frame_rects, line_rects

# Distinct from the default label colours, dark enough to read on the tints
RELATION_PALETTE = ("#00838f", "#d81b60", "#3949ab", "#ef6c00", "#2e7d32", "#6d4c41")
ARROW_SIZE = 9.0
MIN_LIFT, MAX_LIFT = 16.0, 34.0


def relation_colours(names: Iterable[str]) -> dict[str, str]:
    """A colour for each relation name, in schema order."""
    return {name: RELATION_PALETTE[i % len(RELATION_PALETTE)] for i, name in enumerate(names)}


class Link(NamedTuple):
    """One relation as drawn: its ends as Qt ranges."""

    head: tuple[int, int]
    tail: tuple[int, int]
    label: str
    colour: QColor
    tentative: bool = False
    """The link being picked: drawn dashed."""


def draw_links(view: QPlainTextEdit, links: Iterable[Link]) -> None:
    """Frame both ends of each link and draw an arrow from its head to its tail.

    Arcs are stacked: each link rises one tag higher than the one before, so that the names
    of links between neighbouring words do not cover each other.
    """
    painter: QPainter | None = None
    font = _tag_font(view)
    step = QFontMetricsF(font).height() + 4
    for level, link in enumerate(links):
        head = line_rects(view, *link.head)
        tail = line_rects(view, *link.tail)
        if not head and not tail:
            continue
        if painter is None:
            painter = QPainter(view.viewport())
            painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        frame_rects(painter, head + tail, link.colour, dashed=link.tentative)
        start, end = _anchors(view, link, head, tail)
        _arrow(painter, view, start, end, link, font, level * step)
    if painter is not None:
        painter.end()


def _anchors(
    view: QPlainTextEdit, link: Link, head: list[QRectF], tail: list[QRectF]
) -> tuple[QPointF, QPointF]:
    """Where the arrow leaves the head and meets the tail."""
    if not tail or not head:
        shown = head or tail
        rect = shown[0] if link.tail[0] < link.head[0] else shown[-1]
        first_visible = view.firstVisibleBlock().position()
        other = link.tail if head else link.head
        edge = 0.0 if other[0] < first_visible else float(view.viewport().height())
        beyond = QPointF(rect.center().x(), edge)
        near = QPointF(rect.center().x(), rect.top() if edge == 0.0 else rect.bottom())
        return (near, beyond) if head else (beyond, near)
    pairs = ((h, t) for h in head for t in tail)
    h, t = min(pairs, key=lambda p: (abs(p[0].center().y() - p[1].center().y()), _dx(*p)))
    if abs(h.center().y() - t.center().y()) < 2:  # same line: an arc above it
        return QPointF(h.center().x(), h.top()), QPointF(t.center().x(), t.top())
    if t.center().y() > h.center().y():
        return QPointF(h.center().x(), h.bottom()), QPointF(t.center().x(), t.top())
    return QPointF(h.center().x(), h.top()), QPointF(t.center().x(), t.bottom())


def _dx(a: QRectF, b: QRectF) -> float:
    return abs(a.center().x() - b.center().x())


def _arrow(
    painter: QPainter,
    view: QPlainTextEdit,
    start: QPointF,
    end: QPointF,
    link: Link,
    font: QFont,
    raise_by: float,
) -> None:
    path = QPainterPath(start)
    dy = end.y() - start.y()
    if abs(dy) < 2:
        lift = min(MAX_LIFT, max(MIN_LIFT, abs(end.x() - start.x()) / 4)) + raise_by / 0.75
        control1 = QPointF(start.x(), start.y() - lift)
        control2 = QPointF(end.x(), end.y() - lift)
    else:
        control1 = QPointF(start.x(), start.y() + dy / 2)
        control2 = QPointF(end.x(), end.y() - dy / 2)
    path.cubicTo(control1, control2, end)
    pen = QPen(link.colour, 2)
    if link.tentative:
        pen.setStyle(Qt.PenStyle.DashLine)
    painter.setPen(pen)
    painter.setBrush(Qt.BrushStyle.NoBrush)
    painter.drawPath(path)

    angle = math.atan2(end.y() - control2.y(), end.x() - control2.x())
    wings = [
        QPointF(
            end.x() - ARROW_SIZE * math.cos(angle + turn),
            end.y() - ARROW_SIZE * math.sin(angle + turn),
        )
        for turn in (-0.45, 0.45)
    ]
    painter.setPen(QPen(link.colour, 1))
    painter.setBrush(link.colour)
    painter.drawPolygon(QPolygonF([end, *wings]))
    _tag(painter, view, path.pointAtPercent(0.5), link, font)


def _tag_font(view: QPlainTextEdit) -> QFont:
    font = QFont(view.font())
    font.setPointSizeF(max(7.0, font.pointSizeF() * 0.72))
    font.setBold(True)
    return font


def _tag(painter: QPainter, view: QPlainTextEdit, centre: QPointF, link: Link, font: QFont) -> None:
    """The relation's name in a small box on the arrow."""
    metrics = QFontMetricsF(font)
    text = f"{link.label}?" if link.tentative else link.label
    width, height = metrics.horizontalAdvance(text) + 8, metrics.height() + 2
    box = QRectF(centre.x() - width / 2, centre.y() - height / 2, width, height)
    page = QColor(view.palette().color(QPalette.ColorRole.Base))
    page.setAlpha(235)
    painter.setFont(font)
    painter.setPen(QPen(link.colour, 1))
    painter.setBrush(page)
    painter.drawRoundedRect(box, 4, 4)
    painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
