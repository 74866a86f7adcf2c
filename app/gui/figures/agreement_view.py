"""View > Agreement (F7): how far annotators agree, per label, with the figures of ``glossa
agree``: span precision, recall and F1 (exact and overlap match), relation F1, Cohen's kappa
for a pair and Krippendorff's alpha over everyone chosen.

Pick the annotators and labels on the left; the figures follow. They are computed on a
worker thread (a big project takes seconds), "Computing…" standing in for them meanwhile;
a choice changed during a computation supersedes it. With more than two annotators a table
compares every pair and the pair picker chooses the one shown in detail. Ctrl+C copies a
table as tab-separated text. The chart shows F1 per label of that pair. The figures follow
the user's changes while the dialog is shown, and others' changes once they are loaded
(View > Refresh, or the quiet look every few seconds).
"""

from __future__ import annotations

import html
from collections.abc import Sequence
from functools import partial

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialogButtonBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import GlossaError
from app.gui.annotating.annotation_panel import swatch
from app.gui.figures.agreement_figures import (
    EXACT,
    OVERLAP,
    PAIR_HEADERS,
    RELATION_HEADERS,
    SPAN_HEADERS,
    agreement_bars,
    pair_rows,
    relation_rows,
    span_rows,
)
from app.gui.figures.charts import BarChart, share
from app.gui.figures.figure_table import FigureTable, ratio
from app.gui.figures.figures_dialog import FiguresDialog, open_figures
from app.gui.session import Session
from app.services import Workspace
from app.services.agreement import AgreementReport, PairAgreement, agreement
from app.services.live import connection_problem
from app.services.progress import annotators_with_work
from app.services.selection import GOLD_ANNOTATOR


def _checkable(text: str, checked: bool, colour: str | None = None) -> QListWidgetItem:
    item = QListWidgetItem(swatch(colour), text) if colour else QListWidgetItem(text)
    item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
    item.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
    return item


