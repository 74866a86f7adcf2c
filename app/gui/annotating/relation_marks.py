"""Relations drawn over the article: both ends framed in the relation's colour and an arrow
from the head to the tail, labelled with the relation's name.

The arrows never cover a word. The article leaves room above every line (``reading_layout``,
``relation_room``); an arrow runs only there and in the left margin, as brat draws them: up
from its head into the room above the head's line, along it, and down onto the tail when both
are on one line; otherwise along to the left margin, down (or up) the margin to the room
above the tail's line, and along it to the tail. The relation's name sits on the arrow in
that room.

Only the relations of the selected span are drawn, on the visible part of the view, so the
cost does not grow with the document. When one end is off screen the arrow runs up or down
the margin to the edge of the view it lies beyond.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
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

from app.gui.annotating.label_marks import TEXT_CONTRAST, is_dark, mark_colour, readable_on
from app.gui.annotating.span_marks import frame_rects, line_rects

# Distinct from the default label colours, dark enough to read on the tints
RELATION_PALETTE = ("#00838f", "#d81b60", "#3949ab", "#ef6c00", "#2e7d32", "#6d4c41")
ARROW_SIZE = 7.0
PEN = 2.0
TAG_SCALE = 0.7  # a relation's name, against the article's font
TAG_PAD = 1.0  # between a relation's name and the lines above and below its room
CLEARANCE = 1.5  # between an arrow and the words it points at
GUTTER = 6.0  # from the text to the first arrow running down the left margin
GUTTER_STEP = 4.0  # between arrows running down the margin side by side


def relation_colours(names: Iterable[str]) -> dict[str, str]:
    """A colour for each relation name, in schema order."""
    return {name: RELATION_PALETTE[i % len(RELATION_PALETTE)] for i, name in enumerate(names)}


def tag_font(font: QFont) -> QFont:
    """The font relation names are written in, for an article set in ``font``."""
    tag = QFont(font)
    tag.setPointSizeF(max(6.5, font.pointSizeF() * TAG_SCALE))
    tag.setBold(True)
    return tag


def relation_room(font: QFont) -> float:
    """Room above each line, in pixels, for an arrow and a relation's name."""
    return QFontMetricsF(tag_font(font)).height() + 1 + 2 * TAG_PAD


class Link(NamedTuple):
    """One relation as drawn: its ends as Qt ranges."""

    head: tuple[int, int]
    tail: tuple[int, int]
    label: str
    colour: QColor
    tentative: bool = False
    """The link being picked: drawn dashed."""


class Drawn(NamedTuple):
    """Where one link is drawn, in viewport coordinates."""

    link: Link
    route: list[QPointF]
    """The arrow's corners, from the head to the tip (axis-parallel segments)."""
    arrowhead: QPolygonF
    tag: QRectF
    """The box holding the relation's name."""

    def boxes(self) -> list[QRectF]:
        """Rectangles covering everything drawn for the link: each segment of the arrow
        (as wide as the pen), the arrowhead and the name's box."""
        half = PEN / 2
        found = [
            QRectF(
                min(a.x(), b.x()) - half,
                min(a.y(), b.y()) - half,
                abs(a.x() - b.x()) + PEN,
                abs(a.y() - b.y()) + PEN,
            )
            for a, b in zip(self.route, self.route[1:], strict=False)
        ]
        return [*found, self.arrowhead.boundingRect(), self.tag]


def link_shapes(view: QPlainTextEdit, links: Iterable[Link]) -> list[Drawn]:
    """Where each link with an end on screen is drawn: its route, arrowhead and name."""
    font = tag_font(view.font())
    metrics = QFontMetricsF(font)
    room = relation_room(view.font())
    gutter = view.contentOffset().x() + view.document().documentMargin() - GUTTER
    placed: list[QRectF] = []
    drawn: list[Drawn] = []
    for level, link in enumerate(links):
        head = line_rects(view, *link.head)
        tail = line_rects(view, *link.tail)
        if not head and not tail:
            continue
        x = gutter - GUTTER_STEP * (level % 3)
        route = _route(view, link, head, tail, room, x, level)
        text = f"{link.label}?" if link.tentative else link.label
        size = (metrics.horizontalAdvance(text) + 8, metrics.height() + 1)
        tag = _place_tag(route, size, placed)
        placed.append(tag)
        drawn.append(Drawn(link, route, _arrowhead(route), tag))
    return drawn


