"""The dashboard's cost ledger: seconds per span by label, annotator and how it was made.

Beside the table: how many suggestions were accepted and rejected, and the time they saved
(accepted spans against typed spans of the same label). "Export ledger…" writes every span
and relation made, with its seconds, as CSV, as ``glossa costs --csv`` does.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from app.core.ledger import ledger_csv
from app.gui.figures.figure_table import FigureTable
from app.services.costs import CostReport

COST_HEADERS = ("Label", "Annotator", "Made", "Spans", "Seconds/span")


def cost_rows(report: CostReport) -> list[list[object]]:
    """The table's rows: one per label, annotator and way made."""
    return [
        [row.label, row.annotator, row.made, f"{row.count:,}", f"{row.per_span:.1f}"]
        for row in report.costs.rows
    ]


def cost_summary(report: CostReport) -> str:
    """Suggestions answered and the time they saved, in one line."""
    c = report.costs
    if c.acceptance_rate is None:
        return "No suggestion accepted or rejected yet"
    return (
        f"Suggestions: {c.accepted:,} accepted, {c.rejected:,} rejected "
        f"({c.acceptance_rate:.0%}); time saved {c.seconds_saved / 60:.1f} min"
    )


class CostBox(QWidget):
    """Title, table, summary line and the CSV export of the cost ledger."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.report: CostReport | None = None
        title = QLabel("Time per span", self)
        font = QFont(title.font())
        font.setBold(True)
        title.setFont(font)
        self.table = FigureTable(COST_HEADERS, self)
        self.table.setObjectName("dashboardCosts")
        self.summary = QLabel("", self)
        self.summary.setObjectName("dashboardCostSummary")
        self.export_button = QPushButton("Export &ledger…", self)
        self.export_button.setObjectName("dashboardExportLedger")
        self.export_button.setEnabled(False)
        self.export_button.clicked.connect(self.export)
        bottom = QHBoxLayout()
        bottom.addWidget(self.summary, 1)
        bottom.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(title)
        layout.addWidget(self.table)
        layout.addLayout(bottom)
        layout.addStretch(1)

    def show_report(self, report: CostReport) -> None:
        """Fill the table and the summary from ``report``."""
        self.report = report
        self.table.fill(cost_rows(report))
        self.summary.setText(cost_summary(report))
        self.export_button.setEnabled(bool(report.entries))

    def export(self, path: str | None = None) -> Path | None:
        """Write the ledger as CSV to ``path`` (asked for when not given); where it went."""
        if self.report is None:
            return None
        if path is None:
            path, _ = QFileDialog.getSaveFileName(
                self, "Export the cost ledger", "ledger.csv", "CSV files (*.csv)"
            )
            if not path:
                return None
        target = Path(path)
        try:
            target.write_text(ledger_csv(self.report.entries), encoding="utf-8")
        except OSError as error:
            QMessageBox.warning(self, "Not exported", f"{target}: {error.strerror}")
            return None
        return target