def _buddy(text: str, widget: QWidget, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setBuddy(widget)
    return label


def _refill(
    view: QListWidget, entries: Sequence[tuple[str, str | None]], unticked: str = ""
) -> None:
    """Show ``(name, colour)`` entries, ticked as before; new ones ticked but ``unticked``."""
    before = {view.item(i).text(): view.item(i).checkState() for i in range(view.count())}
    view.blockSignals(True)
    view.clear()
    for name, colour in entries:
        state = before.get(name)
        checked = name != unticked if state is None else state == Qt.CheckState.Checked
        view.addItem(_checkable(name, checked, colour))
    view.blockSignals(False)


def _checked(view: QListWidget) -> list[str]:
    return [
        view.item(i).text()
        for i in range(view.count())
        if view.item(i).checkState() == Qt.CheckState.Checked
    ]


class AgreementDialog(FiguresDialog):
    """Agreement between the chosen annotators over the documents they share."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(workspace, parent)
        self.setWindowTitle("Agreement between annotators")
        self.report: AgreementReport | None = None
        self._pending.timeout.connect(self._catch_up)
        self._stale_annotators = False
        self.background.finished.connect(self._show_report)
        self.background.failed.connect(self._show_failure)

        self.annotator_list = QListWidget(self)
        self.annotator_list.setObjectName("agreementAnnotators")
        self.label_list = QListWidget(self)
        self.label_list.setObjectName("agreementLabels")
        self.pair_box = QComboBox(self)
        self.pair_box.setObjectName("agreementPair")
        self.pair_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToContents)
        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.TextFormat.RichText)  # data in it is escaped
        self.summary.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.kappa = QLabel(self)
        self.kappa.setWordWrap(True)
        self.pairs = FigureTable(PAIR_HEADERS, self)
        self.pairs.setObjectName("agreementPairs")
        self.spans = FigureTable(SPAN_HEADERS, self)
        self.spans.setObjectName("agreementSpans")
        self.relations = FigureTable(RELATION_HEADERS, self)
        self.relations.setObjectName("agreementRelations")
        self.chart = BarChart("F1 per label", self)
        self.chart.setObjectName("agreementChart")

        self._lay_out()
        self.annotator_list.itemChanged.connect(self.schedule)
        self.label_list.itemChanged.connect(self.schedule)
        self.pair_box.currentIndexChanged.connect(self._show_pair)
        self.resize(1040, 860)
        self.reload_annotators()
        self.recompute()

    def _lay_out(self) -> None:
        choices = QWidget(self)
        left = QVBoxLayout(choices)
        left.setContentsMargins(0, 0, 0, 0)
        left.addWidget(_buddy("&Annotators", self.annotator_list, self))
        left.addWidget(self.annotator_list, 1)
        left.addWidget(_buddy("&Labels", self.label_list, self))
        left.addWidget(self.label_list, 2)
        refresh = QPushButton("&Refresh", self)
        refresh.clicked.connect(self.reload)
        left.addWidget(refresh)

        figures = QWidget(self)
        self.figures = QWidget(figures)
        right = QVBoxLayout(figures)
        right.setContentsMargins(0, 0, 0, 0)
        right.addWidget(self.summary)
        right.addWidget(self.figures, 1)
        shown = QVBoxLayout(self.figures)
        shown.setContentsMargins(0, 0, 0, 0)
        shown.addWidget(self.pairs)
        self.pair_row = QWidget(self)
        pair_row = QHBoxLayout(self.pair_row)
        pair_row.setContentsMargins(0, 0, 0, 0)
        pair_row.addWidget(_buddy("&Pair:", self.pair_box, self))
        pair_row.addWidget(self.pair_box)
        pair_row.addStretch(1)
        shown.addWidget(self.pair_row)
        shown.addWidget(self.kappa)
        shown.addWidget(self.spans)
        shown.addWidget(self.relations)
        shown.addWidget(self.chart, 1)

        splitter = QSplitter(Qt.Orientation.Horizontal, self)
        splitter.addWidget(choices)
        splitter.addWidget(figures)
        splitter.setStretchFactor(0, 1)
        splitter.setStretchFactor(1, 6)
        splitter.setSizes([160, 840])
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(buttons)

    # -- choosing ----------------------------------------------------------------------------

    def reload_annotators(self) -> None:
        """List everyone with annotations and the schema's labels; keep earlier choices.

        Newcomers are ticked, except the gold layer.
        """
        self._stale_annotators = False
        names = annotators_with_work(self.workspace)
        _refill(self.annotator_list, [(name, None) for name in names], GOLD_ANNOTATOR)
        labels = self.workspace.schema.labels
        _refill(self.label_list, [(label.name, label.colour) for label in labels])

    def schedule(self) -> None:
        """Recompute once control returns to the event loop (many ticks, one computation)."""
        self._pending.start()

    def on_changes(self) -> None:
        """Annotations changed (the user's, or others' just loaded): catch up when shown."""
        self._stale_annotators = True
        super().on_changes()

    def _catch_up(self) -> None:
        if self._stale_annotators:
            self.reload_annotators()
        self.recompute()

    def reload(self) -> None:
        """Read the annotators afresh (others may have worked meanwhile) and recompute."""
        self.reload_annotators()
        self.recompute()

    def chosen_annotators(self) -> list[str]:
        """The ticked annotators."""
        return _checked(self.annotator_list)

    def chosen_labels(self) -> list[str] | None:
        """The ticked labels; None when every label is ticked."""
        labels = _checked(self.label_list)
        return None if len(labels) == self.label_list.count() else labels

    # -- computing ---------------------------------------------------------------------------

    def recompute(self) -> None:
        """Compute the agreement of the chosen annotators and labels on a worker thread
        and show it when it comes; until then "Computing…" stands in for the figures."""
        self._pending.stop()
        self._interrupted = False
        self.background.cancel()
        labels = self.chosen_labels()
        annotators = self.chosen_annotators()
        if self.annotator_list.count() < 2:
            self._show_problem(
                "Agreement needs two annotators who tagged the same documents; "
                f"{self.annotator_list.count() or 'nobody'} annotated so far."
            )
            return
        if len(annotators) < 2:
            self._show_problem("Tick two or more annotators to compare.")
            return
        if labels == []:
            self._show_problem("Tick at least one label.")
            return
        self.summary.setText("Computing…")
        self.figures.setEnabled(False)
        if self.report is None:
            self.chart.set_empty_text("Computing…")
        self.background.run(partial(agreement, self.workspace, annotators, labels))

    def _show_failure(self, error: BaseException) -> None:
        if isinstance(error, GlossaError):
            self._show_problem(f"No agreement to show: {error}.")
        else:
            self._show_problem(f"Cannot compute the agreement: {connection_problem(error)}")

    def _show_problem(self, message: str) -> None:
        self.report = None
        self.figures.setEnabled(True)
        self.summary.setText(html.escape(message, quote=False))
        for widget in (self.pairs, self.spans, self.relations, self.pair_row, self.kappa):
            widget.hide()
        for table in (self.pairs, self.spans, self.relations):
            table.setRowCount(0)
        self.pair_box.clear()
        self.kappa.clear()
        self.chart.title = "F1 per label"
        self.chart.set_data([], [])
        self.chart.set_empty_text("No agreement to show")

    def _show_report(self, report: AgreementReport) -> None:
        self.report = report
        self.figures.setEnabled(True)
        what = "all labels" if report.labels is None else html.escape(", ".join(report.labels))
        alpha = ratio(report.alpha)
        names = html.escape(", ".join(report.annotators))
        text = (
            f"<b>{len(report.annotators)} annotators</b> ({names}) on "
            f"<b>{report.documents}</b> document(s) annotated by two or more; {what}.<br>"
            f"Krippendorff's alpha (nominal, token labels): <b>{alpha}</b> over "
            f"{report.alpha_tokens} tokens."
        )
        if report.excluded:
            left_out = html.escape(", ".join(report.excluded))
            text += f"<br>Left out (no document in common): {left_out}."
        self.summary.setText(text)
        for widget in (self.spans, self.pair_row, self.kappa):
            widget.show()
        self.pairs.fill(pair_rows(report))
        self.pairs.setVisible(len(report.pairs) > 1)
        shown = self.pair_box.currentText()
        self.pair_box.blockSignals(True)
        self.pair_box.clear()
        for pair in report.pairs:
            self.pair_box.addItem(f"{pair.reference} (reference) vs {pair.candidate}")
        self.pair_box.setCurrentIndex(max(self.pair_box.findText(shown), 0))
        self.pair_box.blockSignals(False)
        self._show_pair()

    def current_pair(self) -> PairAgreement | None:
        """The pair shown in detail."""
        index = self.pair_box.currentIndex()
        if self.report is None or not 0 <= index < len(self.report.pairs):
            return None
        return self.report.pairs[index]

    def _show_pair(self) -> None:
        pair = self.current_pair()
        if pair is None:
            return
        relations = "" if pair.relations.labels else " · no relations to compare"
        self.kappa.setText(
            f"{pair.documents} document(s) in common · Cohen's kappa (token labels): "
            f"<b>{ratio(pair.kappa)}</b> over {pair.tokens} tokens{relations}"
        )
        order = [label.name for label in self.workspace.schema.labels]
        self.spans.fill(span_rows(pair, order), bold_last=True)
        self.relations.fill(relation_rows(pair.relations), bold_last=True)
        self.relations.setVisible(bool(pair.relations.labels))
        self.chart.title = f"F1 per label: {pair.reference} vs {pair.candidate}"
        self.chart.set_empty_text("No spans to compare")
        self.chart.set_data(
            agreement_bars(pair.exact, pair.overlap, order),
            [EXACT, OVERLAP],
            maximum=1.0,
            value_text=share,
            axis_title="F1",
        )


def open_agreement(session: Session) -> AgreementDialog:
    """Show the agreement view (a new one, or the open one brought up to date)."""
    return open_figures(session, AgreementDialog, AgreementDialog.reload)


def install_agreement(session: Session) -> None:
    """View > Agreement (F7)."""
    session.actions.bind("agreement_view", lambda: open_agreement(session))
