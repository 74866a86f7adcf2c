"""Charts drawn with QPainter: what every chart shares, and horizontal bars (one or more
series per row). Step lines over time are in ``app.gui.figures.step_chart``.

Every size comes from the widget's font metrics, so the charts read the same at any font
size and on high-dpi screens; the arithmetic (ticks, scales, bar slots) lives in
``app.core.chart_scales``. Hovering a bar or a point shows its figures as a tooltip. A chart
without data says so in words instead of drawing empty axes.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QEvent, QPointF, QRectF, QSize, Qt
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontMetricsF,
    QHelpEvent,
    QPainter,
    QPaintEvent,
    QPalette,
    QPen,
)
from PySide6.QtWidgets import QSizePolicy, QToolTip, QWidget

from app.core.chart_scales import (
    LinearScale,
    bands,
    fitting,
    nice_ticks,
)
from app.gui.widgets.plain_text import literal

# Okabe and Ito's palette: told apart by colour-blind readers too
ANNOTATOR_PALETTE = (
    "#0072b2",
    "#e69f00",
    "#009e73",
    "#cc79a7",
    "#56b4e9",
    "#d55e00",
    "#000000",
    "#f0e442",
)
NO_DATA = "No data yet"


def annotator_colours(names: Sequence[str]) -> dict[str, str]:
    """A distinct colour for each annotator, in the order given."""
    return {name: ANNOTATOR_PALETTE[i % len(ANNOTATOR_PALETTE)] for i, name in enumerate(names)}


def whole(value: float) -> str:
    """A count as written in a chart."""
    return f"{value:,.0f}"


def share(value: float) -> str:
    """A ratio between 0 and 1 as written in a chart."""
    return f"{value:.2f}"


def tick(value: float) -> str:
    """An axis tick: as short as the number allows (``0.2``, ``1``, ``1,500``)."""
    return whole(value) if value == int(value) else f"{value:g}"


@dataclass(frozen=True)
class Series:
    """One kind of bar or line, named in the legend."""

    name: str
    colour: str


@dataclass(frozen=True)
class Bar:
    """One row of a bar chart: a value per series; ``colour`` overrides the series colour."""

    label: str
    values: tuple[float, ...]
    colour: str | None = None
    tooltip: str = ""


class Chart(QWidget):
    """What every chart shares: a title, the "no data" text, tooltips from hit areas."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.title = title
        self.empty_text = NO_DATA
        self.hits: list[tuple[QRectF, str]] = []
        """Areas of the last painting and the tooltip of each."""
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Expanding)
        self.setMouseTracking(True)

    # -- to be given by each chart ---------------------------------------------------------

    def has_data(self) -> bool:
        """Whether there is anything to draw."""
        raise NotImplementedError

    def paint_plot(self, painter: QPainter, area: QRectF) -> None:
        """Draw the chart (legend, axes, marks) inside ``area``."""
        raise NotImplementedError

    # -- shared ----------------------------------------------------------------------------

    def line_height(self) -> float:
        """The height of one line of text: the unit of every size."""
        return QFontMetricsF(self.font()).height()

    def set_empty_text(self, text: str) -> None:
        """What the chart says when it has no data."""
        self.empty_text = text
        self.update()

    def text_colour(self, role: QPalette.ColorRole = QPalette.ColorRole.WindowText) -> QColor:
        """A colour of the widget's palette."""
        return self.palette().color(role)

    def paintEvent(self, event: QPaintEvent) -> None:
        self.hits = []
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        painter.fillRect(self.rect(), self.text_colour(QPalette.ColorRole.Base))
        line = self.line_height()
        area = QRectF(self.rect()).adjusted(line * 0.6, line * 0.4, -line * 0.6, -line * 0.4)
        title_font = QFont(self.font())
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(self.text_colour())
        title = QRectF(area.left(), area.top(), area.width(), line)
        painter.drawText(
            title, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.title
        )
        painter.setFont(self.font())
        area.setTop(title.bottom() + line * 0.4)
        if self.has_data():
            self.paint_plot(painter, area)
        else:
            painter.setPen(self.text_colour(QPalette.ColorRole.PlaceholderText))
            painter.drawText(area, Qt.AlignmentFlag.AlignCenter, self.empty_text)
        painter.end()

    def event(self, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
            point = QPointF(event.pos())
            text = next((tip for rect, tip in reversed(self.hits) if rect.contains(point)), "")
            if text:
                QToolTip.showText(event.globalPos(), literal(text), self)
            else:
                QToolTip.hideText()
                event.ignore()
            return True
        return super().event(event)

    def paint_legend(self, painter: QPainter, area: QRectF, series: Sequence[Series]) -> float:
        """Swatches and names in rows across the top of ``area``; returns the height used."""
        metrics = QFontMetricsF(self.font())
        line = metrics.height()
        size = line * 0.7
        x, y = area.left(), area.top()
        painter.setPen(self.text_colour())
        for item in series:
            width = size + line * 0.3 + metrics.horizontalAdvance(item.name)
            if x > area.left() and x + width > area.right():
                x, y = area.left(), y + line
            swatch = QRectF(x, y + (line - size) / 2, size, size)
            painter.fillRect(swatch, QColor(item.colour))
            text = QRectF(swatch.right() + line * 0.3, y, width, line)
            painter.drawText(
                text, Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, item.name
            )
            x += width + line
        return y + line - area.top()

    def paint_tick_labels(
        self, painter: QPainter, labels: Sequence[tuple[float, str]], top: float, span: QRectF
    ) -> None:
        """Each ``(x, text)`` centred under ``x`` at ``top``, kept within ``span``'s width.

        A label that would touch the one before it is left out, so labels never overlap.
        """
        metrics = QFontMetricsF(self.font())
        gap = metrics.height() * 0.5
        painter.setPen(self.text_colour())
        previous = -float("inf")
        for x, text in labels:
            width = metrics.horizontalAdvance(text) + 2
            left = min(max(x - width / 2, span.left()), span.right() - width)
            if left < previous + gap:
                continue
            box = QRectF(left, top, width, metrics.height())
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, text)
            previous = box.right()

    def grid_pen(self) -> QPen:
        """Faint lines behind the marks."""
        colour = QColor(self.text_colour())
        colour.setAlphaF(0.15)
        return QPen(colour, 1)

    def axis_pen(self) -> QPen:
        """The axis lines."""
        colour = QColor(self.text_colour())
        colour.setAlphaF(0.6)
        return QPen(colour, 1)


