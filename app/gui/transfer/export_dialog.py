"""File > Export: format, filters, an optional split and a destination; then a report.

The export is written beside its destination and moved into place at the end, so cancelling
(between batches of documents) or a failure leaves nothing behind.
"""

from __future__ import annotations

import os
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QProgressDialog,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
)

from app.core.annotations import Status
from app.core.errors import GlossaError
from app.formats import FORMATS
from app.gui.session import Session
from app.gui.transfer.transfer import show_report
from app.gui.widgets.plain_text import literal
from app.gui.window.remembered import (
    EXPORT_FOLDER_KEY,
    EXPORT_FORMAT_KEY,
    EXPORT_SPLIT_KEY,
    last_folder,
    remember_folder,
)
from app.services.exporting import DatasetExport, ExportCancelled, export
from app.services.selection import Layer, Selection, Split

ANY = "any"
ALL_SPANS = "all"


def summary(description: str, limit: int = 60) -> str:
    """A format's description cut to one short line for a list: up to its first colon or
    parenthesis, at most ``limit`` characters."""
    short = description.split(":")[0].split(" (")[0].strip()
    return short if len(short) <= limit else short[: limit - 1].rstrip() + "…"


def exportable() -> list[str]:
    """The names of the formats Glossa writes."""
    return [name for name, fmt in FORMATS.items() if fmt.export is not None]


class ExportDialog(QDialog):
    """Choose what to export and where; Export runs it (see ``run_export``)."""

    def __init__(self, session: Session) -> None:
        super().__init__(session.parent)
        self.session = session
        self.setWindowTitle("Export")
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.last_report: DatasetExport | None = None

        self.format = QComboBox(self)
        for name in exportable():
            self.format.addItem(f"{name} — {summary(FORMATS[name].description)}", name)
            self.format.setItemData(
                self.format.count() - 1, FORMATS[name].description, Qt.ItemDataRole.ToolTipRole
            )
        self.status = QComboBox(self)
        self.status.addItem(ANY, "")
        for status in Status:
            self.status.addItem(status.value, status.value)
        self.annotator = QLineEdit(self)
        self.annotator.setPlaceholderText("every annotator")
        self.layer = QComboBox(self)
        self.layer.addItem(ALL_SPANS, "")
        for layer in Layer:
            self.layer.addItem(layer.value, layer.value)
        self.labels = QListWidget(self)
        for label in session.workspace.schema.labels:
            item = QListWidgetItem(label.name, self.labels)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.labels.setToolTip("Check labels to export only those; none checked: every label")
        self.labels.setMaximumHeight(140)
        self.fragments = QComboBox(self)
        self.fragments.addItem("each piece as a span", "pieces")
        self.fragments.addItem("one span over the covering range", "cover")
        self.fragments.setToolTip(
            "How a discontinuous span goes into a format that cannot hold one (not JSONL or "
            "brat): its pieces, the words between left out, or one span over all of it"
        )

        filters = QGroupBox("Filters", self)
        form = QFormLayout(filters)
        form.addRow("Status:", self.status)
        form.addRow("Annotator:", self.annotator)
        form.addRow("Layer:", self.layer)
        form.addRow("Labels:", self.labels)

        self.split = QGroupBox("Split into train / dev / test", self)
        self.split.setCheckable(True)
        self.split.setChecked(False)
        self.train, self.dev, self.test = (self._percent(v) for v in (80, 10, 10))
        self.seed = QSpinBox(self.split)
        self.seed.setRange(0, 2_000_000_000)
        shares = QHBoxLayout()
        for caption, box in (("train", self.train), ("dev", self.dev), ("test", self.test)):
            shares.addWidget(QLabel(caption, self.split))
            shares.addWidget(box)
        shares.addWidget(QLabel("seed", self.split))
        shares.addWidget(self.seed)
        QVBoxLayout(self.split).addLayout(shares)

        self.destination = QLineEdit(self)
        browse = QPushButton("Browse…", self)
        browse.clicked.connect(self.browse)
        self.destination_kind = QLabel(self)
        where = QHBoxLayout()
        where.addWidget(self.destination, 1)
        where.addWidget(browse)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Export")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)

        top = QFormLayout()
        top.addRow("Format:", self.format)
        top.addRow("Discontinuous spans:", self.fragments)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(filters)
        layout.addWidget(self.split)
        layout.addWidget(self.destination_kind)
        layout.addLayout(where)
        layout.addWidget(buttons)
        self._restore_choices()
        self.format.currentIndexChanged.connect(self._update_destination_kind)
        self.split.toggled.connect(self._update_destination_kind)
        self._update_destination_kind()

    def _restore_choices(self) -> None:
        """Last export's format, split and folder, so that a second export is one Enter."""
        settings = self.session.settings
        at = self.format.findData(str(settings.value(EXPORT_FORMAT_KEY, "") or ""))
        if at >= 0:
            self.format.setCurrentIndex(at)
        split = str(settings.value(EXPORT_SPLIT_KEY, "") or "").split(",")
        if len(split) == 4 and all(part.isdigit() for part in split):
            self.split.setChecked(True)
            for box, value in zip((self.train, self.dev, self.test, self.seed), split, strict=True):
                box.setValue(int(value))
        folder = last_folder(settings, EXPORT_FOLDER_KEY)
        if folder:
            self.destination.setText(str(Path(folder)) + os.sep)

    def _remember_choices(self, target: Path) -> None:
        settings = self.session.settings
        settings.setValue(EXPORT_FORMAT_KEY, self.format_name())
        boxes = (self.train, self.dev, self.test, self.seed)
        split = ",".join(str(box.value()) for box in boxes) if self.split.isChecked() else ""
        settings.setValue(EXPORT_SPLIT_KEY, split)
        remember_folder(settings, target.parent, EXPORT_FOLDER_KEY)
        remember_folder(settings, target.parent)

    def _percent(self, value: int) -> QSpinBox:
        box = QSpinBox(self.split)
        box.setRange(0, 100)
        box.setSuffix(" %")
        box.setValue(value)
        return box

    # -- what the dialog says --------------------------------------------------------

    def format_name(self) -> str:
        """The chosen format."""
        return str(self.format.currentData())

    def into_folder(self) -> bool:
        """True when the destination is a folder (a folder format, or a split)."""
        return FORMATS[self.format_name()].folder or self.split.isChecked()

    def selection(self) -> Selection:
        """The filters as a selection, built as the command line builds it."""
        annotator = self.annotator.text().strip() or None
        labels = [
            self.labels.item(row).text()
            for row in range(self.labels.count())
            if self.labels.item(row).checkState() == Qt.CheckState.Checked
        ]
        return Selection.parse(
            status=self.status.currentData() or None,
            status_of=annotator,
            annotator=annotator,
            labels=",".join(labels) or None,
            layer=self.layer.currentData() or None,
        )

    def chosen_split(self) -> Split | None:
        """The split, when one is asked for."""
        if not self.split.isChecked():
            return None
        shares = ",".join(str(box.value() / 100) for box in (self.train, self.dev, self.test))
        return Split.parse(shares, self.seed.value())

    def _update_destination_kind(self) -> None:
        fmt = FORMATS[self.format_name()]
        if self.into_folder():
            self.destination_kind.setText("Destination folder (new or empty):")
        else:
            suffix = fmt.suffixes[0] if fmt.suffixes else ""
            self.destination_kind.setText(f"Destination file ({suffix or 'any name'}):")

    def browse(self) -> None:
        """Pick the destination: a file or a folder, as the format and split need."""
        settings = self.session.settings
        start = last_folder(settings, EXPORT_FOLDER_KEY) or last_folder(settings)
        if self.into_folder():
            chosen = QFileDialog.getExistingDirectory(self, "Export to folder", start)
        else:
            fmt = FORMATS[self.format_name()]
            pattern = " ".join(f"*{s}" for s in fmt.suffixes) or "*"
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Export to file", start, f"{fmt.name} ({pattern})"
            )
        if chosen:
            self.destination.setText(chosen)

    # -- running ---------------------------------------------------------------------

    def accept(self) -> None:
        """Run the export; the dialog stays open when nothing was written."""
        target = self.destination.text().strip()
        if not target:
            self.session.hub.failed.emit("Choose where to export to first.")
            return
        try:
            selection, split = self.selection(), self.chosen_split()
        except GlossaError as exc:
            self.session.hub.failed.emit(str(exc))
            return
        self.last_report = run_export(
            self.session,
            self.format_name(),
            Path(target),
            selection,
            split,
            fragments=str(self.fragments.currentData()),
        )
        if self.last_report is not None:
            self._remember_choices(Path(target))
            super().accept()


