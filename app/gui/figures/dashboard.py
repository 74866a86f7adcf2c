"""View > Dashboard (F8): the project at a glance, in figures and pictures.

Headline figures across the top; below them spans per label (in the labels' colours),
agreement per label (F1 of exact and overlap match, every pair of annotators pooled),
documents done over time per annotator, and a table of each annotator's progress. The
figures are those of ``glossa stats`` and ``glossa agree``, computed on a worker thread (a
big project takes seconds) while "Computing…" says so and the window stays usable; a newer
request supersedes one under way. They follow the user's own changes while the dashboard is
open, others' changes once loaded, and Refresh reads what others did meanwhile.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QDialogButtonBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.agreement import LabelScores, Score
from app.core.annotations import Status
from app.core.errors import GlossaError
from app.gui.annotating.annotation_panel import swatch
from app.gui.figures.agreement_figures import EXACT, OVERLAP, agreement_bars
from app.gui.figures.charts import Bar, BarChart, Series, annotator_colours, share
from app.gui.figures.cost_box import CostBox
from app.gui.figures.figure_table import FigureTable
from app.gui.figures.figures_dialog import FiguresDialog, open_figures
from app.gui.figures.step_chart import Line, StepChart
from app.gui.session import Session
from app.gui.widgets.plain_text import plain
from app.services import Workspace
from app.services.agreement import AgreementReport, agreement
from app.services.costs import CostReport, cost_report
from app.services.live import connection_problem
from app.services.progress import AnnotatorProgress, progress_over_time
from app.services.selection import GOLD_ANNOTATOR
from app.services.statistics import Statistics, statistics

OTHER_LABEL = "#9e9e9e"
"""The colour of a label the schema does not know (imported with the documents)."""
ANNOTATOR_HEADERS = ("Annotator", "Annotated", "New", "In progress", "Done", "Spans", "Spans/doc")


def pooled(report: AgreementReport) -> tuple[LabelScores, LabelScores]:
    """Exact and overlap scores per label with the counts of every pair added up.

    F1 stays meaningful when pairs are pooled (it does not depend on which annotator of a
    pair is the reference); precision and recall would not, so only F1 is shown.
    """
    exact: dict[str, Score] = {}
    overlap: dict[str, Score] = {}
    for pair in report.pairs:
        for into, scores in ((exact, pair.exact), (overlap, pair.overlap)):
            for label, score in scores.labels.items():
                into[label] = into.get(label, Score(0, 0, 0)) + score
    return LabelScores(dict(sorted(exact.items()))), LabelScores(dict(sorted(overlap.items())))


def label_bars(stats: Statistics, order: Sequence[str], colours: dict[str, str]) -> list[Bar]:
    """Spans per label: the schema's labels in its order, then any others; empty when none."""
    if not stats.spans:
        return []
    names = [*order, *(label for label in stats.labels if label not in order)]
    bars = []
    for name in names:
        counts = stats.labels.get(name, {})
        total = sum(counts.values())
        who = ", ".join(f"{a} {n:,}" for a, n in counts.items())
        tip = f"{name}: {total:,} span(s)" + (f" ({who})" if who else "")
        bars.append(Bar(name, (float(total),), colours.get(name, OTHER_LABEL), tip))
    return bars


def progress_lines(progress: Sequence[AnnotatorProgress], colours: dict[str, str]) -> list[Line]:
    """A step line per annotator: documents done, in seconds since the epoch."""
    return [
        Line(
            p.annotator,
            colours.get(p.annotator, OTHER_LABEL),
            tuple((point.at.timestamp(), float(point.done)) for point in p.points),
        )
        for p in progress
    ]


@dataclass(frozen=True)
class Figures:
    """Everything the dashboard shows, read in one go (on a worker thread)."""

    stats: Statistics
    progress: tuple[AnnotatorProgress, ...]
    agreement: AgreementReport | str
    """The agreement of everyone but gold, or why there is none."""
    costs: CostReport


def agreement_of_people(workspace: Workspace, stats: Statistics) -> AgreementReport | str:
    """The agreement of every annotator but gold, or why there is none to show."""
    people = [a for a in stats.annotators if a != GOLD_ANNOTATOR]
    if len(people) < 2:
        return "Agreement needs two annotators on one document"
    try:
        return agreement(workspace, people)
    except GlossaError:
        return "Agreement needs two annotators on one document"


