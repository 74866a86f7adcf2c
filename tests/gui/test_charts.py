"""Charts rendered offscreen into images: bars in their colours where the data puts them,
step lines rising where documents were done, words instead of a crash without data."""

from __future__ import annotations

from PySide6.QtCore import QEvent, QPointF
from PySide6.QtGui import QColor, QHelpEvent, QImage
from PySide6.QtWidgets import QApplication, QToolTip
from pytestqt.qtbot import QtBot

from app.gui.figures.charts import (
    ANNOTATOR_PALETTE,
    NO_DATA,
    Bar,
    BarChart,
    Series,
    annotator_colours,
    share,
)
from app.gui.figures.step_chart import Line, StepChart

PERSON, ORG, LOC = "#e6194b", "#4363d8", "#3cb44b"
HOUR = 3600.0
START = 1_790_000_000.0  # 2026-09-21


def rendered(chart: BarChart | StepChart, qtbot: QtBot, size: tuple[int, int]) -> QImage:
    qtbot.addWidget(chart)
    chart.resize(*size)
    return chart.grab().toImage()


def runs(image: QImage, colour: str) -> dict[int, tuple[int, int]]:
    """For each image row holding ``colour``: the first and last column of it."""
    wanted = QColor(colour).rgb()
    found: dict[int, tuple[int, int]] = {}
    for y in range(image.height()):
        xs = [x for x in range(image.width()) if image.pixel(x, y) == wanted]
        if xs:
            found[y] = (xs[0], xs[-1])
    return found


def ink(image: QImage) -> int:
    """Pixels that differ from the background (the top left corner)."""
    background = image.pixel(0, 0)
    return sum(
        image.pixel(x, y) != background for y in range(image.height()) for x in range(image.width())
    )


def label_chart(qtbot: QtBot) -> tuple[BarChart, QImage]:
    chart = BarChart("Spans per label")
    chart.set_data(
        [Bar("PERSON", (12,), PERSON), Bar("ORG", (3,), ORG), Bar("LOC", (6,), LOC)],
        [Series("spans", "#888888")],
    )
    return chart, rendered(chart, qtbot, (600, 320))


def test_each_bar_is_drawn_in_its_labels_colour_in_data_order(qtbot: QtBot) -> None:
    _, image = label_chart(qtbot)
    rows = {colour: runs(image, colour) for colour in (PERSON, ORG, LOC)}

    assert all(rows.values())
    tops = [min(rows[colour]) for colour in (PERSON, ORG, LOC)]
    assert tops == sorted(tops)  # first bar on top
    # the bars stand on one baseline
    starts = {rows[colour][min(rows[colour])][0] for colour in (PERSON, ORG, LOC)}
    assert max(starts) - min(starts) <= 1


def test_bar_lengths_follow_the_values(qtbot: QtBot) -> None:
    _, image = label_chart(qtbot)
    width = {
        colour: max(last - first for first, last in runs(image, colour).values())
        for colour in (PERSON, ORG, LOC)
    }

    assert width[PERSON] > width[LOC] > width[ORG]  # the most frequent label is longest
    assert abs(width[LOC] / width[PERSON] - 6 / 12) < 0.03
    assert abs(width[ORG] / width[PERSON] - 3 / 12) < 0.03


def test_bars_and_their_tooltips_stay_inside_the_chart(qtbot: QtBot) -> None:
    chart, image = label_chart(qtbot)
    for colour in (PERSON, ORG, LOC):
        for y, (first, last) in runs(image, colour).items():
            assert 0 < first <= last < image.width() - 1
            assert 0 < y < image.height() - 1
    tips = [tip for _, tip in chart.hits]
    assert tips == ["PERSON: 12", "ORG: 3", "LOC: 6"]
    person_rows = runs(image, PERSON)
    hit = chart.hits[0][0]
    assert hit.top() <= min(person_rows) and max(person_rows) <= hit.bottom()