def draw_links(view: QPlainTextEdit, links: Iterable[Link]) -> None:
    """Frame both ends of each link and draw an arrow from its head to its tail."""
    shapes = link_shapes(view, links)
    if not shapes:
        return
    page = view.palette().color(QPalette.ColorRole.Base)
    font = tag_font(view.font())
    painter = QPainter(view.viewport())
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    for shape in shapes:
        link = shape.link
        colour = mark_colour(link.colour, page)
        ends = line_rects(view, *link.head) + line_rects(view, *link.tail)
        frame_rects(painter, ends, colour, dashed=link.tentative)
        pen = QPen(colour, PEN)
        pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
        if link.tentative:
            pen.setStyle(Qt.PenStyle.DashLine)
        painter.setPen(pen)
        painter.setBrush(Qt.BrushStyle.NoBrush)
        path = QPainterPath(shape.route[0])
        for corner in shape.route[1:]:
            path.lineTo(corner)
        painter.drawPath(path)
        painter.setPen(QPen(colour, 1))
        painter.setBrush(colour)
        painter.drawPolygon(shape.arrowhead)
    for shape in shapes:  # the names last: no other arrow crosses them
        _tag(painter, shape, mark_colour(shape.link.colour, page), page, font)
    painter.end()


def _anchor(rects: list[QRectF], towards: QRectF | None) -> QRectF:
    """The line of an end the arrow meets: the one nearest the other end."""
    if towards is None:
        return rects[0]
    return min(
        rects,
        key=lambda r: (abs(r.center().y() - towards.center().y()), _dx(r, towards)),
    )


def _dx(a: QRectF, b: QRectF) -> float:
    return abs(a.center().x() - b.center().x())


def _route(
    view: QPlainTextEdit,
    link: Link,
    head: list[QRectF],
    tail: list[QRectF],
    room: float,
    gutter: float,
    level: int,
) -> list[QPointF]:
    """The arrow's corners from the head to the tip, through the rooms above lines and the
    left margin only. Arrows leaving one span leave it side by side (``level``)."""
    lift = room / 2  # the arrow runs along the middle of the room above a line
    if head and tail:
        h = _anchor(head, tail[0])
        t = _anchor(tail, h)
        x = min(h.center().x() + level * 2 * GUTTER_STEP, h.right() - PEN)
        start = QPointF(x, h.top() - CLEARANCE - PEN / 2)
        tip = QPointF(t.center().x(), t.top() - CLEARANCE)
        if abs(h.top() - t.top()) < 2:  # one line: along the room above it
            y = h.top() - lift
            return [start, QPointF(start.x(), y), QPointF(tip.x(), y), tip]
        return [
            start,
            QPointF(start.x(), h.top() - lift),
            QPointF(gutter, h.top() - lift),
            QPointF(gutter, t.top() - lift),
            QPointF(tip.x(), t.top() - lift),
            tip,
        ]
    # one end off screen: along the room above the shown end, then the margin to the edge
    shown = head or tail
    other = link.tail if head else link.head
    above = other[0] < view.firstVisibleBlock().position()
    rect = shown[0] if above else shown[-1]
    edge = 0.0 if above else float(view.viewport().height())
    near = QPointF(rect.center().x(), rect.top() - CLEARANCE - PEN / 2)
    along = [QPointF(near.x(), rect.top() - lift), QPointF(gutter, rect.top() - lift)]
    if head:
        return [near, *along, QPointF(gutter, edge)]
    return [QPointF(gutter, edge), *reversed(along), QPointF(near.x(), rect.top() - CLEARANCE)]


def _arrowhead(route: Sequence[QPointF]) -> QPolygonF:
    """A triangle at the tip of the route, pointing along its last segment."""
    tip, before = route[-1], route[-2]
    dx, dy = tip.x() - before.x(), tip.y() - before.y()
    length = max((dx * dx + dy * dy) ** 0.5, 1e-6)
    ux, uy = dx / length, dy / length
    size = min(ARROW_SIZE, length)
    back = QPointF(tip.x() - ux * size, tip.y() - uy * size)
    side = QPointF(-uy * size * 0.5, ux * size * 0.5)
    return QPolygonF([tip, back + side, back - side])


def _place_tag(route: list[QPointF], size: tuple[float, float], placed: list[QRectF]) -> QRectF:
    """The name's box on the last stretch of the route that runs along a room, moved along
    it past the names already placed."""
    a, b = route[-3], route[-2]  # the stretch along the room above the tip's line
    width, height = size
    centre = QPointF((a.x() + b.x()) / 2, b.y())
    box = QRectF(centre.x() - width / 2, centre.y() - height / 2, width, height)
    for _ in range(len(placed) + 1):
        clash = next((other for other in placed if other.intersects(box)), None)
        if clash is None:
            break
        box.moveLeft(clash.right() + 4)
    return box


def _tag(painter: QPainter, shape: Drawn, colour: QColor, page: QColor, font: QFont) -> None:
    """The relation's name in a small box on the arrow."""
    link = shape.link
    text = f"{link.label}?" if link.tentative else link.label
    fill = QColor(page)
    fill.setAlpha(235)
    painter.setFont(font)
    painter.setPen(QPen(colour, 1))
    painter.setBrush(fill)
    painter.drawRoundedRect(shape.tag, 4, 4)
    if is_dark(page):  # small letters need more contrast than lines do
        painter.setPen(QPen(readable_on(colour, page, TEXT_CONTRAST), 1))
    painter.drawText(shape.tag, Qt.AlignmentFlag.AlignCenter, text)