class BarChart(Chart):
    """Horizontal bars, a row per category and a bar per series in each row."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.bars: tuple[Bar, ...] = ()
        self.series: tuple[Series, ...] = ()
        self.maximum: float | None = None
        self.value_text: Callable[[float], str] = whole
        self.axis_title = ""

    def set_data(
        self,
        bars: Sequence[Bar],
        series: Sequence[Series],
        *,
        maximum: float | None = None,
        value_text: Callable[[float], str] = whole,
        axis_title: str = "",
    ) -> None:
        """Show ``bars``; ``maximum`` fixes the end of the value axis (1.0 for ratios)."""
        self.bars = tuple(bars)
        self.series = tuple(series)
        self.maximum = maximum
        self.value_text = value_text
        self.axis_title = axis_title
        self.updateGeometry()
        self.update()

    def has_data(self) -> bool:
        return bool(self.bars) and bool(self.series)

    def _row_height(self) -> float:
        # rows keep a third of their height as gap: each series' value text still gets a line
        return self.line_height() * (1.25 * max(1, len(self.series)) + 0.3)

    def _header_height(self) -> float:
        return self.line_height() * (2.2 if len(self.series) > 1 else 1.4)

    def sizeHint(self) -> QSize:
        line = self.line_height()
        rows = max(len(self.bars), 3)
        height = self._header_height() + rows * self._row_height() + line * 3.2
        return QSize(int(line * 24), int(height))

    def minimumSizeHint(self) -> QSize:
        return QSize(int(self.line_height() * 16), self.sizeHint().height())

    def _ticks(self, length: float) -> tuple[float, ...]:
        highest = max((v for bar in self.bars for v in bar.values), default=0.0)
        top = self.maximum if self.maximum is not None else max(highest, 1.0)
        metrics = QFontMetricsF(self.font())
        widest = max(metrics.horizontalAdvance(self.value_text(top)), metrics.height())
        most = fitting(length, widest + metrics.height() * 1.5)
        return nice_ticks(0, top, most, whole=self.maximum is None)

    def paint_plot(self, painter: QPainter, area: QRectF) -> None:
        metrics = QFontMetricsF(self.font())
        line = metrics.height()
        if len(self.series) > 1:
            area.setTop(area.top() + self.paint_legend(painter, area, self.series) + line * 0.4)
        label_width = min(
            max(metrics.horizontalAdvance(bar.label) for bar in self.bars), area.width() * 0.35
        )
        values = [self.value_text(v) for bar in self.bars for v in bar.values]
        value_width = max(metrics.horizontalAdvance(v) for v in values) + line * 0.4
        bottom = line * (2.2 if self.axis_title else 1.2)
        plot = QRectF(
            area.left() + label_width + line * 0.5,
            area.top(),
            max(area.width() - label_width - value_width - line * 0.5, line),
            # bars no thicker than about two lines of text: spare room stays below the axis
            max(min(area.height() - bottom, len(self.bars) * self._row_height() * 1.6), line),
        )
        ticks = self._ticks(plot.width())
        scale = LinearScale(0, ticks[-1], plot.left(), plot.right())
        self._paint_value_axis(painter, plot, ticks, scale)
        dark = self.text_colour()
        for (top, height), bar in zip(
            bands(len(self.bars), plot.top(), plot.bottom(), 0.3), self.bars, strict=True
        ):
            row = QRectF(area.left(), top, label_width, height)
            painter.setPen(dark)
            label = metrics.elidedText(bar.label, Qt.TextElideMode.ElideRight, label_width)
            painter.drawText(
                row, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, label
            )
            slots = bands(len(self.series), top, top + height, 0.12)
            for (y, thick), value, series in zip(slots, bar.values, self.series, strict=False):
                end = min(max(scale(value), plot.left()), plot.right())
                rect = QRectF(plot.left(), y, end - plot.left(), thick)
                painter.fillRect(rect, QColor(bar.colour or series.colour))
                text = QRectF(rect.right() + line * 0.25, y, value_width, thick)
                painter.setPen(dark)
                painter.drawText(
                    text,
                    Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                    self.value_text(value),
                )
                tip = bar.tooltip or f"{bar.label}: {self.value_text(value)}"
                if len(self.series) > 1:
                    tip = f"{bar.label}, {series.name}: {self.value_text(value)}"
                self.hits.append((QRectF(row.left(), y, text.right() - row.left(), thick), tip))
        painter.setPen(self.axis_pen())
        painter.drawLine(QPointF(plot.left(), plot.top()), QPointF(plot.left(), plot.bottom()))

    def _paint_value_axis(
        self, painter: QPainter, plot: QRectF, ticks: tuple[float, ...], scale: LinearScale
    ) -> None:
        metrics = QFontMetricsF(self.font())
        line = metrics.height()
        painter.setPen(self.grid_pen())
        for value in ticks:
            painter.drawLine(
                QPointF(scale(value), plot.top()), QPointF(scale(value), plot.bottom())
            )
        span = QRectF(plot.left() - line, plot.top(), plot.width() + 2 * line, plot.height())
        labels = [(scale(value), tick(value)) for value in ticks]
        self.paint_tick_labels(painter, labels, plot.bottom() + line * 0.15, span)
        if self.axis_title:
            painter.setPen(self.text_colour(QPalette.ColorRole.PlaceholderText))
            box = QRectF(plot.left(), plot.bottom() + line * 1.15, plot.width(), line)
            painter.drawText(box, Qt.AlignmentFlag.AlignCenter, self.axis_title)