def test_two_series_show_two_bars_per_row_and_a_legend(qtbot: QtBot) -> None:
    exact, overlap = "#0072b2", "#e69f00"
    chart = BarChart("F1 per label")
    chart.set_data(
        [Bar("PERSON", (0.5, 1.0)), Bar("ORG", (0.25, 0.5))],
        [Series("exact match", exact), Series("overlap match", overlap)],
        maximum=1.0,
        value_text=share,
    )
    image = rendered(chart, qtbot, (600, 320))
    exact_rows, overlap_rows = runs(image, exact), runs(image, overlap)

    def longest(rows: dict[int, tuple[int, int]], below: int) -> int:
        return max(last - first for y, (first, last) in rows.items() if y > below)

    legend = min(exact_rows)  # the legend swatch is the first thing drawn in the colour
    overlap_full = longest(overlap_rows, legend + 10)
    exact_half = longest(exact_rows, legend + 10)
    assert abs(exact_half / overlap_full - 0.5) < 0.03  # 0.5 against 1.0, on a 0..1 axis
    assert [tip for _, tip in chart.hits][:2] == [
        "PERSON, exact match: 0.50",
        "PERSON, overlap match: 1.00",
    ]


def test_step_chart_rises_at_each_point_in_the_annotators_colour(qtbot: QtBot) -> None:
    alice, bob = annotator_colours(["alice", "bob"]).values()
    chart = StepChart("Documents done over time")
    chart.set_data(
        [
            Line("alice", alice, ((START, 1), (START + HOUR, 2), (START + 2 * HOUR, 3))),
            Line("bob", bob, ((START + HOUR, 1),)),
        ],
        "documents done",
    )
    image = rendered(chart, qtbot, (640, 360))

    assert runs(image, alice) and runs(image, bob)
    alice_points = [rect.center() for rect, tip in chart.hits if tip.startswith("alice")]
    assert len(alice_points) == 3
    xs = [p.x() for p in alice_points]
    ys = [p.y() for p in alice_points]
    assert xs == sorted(xs) and ys == sorted(ys, reverse=True)  # later and higher
    assert abs((xs[1] - xs[0]) - (xs[2] - xs[1])) < 1  # an hour apart each
    # the step from 1 to 2 is drawn in alice's colour, halfway between the two points
    x = round(xs[1])
    middle = QPointF(x, (ys[0] + ys[1]) / 2)
    column = [QColor(image.pixel(x + dx, round(middle.y()))).name() for dx in (-1, 0, 1)]
    assert alice in column
    assert "alice: 3 at" in [tip for _, tip in chart.hits][2]


def test_without_data_the_charts_say_so(qtbot: QtBot) -> None:
    bars = BarChart("Spans per label")
    bars.set_data([], [])
    steps = StepChart("Documents done over time")
    steps.set_data([Line("alice", "#0072b2", ())])
    for chart in (bars, steps):
        image = rendered(chart, qtbot, (300, 200))
        assert not chart.has_data()
        assert chart.empty_text == NO_DATA
        assert chart.hits == []
        chart.set_empty_text("")
        blank = chart.grab().toImage()
        assert ink(image) > ink(blank)  # the words were written
    steps.set_empty_text("No document marked done yet")
    assert steps.empty_text == "No document marked done yet"


def test_a_single_moment_still_gets_a_time_axis(qtbot: QtBot) -> None:
    chart = StepChart("Documents done over time")
    chart.set_data([Line("alice", "#0072b2", ((START, 1),))])
    start, end = chart.time_range()
    assert start < START < end
    image = rendered(chart, qtbot, (400, 260))
    assert runs(image, "#0072b2")


def test_annotator_colours_are_distinct() -> None:
    colours = annotator_colours([f"a{i}" for i in range(len(ANNOTATOR_PALETTE))])
    assert len(set(colours.values())) == len(ANNOTATOR_PALETTE)


def test_hovering_a_bar_shows_its_tooltip(qtbot: QtBot) -> None:
    chart, _ = label_chart(qtbot)
    chart.show()
    qtbot.waitExposed(chart)
    chart.grab()  # paints, so the hit areas are known
    centre = chart.hits[1][0].center().toPoint()

    event = QHelpEvent(QEvent.Type.ToolTip, centre, chart.mapToGlobal(centre))
    QApplication.sendEvent(chart, event)

    assert QToolTip.text() == "ORG: 3"
    QToolTip.hideText()


def test_high_dpi_rendering_doubles_every_length(qtbot: QtBot) -> None:
    chart, image = label_chart(qtbot)
    sharp = QImage(chart.size() * 2, QImage.Format.Format_ARGB32)
    sharp.setDevicePixelRatio(2)
    chart.render(sharp)

    for colour in (PERSON, ORG, LOC):
        single = max(last - first for first, last in runs(image, colour).values())
        double = max(last - first for first, last in runs(sharp, colour).values())
        assert abs(double - 2 * single) <= 3
