"""A step chart: counts over time, one line per series, drawn with QPainter.

Lines change only where a point is (a document done, say) and run flat in between; lines
with equal counts sit a line's width apart instead of hiding each other. Time runs in UTC.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetricsF, QPainter, QPainterPath, QPalette, QPen
from PySide6.QtWidgets import QWidget

from app.core.chart_scales import LinearScale, fitting, nice_ticks, time_format, time_ticks
from app.gui.figures.charts import Chart, Series, whole

LINE_WIDTH = 2.0
"""Of a step line, in device-independent pixels."""


@dataclass(frozen=True)
class Line:
    """One series of a step chart: ``(seconds since the epoch, value)`` where it changes."""

    name: str
    colour: str
    points: tuple[tuple[float, float], ...]


class StepChart(Chart):
    """Counts over time, one step line per series (they only change where a point is)."""

    def __init__(self, title: str, parent: QWidget | None = None) -> None:
        super().__init__(title, parent)
        self.lines: tuple[Line, ...] = ()
        self.value_title = ""
        self.time_title = "time (UTC)"

    def set_data(self, lines: Sequence[Line], value_title: str = "") -> None:
        """Show ``lines``; ``value_title`` names the vertical axis."""
        self.lines = tuple(line for line in lines if line.points)
        self.value_title = value_title
        self.update()

    def has_data(self) -> bool:
        return bool(self.lines)

    def sizeHint(self) -> QSize:
        line = self.line_height()
        return QSize(int(line * 36), int(line * 16))

    def minimumSizeHint(self) -> QSize:
        line = self.line_height()
        return QSize(int(line * 18), int(line * 12))

    def time_range(self) -> tuple[float, float]:
        """The first and last moment the time axis shows, a margin around the points."""
        times = [t for series in self.lines for t, _ in series.points]
        first, last = min(times), max(times)
        margin = max((last - first) * 0.05, 60.0)
        return first - margin, last + margin

    def paint_plot(self, painter: QPainter, area: QRectF) -> None:
        metrics = QFontMetricsF(self.font())
        line = metrics.height()
        legend = [Series(f"{s.name} ({whole(s.points[-1][1])})", s.colour) for s in self.lines]
        area.setTop(area.top() + self.paint_legend(painter, area, legend) + line * 0.4)
        highest = max(value for series in self.lines for _, value in series.points)
        start, end = self.time_range()
        value_ticks = nice_ticks(
            0, max(highest, 1.0), fitting(area.height() - line * 3, line * 1.6), whole=True
        )
        tick_width = max(metrics.horizontalAdvance(whole(t)) for t in value_ticks)
        plot = QRectF(
            area.left() + tick_width + line * 0.5,
            area.top() + line * 1.7,
            max(area.width() - tick_width - line * 1.2, line),
            max(area.height() - line * 4.1, line),
        )
        y = LinearScale(0, value_ticks[-1], plot.bottom(), plot.top())
        x = LinearScale(start, end, plot.left(), plot.right())
        painter.setPen(self.text_colour(QPalette.ColorRole.PlaceholderText))
        painter.drawText(
            QRectF(area.left(), area.top(), area.width(), line),
            Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
            self.value_title,
        )
        for value in value_ticks:
            painter.setPen(self.grid_pen())
            painter.drawLine(QPointF(plot.left(), y(value)), QPointF(plot.right(), y(value)))
            painter.setPen(self.text_colour())
            box = QRectF(area.left(), y(value) - line / 2, tick_width, line)
            painter.drawText(
                box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, whole(value)
            )
        self._paint_time_axis(painter, plot, x, start, end)
        for i, series in enumerate(self.lines):
            # lines that run together (same count) sit side by side instead of hiding
            lift = (i - (len(self.lines) - 1) / 2) * LINE_WIDTH
            shifted = LinearScale(y.low, y.high, y.start - lift, y.end - lift)
            self._paint_line(painter, series, x, shifted, end)
        painter.setPen(self.axis_pen())
        painter.drawLine(plot.bottomLeft(), plot.bottomRight())
        painter.drawLine(plot.bottomLeft(), plot.topLeft())

    def _paint_time_axis(
        self, painter: QPainter, plot: QRectF, x: LinearScale, start: float, end: float
    ) -> None:
        metrics = QFontMetricsF(self.font())
        line = metrics.height()
        sample = datetime(2026, 12, 28, 23, 59, tzinfo=UTC)
        widest = max(
            metrics.horizontalAdvance(sample.strftime(time_format(step, end - start)))
            for step in (60.0, 86400.0)
        )
        ticks, step = time_ticks(start, end, fitting(plot.width(), widest * 1.2 + line * 2))
        pattern = time_format(step, end - start)
        painter.setPen(self.grid_pen())
        for moment in ticks:
            painter.drawLine(QPointF(x(moment), plot.top()), QPointF(x(moment), plot.bottom()))
        labels = [(x(m), datetime.fromtimestamp(m, UTC).strftime(pattern)) for m in ticks]
        span = QRectF(plot.left(), plot.top(), self.width() - plot.left() - line * 0.3, 1)
        self.paint_tick_labels(painter, labels, plot.bottom() + line * 0.15, span)
        painter.setPen(self.text_colour(QPalette.ColorRole.PlaceholderText))
        box = QRectF(plot.left(), plot.bottom() + line * 1.2, plot.width(), line)
        painter.drawText(
            box, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter, self.time_title
        )

    def _paint_line(
        self, painter: QPainter, series: Line, x: LinearScale, y: LinearScale, end: float
    ) -> None:
        colour = QColor(series.colour)
        path = QPainterPath(QPointF(x.start, y(0)))
        for at, value in series.points:
            path.lineTo(QPointF(x(at), path.currentPosition().y()))
            path.lineTo(QPointF(x(at), y(value)))
        path.lineTo(QPointF(x(end), path.currentPosition().y()))
        painter.setPen(QPen(colour, LINE_WIDTH))
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.drawPath(path)
        painter.setBrush(colour)
        painter.setPen(Qt.PenStyle.NoPen)
        radius = self.line_height() * 0.2
        # dots only while they stand apart; crowded, they would blot out the line
        dots = len(series.points) * radius * 4 <= abs(x.end - x.start)
        for at, value in series.points:
            centre = QPointF(x(at), y(value))
            if dots:
                painter.drawEllipse(centre, radius, radius)
            when = datetime.fromtimestamp(at, UTC).strftime("%d %b %Y %H:%M UTC")
            hit = QRectF(centre.x() - radius * 2, centre.y() - radius * 2, radius * 4, radius * 4)
            self.hits.append((hit, f"{series.name}: {whole(value)} at {when}"))