def read_figures(workspace: Workspace) -> Figures:
    """Read every figure of the dashboard afresh (slow on a big project)."""
    stats = statistics(workspace)
    progress = progress_over_time(workspace)
    return Figures(stats, progress, agreement_of_people(workspace, stats), cost_report(workspace))


class _Figure(QFrame):
    """One headline figure: a big number over its caption."""

    def __init__(self, caption: str, parent: QWidget) -> None:
        super().__init__(parent)
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.number = QLabel("–", self)
        font = QFont(self.font())
        font.setPointSizeF(font.pointSizeF() * 1.8)
        font.setBold(True)
        self.number.setFont(font)
        self.caption = QLabel(caption, self)
        layout = QVBoxLayout(self)
        layout.addWidget(self.number)
        layout.addWidget(self.caption)

    def show_figure(self, number: str, caption: str | None = None) -> None:
        self.number.setText(number)
        if caption is not None:
            self.caption.setText(caption)


class DashboardDialog(FiguresDialog):
    """Statistics of the project with charts."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        self.setWindowTitle("Dashboard")
        self.stats: Statistics | None = None
        self._pending.timeout.connect(self.refresh)
        self.background.finished.connect(self._show)
        self.background.failed.connect(self._show_failure)
        self.state = plain(QLabel(self))
        self.state.setObjectName("dashboardState")

        self.figures = {
            key: _Figure(caption, self)
            for key, caption in (
                ("documents", "documents"),
                ("done", "done by you"),
                ("spans", "spans"),
                ("relations", "relations"),
                ("annotators", "annotators"),
            )
        }
        self.labels_chart = BarChart("Spans per label", self)
        self.labels_chart.setObjectName("labelsChart")
        self.agreement_chart = BarChart("Agreement per label (F1)", self)
        self.agreement_chart.setObjectName("agreementChart")
        self.progress_chart = StepChart("Documents done over time", self)
        self.progress_chart.setObjectName("progressChart")
        self.annotators = FigureTable(ANNOTATOR_HEADERS, self)
        self.annotators.setObjectName("dashboardAnnotators")
        self.annotators.setFocusPolicy(Qt.FocusPolicy.ClickFocus)
        self.costs = CostBox(self)
        self._lay_out()
        self.resize(1200, 900)
        self.refresh()

    def _lay_out(self) -> None:
        headline = QHBoxLayout()
        for figure in self.figures.values():
            headline.addWidget(figure)
        charts = QGridLayout()
        charts.addWidget(self.labels_chart, 0, 0)
        charts.addWidget(self.agreement_chart, 0, 1)
        charts.addWidget(self.progress_chart, 1, 0)
        charts.addWidget(self._annotator_box(), 1, 1)
        charts.addWidget(self.costs, 2, 0, 1, 2)
        charts.setColumnStretch(0, 1)
        charts.setColumnStretch(1, 1)
        charts.setRowStretch(0, 1)
        charts.setRowStretch(1, 1)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        refresh = QPushButton("&Refresh", self)
        refresh.setObjectName("dashboardRefresh")
        refresh.clicked.connect(self.refresh)
        buttons.addButton(refresh, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.rejected.connect(self.reject)
        self.body = QWidget(self)
        body = QVBoxLayout(self.body)
        body.setContentsMargins(0, 0, 0, 0)
        body.addLayout(headline)
        body.addLayout(charts, 1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.state, 1)
        bottom.addWidget(buttons)
        layout = QVBoxLayout(self)
        layout.addWidget(self.body, 1)
        layout.addLayout(bottom)

    def _annotator_box(self) -> QWidget:
        box = QWidget(self)
        title = QLabel("Progress per annotator", box)
        font = QFont(title.font())
        font.setBold(True)
        title.setFont(font)
        layout = QVBoxLayout(box)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.annotators)
        layout.addStretch(1)
        return box

    def refresh(self) -> None:
        """Read every figure afresh on a worker thread and redraw when they come; the
        figures shown meanwhile are greyed, "Computing…" beside them."""
        self._pending.stop()
        self._interrupted = False
        self.state.setText("Computing…")
        self.body.setEnabled(False)
        if self.stats is None:  # nothing to show yet: the charts say why they are empty
            for chart in (self.labels_chart, self.agreement_chart, self.progress_chart):
                chart.set_empty_text("Computing…")
        self.background.run(partial(read_figures, self.workspace))

    def _show_failure(self, error: BaseException) -> None:
        self.body.setEnabled(True)
        for chart in (self.labels_chart, self.agreement_chart, self.progress_chart):
            chart.set_empty_text("No figures to show")
        self.state.setText(f"Cannot read the figures: {connection_problem(error)}")

    def _show(self, figures: Figures) -> None:
        self.body.setEnabled(True)
        self.state.clear()
        stats, progress, report = figures.stats, figures.progress, figures.agreement
        self.stats = stats
        people = [a for a in stats.annotators if a != GOLD_ANNOTATOR]
        colours = annotator_colours([*people, GOLD_ANNOTATOR])
        self._show_figures(stats)
        self.labels_chart.set_empty_text("No spans yet")
        self.progress_chart.set_empty_text("No document marked done yet")
        labels = {label.name: label.colour for label in self.workspace.schema.labels}
        self.labels_chart.set_data(
            label_bars(stats, list(labels), labels),
            [Series("spans", OTHER_LABEL)],
            axis_title="spans (all annotators)",
        )
        self.progress_chart.set_data(progress_lines(progress, colours), "documents done")
        self._show_agreement(report)
        self._show_annotators(stats, colours)
        self.costs.show_report(figures.costs)

    def _show_figures(self, stats: Statistics) -> None:
        mine = stats.statuses.get(self.workspace.annotator, {}).get(Status.DONE.value, 0)
        self.figures["documents"].show_figure(f"{stats.documents:,}")
        self.figures["done"].show_figure(f"{mine:,} of {stats.documents:,}")
        self.figures["spans"].show_figure(
            f"{stats.spans:,}", f"spans ({stats.spans_per_document:.1f} per document)"
        )
        self.figures["relations"].show_figure(f"{stats.relations:,}")
        self.figures["annotators"].show_figure(f"{len(stats.annotators):,}")

    def _show_agreement(self, report: AgreementReport | str) -> None:
        if isinstance(report, str):
            self.agreement_chart.title = "Agreement per label (F1)"
            self.agreement_chart.set_empty_text(report)
            self.agreement_chart.set_data([], [])
            return
        exact, overlap = pooled(report)
        if len(report.pairs) == 1:
            pair = report.pairs[0]
            title = f"Agreement per label (F1): {pair.reference} vs {pair.candidate}"
        else:
            title = f"Agreement per label (F1, {len(report.pairs)} pairs pooled)"
        self.agreement_chart.title = title
        self.agreement_chart.set_empty_text("No spans to compare")
        self.agreement_chart.set_data(
            agreement_bars(exact, overlap, [label.name for label in self.workspace.schema.labels]),
            [EXACT, OVERLAP],
            maximum=1.0,
            value_text=share,
            axis_title="F1",
        )

    def _show_annotators(self, stats: Statistics, colours: dict[str, str]) -> None:
        rows: list[list[object]] = []
        for name in stats.annotators:
            statuses = stats.statuses[name]
            spans = sum(counts.get(name, 0) for counts in stats.labels.values())
            rows.append(
                [
                    name,
                    f"{stats.annotated.get(name, 0):,}",
                    f"{statuses[Status.NEW.value]:,}",
                    f"{statuses[Status.IN_PROGRESS.value]:,}",
                    f"{statuses[Status.DONE.value]:,}",
                    f"{spans:,}",
                    f"{stats.spans_per_annotated_document(name):.1f}",
                ]
            )
        self.annotators.fill(rows)
        for row, name in enumerate(stats.annotators):
            item = self.annotators.item(row, 0)
            if item is not None:
                item.setIcon(swatch(colours.get(name, OTHER_LABEL)))


def open_dashboard(session: Session) -> DashboardDialog:
    """Show the dashboard (a new one, or the open one brought up to date)."""
    return open_figures(session, DashboardDialog, DashboardDialog.refresh)


def install_dashboard(session: Session) -> None:
    """View > Dashboard (F8)."""
    session.actions.bind("dashboard", lambda: open_dashboard(session))