def run_export(
    session: Session,
    format_name: str,
    out: Path,
    selection: Selection | None = None,
    split: Split | None = None,
    *,
    fragments: str = "pieces",
) -> DatasetExport | None:
    """Export with a progress dialog, then show the report; None when nothing was written."""
    progress = QProgressDialog("Exporting…", "Cancel", 0, 0, session.parent)
    progress.setWindowTitle("Export")
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(0)
    progress.setAutoClose(False)
    progress.setAutoReset(False)

    def advance(done: int, total: int, path: Path) -> None:
        if progress.wasCanceled():
            raise ExportCancelled("the export was cancelled; nothing was written")
        progress.setMaximum(total)
        progress.setLabelText(literal(f"{done} of {total} documents: {path.name}"))
        progress.setValue(done)
        if progress.wasCanceled():
            raise ExportCancelled("the export was cancelled; nothing was written")

    try:
        report = export(
            session.workspace,
            format_name,
            out,
            selection=selection,
            split=split,
            progress=advance,
            fragments=fragments,
        )
    except ExportCancelled as exc:
        session.say(str(exc).capitalize(), 10000)
        return None
    except GlossaError as exc:
        session.hub.failed.emit(str(exc))
        return None
    except OSError as exc:
        session.hub.failed.emit(f"cannot write {out}: {exc.strerror or exc}")
        return None
    finally:
        progress.close()
        progress.deleteLater()
    heading = f"Exported {report.documents} document(s) to {out}"
    session.say(heading, 10000)
    show_report(session.parent, "Export", heading, report.lines())
    return report


def open_export_dialog(session: Session) -> ExportDialog:
    """File > Export…: show the dialog without waiting for it."""
    dialog = ExportDialog(session)
    dialog.open()
    return dialog
