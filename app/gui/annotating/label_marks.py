"""How labels are told apart besides their colour, and kept readable on a dark page.

Each label of the schema gets its own underline style, in schema order (solid, wave, dashed,
dotted, dash-dot, dash-dot-dot; after six, the same styles again with an overline), so that a
reader who cannot tell the colours apart, or a print in grey, still tells the labels apart.

Colours chosen for a white page can vanish on a dark one: ``readable_on`` lightens (or
darkens) a colour until it stands out from the page by a set contrast ratio (WCAG's
definition), and tints are laid more lightly on a dark page so that the text stays readable.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QIcon, QPainter, QPainterPath, QPen, QPixmap, QTextCharFormat

_Style = QTextCharFormat.UnderlineStyle
UNDERLINES = (
    _Style.SingleUnderline,
    _Style.WaveUnderline,
    _Style.DashUnderline,
    _Style.DotLine,
    _Style.DashDotLine,
    _Style.DashDotDotLine,
)
UNDERLINE_NAMES = {
    _Style.SingleUnderline: "solid",
    _Style.WaveUnderline: "wavy",
    _Style.DashUnderline: "dashed",
    _Style.DotLine: "dotted",
    _Style.DashDotLine: "dash-dot",
    _Style.DashDotDotLine: "dash-dot-dot",
}
MARK_CONTRAST = 3.0
"""Least contrast of an underline, frame or arrow with the page (WCAG's figure for graphics)."""
TEXT_CONTRAST = 4.5
"""Least contrast of text with the tint behind it (WCAG's AA figure for body text)."""
LEGEND_INK = "#8a8a8a"
"""The underline drawn in the label list: a grey that reads on light and dark pages alike."""
LIGHT_TINT = 90 / 255
DARK_TINT = 60 / 255


class Marker(NamedTuple):
    """What marks a label's spans besides colour."""

    underline: QTextCharFormat.UnderlineStyle
    overline: bool = False

    def describe(self) -> str:
        """In words, for the label list and tooltips: ``dashed underline``."""
        words = f"{UNDERLINE_NAMES[self.underline]} underline"
        return f"{words} and overline" if self.overline else words


PLAIN = Marker(_Style.SingleUnderline)
"""The marker of a label the schema does not know."""


def label_markers(labels: Iterable[str]) -> dict[str, Marker]:
    """A marker for each label, in schema order; distinct for up to twelve labels."""
    count = len(UNDERLINES)
    return {
        label: Marker(UNDERLINES[i % count], (i // count) % 2 == 1)
        for i, label in enumerate(labels)
    }


_PEN_STYLES = {
    _Style.SingleUnderline: Qt.PenStyle.SolidLine,
    _Style.DashUnderline: Qt.PenStyle.DashLine,
    _Style.DotLine: Qt.PenStyle.DotLine,
    _Style.DashDotLine: Qt.PenStyle.DashDotLine,
    _Style.DashDotDotLine: Qt.PenStyle.DashDotDotLine,
}


def marker_swatch(colour: str, marker: Marker, ink: QColor, size: int = 16) -> QIcon:
    """A legend entry: a square of the label's colour over a line in its underline style
    (drawn in ``ink``, the text colour), so that the list of labels is a key to both."""
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.fillRect(0, 0, size, size - 6, QColor(colour))
    pen = QPen(ink, 1.4)
    pen.setStyle(_PEN_STYLES.get(marker.underline, Qt.PenStyle.SolidLine))
    painter.setPen(pen)
    y = size - 2.5
    if marker.underline == _Style.WaveUnderline:
        path = QPainterPath(QPointF(0, y))
        for step in range(1, 5):
            path.lineTo(QPointF(step * size / 4, y + (-1.5 if step % 2 else 1.5)))
        painter.drawPath(path)
    else:
        painter.drawLine(QPointF(0, y), QPointF(size, y))
    if marker.overline:
        painter.drawLine(QPointF(0, size - 5.5), QPointF(size, size - 5.5))
    painter.end()
    return QIcon(pixmap)


def luminance(colour: QColor) -> float:
    """Relative luminance (WCAG 2) of an opaque colour."""

    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.04045 else ((value + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(colour.redF())
        + 0.7152 * channel(colour.greenF())
        + 0.0722 * channel(colour.blueF())
    )


def contrast(first: QColor, second: QColor) -> float:
    """Contrast ratio of two colours, from 1 (the same) to 21 (black on white)."""
    a, b = luminance(first), luminance(second)
    return (max(a, b) + 0.05) / (min(a, b) + 0.05)


def is_dark(page: QColor) -> bool:
    """True for a page darker than mid grey: text on it is light."""
    return luminance(page) < 0.18


def readable_on(colour: QColor, page: QColor, ratio: float = MARK_CONTRAST) -> QColor:
    """``colour`` mixed step by step with white (on a dark page) or black (on a light one)
    until it has ``ratio`` contrast with ``page``; as it is when it already has."""
    found = QColor(colour)
    found.setAlpha(255)
    target = 1.0 if is_dark(page) else 0.0
    for _ in range(40):
        if contrast(found, page) >= ratio:
            break
        found = QColor.fromRgbF(
            found.redF() + (target - found.redF()) * 0.1,
            found.greenF() + (target - found.greenF()) * 0.1,
            found.blueF() + (target - found.blueF()) * 0.1,
        )
    return found


def mark_colour(colour: QColor, page: QColor) -> QColor:
    """The colour an underline, frame or arrow is drawn in on ``page``: the schema's own on a
    light page (it was chosen for one), made readable on a dark one."""
    return readable_on(colour, page) if is_dark(page) else QColor(colour)


def tint_strength(page: QColor) -> float:
    """How strongly one span's colour is laid over ``page``: lighter on a dark page, where a
    full tint would bring the background up towards the light text."""
    return DARK_TINT if is_dark(page) else LIGHT_TINT


def frame_colour(colour: QColor, page: QColor) -> QColor:
    """The frame round a selected span: a shade of its label's colour that stands out."""
    if is_dark(page):
        return readable_on(colour.lighter(130), page)
    return colour.darker(130)
