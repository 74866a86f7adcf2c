"""File > Import and dropped files: the import with a progress dialog, then a summary.

Every file is imported in its own transaction, so cancelling stops before the next file and
the files already imported stay imported.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QPlainTextEdit,
    QProgressDialog,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import InputError
from app.formats import FORMATS, readable_files
from app.gui.session import Session
from app.gui.transfer.cleanup_preview import AskCleanup, ask_cleanup, cleanable
from app.gui.widgets.plain_text import literal, plain
from app.gui.window.remembered import last_folder, remember_folder
from app.services import ChangeSet
from app.services.importing import ImportReport, import_paths

_log = logging.getLogger(__name__)

DETECT = "Detect from files"
"""The format chooser's first entry: each file's format is judged from the file."""
CANCEL_NOTE = (
    "Each file is imported whole or not at all. Cancel stops before the next file; "
    "files already imported stay imported."
)


class ReportDialog(QDialog):
    """A read-only page of lines after an import or an export; never blocks."""

    def __init__(self, title: str, heading: str, lines: Sequence[str], parent: QWidget) -> None:
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.heading = plain(QLabel(heading, self))
        self.heading.setWordWrap(True)
        self.text = QPlainTextEdit(self)
        self.text.setReadOnly(True)
        self.text.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.text.setPlainText("\n".join(lines))
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addWidget(self.text, 1)
        layout.addWidget(buttons)
        self.resize(720, 420)


def show_report(parent: QWidget, title: str, heading: str, lines: Sequence[str]) -> ReportDialog:
    """Show a report dialog without waiting for it to close."""
    dialog = ReportDialog(title, heading, lines, parent)
    dialog.open()
    return dialog


def import_lines(report: ImportReport, cancelled: int = 0) -> list[str]:
    """What the import summary lists: documents, duplicates, refused files, warnings."""
    lines = [f"Imported {len(report.imported)} document(s) with {report.spans} span(s):"]
    lines.extend(f"  {title}" for title in report.imported)
    if report.skipped:
        lines.append(f"Skipped {len(report.skipped)} document(s) already in the database:")
        lines.extend(f"  {line}" for line in report.skipped)
    if report.errors:
        lines.append(f"Refused {len(report.errors)} file(s), nothing of them imported:")
        lines.extend(f"  {error.describe()}" for error in report.errors)
    lines.extend(report.notes())
    if report.warnings:
        lines.append(f"Warnings ({len(report.warnings)}):")
        lines.extend(f"  {line}" for line in report.warnings)
    if cancelled:
        lines.append(f"Cancelled: {cancelled} file(s) were not read.")
    return lines


def _files_of(paths: Iterable[Path]) -> list[Path]:
    """The files an import of ``paths`` reads, one by one (a path itself when none)."""
    files: list[Path] = []
    for path in paths:
        found = readable_files(path) if path.exists() else []
        files.extend(found or [path])  # the service reports a missing or empty path
    return files


def _merge(into: ImportReport, part: ImportReport) -> None:
    into.imported.extend(part.imported)
    into.spans += part.spans
    into.skipped.extend(part.skipped)
    into.errors.extend(part.errors)
    into.warnings.extend(part.warnings)
    into.annotated += part.annotated
    for what, names in part.schema_added.items():
        into.schema_added.setdefault(what, []).extend(names)
    into.extractors.update(part.extractors)


def _import_one(
    session: Session, file: Path, format_name: str | None, *, clean: bool = False
) -> ImportReport:
    """Import one file; a failure nobody foresaw refuses that file, not the whole import.

    The files before it are committed already: without this, the error would end the loop
    and the summary of what was imported and refused would never show.
    """
    try:
        return import_paths(session.workspace, [file], format_name=format_name, clean=clean)
    except Exception as exc:
        _log.exception("importing %s failed", file)
        reason = str(exc).strip().splitlines()[0][:200] if str(exc).strip() else ""
        message = f"not imported: {type(exc).__name__}" + (f": {reason}" if reason else "")
        return ImportReport(errors=[InputError(message, source=str(file))])


def run_import(
    session: Session,
    paths: Sequence[Path | str],
    format_name: str | None = None,
    ask: AskCleanup = ask_cleanup,
) -> ImportReport:
    """Import files and folders with a progress dialog, refresh the list, show a summary.

    Scraped articles the clean-up would change are shown first (``ask``): each is imported
    cleaned or as it is, as the user ticks it; cancelling there imports nothing.
    """
    files = _files_of(Path(p) for p in paths)
    found = cleanable(files, format_name)
    to_clean: set[Path] = set()
    if found:
        chosen = ask(session.parent, found)
        if chosen is None:
            session.say("Import cancelled; nothing was imported", 10000)
            return ImportReport()
        to_clean = chosen
    total = len(files)
    progress = QProgressDialog("Importing…", "Cancel", 0, total, session.parent)
    progress.setWindowTitle("Import")
    progress.setWindowModality(Qt.WindowModality.WindowModal)
    progress.setMinimumDuration(0)
    progress.setAutoClose(False)
    progress.setAutoReset(False)
    report = ImportReport()
    cancelled = 0
    try:
        for number, file in enumerate(files, start=1):
            if progress.wasCanceled():
                cancelled = total - number + 1
                break
            progress.setLabelText(literal(f"{number} of {total}: {file.name}\n\n{CANCEL_NOTE}"))
            progress.setValue(number - 1)
            _merge(report, _import_one(session, file, format_name, clean=file in to_clean))
        progress.setValue(total)
    finally:
        progress.close()
        progress.deleteLater()
    if report.imported:
        session.hub.changed.emit(ChangeSet(documents=True))
        if report.schema_added:
            session.hub.changed.emit(ChangeSet(schema=True))  # the palette shows the new labels
        if session.document is None:
            session.resume()
    heading = report.summary() + (" (cancelled)" if cancelled else "")
    session.say(heading, 10000)
    show_report(session.parent, "Import", heading, import_lines(report, cancelled))
    return report


def format_names() -> list[str]:
    """The format chooser's entries: detection first, then every format Glossa reads."""
    return [DETECT, *(name for name, fmt in FORMATS.items() if fmt.read is not None)]


def _chosen_format(parent: QWidget) -> tuple[bool, str | None]:
    names = format_names()
    choice, ok = QInputDialog.getItem(
        parent, "Import", "Format of the files:", names, 0, editable=False
    )
    if not ok:
        return False, None
    return True, None if choice == DETECT else str(choice)


def import_files(session: Session) -> None:
    """File > Import files…: pick files, then a format, then import."""
    parent, settings = session.parent, session.settings
    chosen, _ = QFileDialog.getOpenFileNames(parent, "Import files", last_folder(settings))
    if chosen:
        remember_folder(settings, chosen[0])
        ok, format_name = _chosen_format(parent)
        if ok:
            run_import(session, [Path(p) for p in chosen], format_name)


def import_folder(session: Session) -> None:
    """File > Import folder…: pick a folder (every readable file under it), then import."""
    parent, settings = session.parent, session.settings
    chosen = QFileDialog.getExistingDirectory(parent, "Import folder", last_folder(settings))
    if chosen:
        remember_folder(settings, Path(chosen).parent)
        ok, format_name = _chosen_format(parent)
        if ok:
            run_import(session, [Path(chosen)], format_name)


def dropped_paths(mime: QMimeData) -> list[Path]:
    """The local files and folders of a drag, if it carries any."""
    if not mime.hasUrls():
        return []
    return [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
