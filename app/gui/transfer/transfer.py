"""File > Import and dropped files: the import on a worker thread with a progress dialog,
then a summary.

Every file is imported in its own transaction, so cancelling stops before the next file and
the files already imported stay imported (``app.gui.transfer.import_run``).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from PySide6.QtCore import QMimeData, Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QInputDialog,
    QLabel,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from app.core.errors import InputError
from app.formats import FORMATS, readable_files
from app.gui.session import Session
from app.gui.transfer.cleanup_preview import AskCleanup, ask_cleanup, cleanable
from app.gui.transfer.import_run import ImportRun
from app.gui.widgets.plain_text import plain
from app.gui.window.remembered import last_folder, remember_folder
from app.services import ChangeSet
from app.services.importing import ImportReport, import_paths

_log = logging.getLogger(__name__)

DETECT = "Detect from files"
"""The format chooser's first entry: each file's format is judged from the file."""


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


def import_lines(report: ImportReport, cut_short: Path | None = None) -> list[str]:
    """What the import summary lists: documents, duplicates, refused files, warnings, and
    what Cancel left out (``cut_short``: the file whose reading it stopped)."""
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
    unread = report.cancelled - (cut_short is not None)
    if cut_short is not None:
        lines.append(f"Cancelled while reading {cut_short}: nothing of it was imported.")
    if unread:
        lines.append(f"Cancelled: {unread} file(s) were not read.")
    return lines


def _files_of(paths: Iterable[Path]) -> list[Path]:
    """The files an import of ``paths`` reads, one by one (a path itself when none)."""
    files: list[Path] = []
    for path in paths:
        found = readable_files(path) if path.exists() else []
        files.extend(found or [path])  # the service reports a missing or empty path
    return files


def _import_one(
    session: Session,
    file: Path,
    format_name: str | None,
    on_document: Callable[[int], None],
    *,
    clean: bool = False,
) -> ImportReport:
    """Import one file (on the import's worker thread); a failure nobody foresaw refuses
    that file, not the whole import.

    The files before it are committed already: without this, the error would end the loop
    and the summary of what was imported and refused would never show.
    """
    try:
        return import_paths(
            session.workspace,
            [file],
            format_name=format_name,
            clean=clean,
            on_document=on_document,
        )
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
    *,
    wait: bool = False,
) -> ImportRun:
    """Import files and folders on a worker thread with a progress dialog; once done, on
    the window's thread, refresh the list, open a document when none was open, and show a
    summary. Returns the import under way: its ``finished`` carries the ``ImportReport``.

    ``wait`` returns only once the import is done and its summary shown, the window's
    events handled meanwhile (scripts and tests); the report is then ``.report``.

    Scraped articles the clean-up would change are shown first (``ask``), before anything is
    imported: each is imported cleaned or as it is, as the user ticks it; cancelling there
    imports nothing (the run returned is done, with an empty report).
    """
    files = _files_of(Path(p) for p in paths)
    found = cleanable(files, format_name)
    to_clean: set[Path] = set()
    if found:
        chosen = ask(session.parent, found)
        if chosen is None:
            session.say("Import cancelled; nothing was imported", 10000)
            return ImportRun.nothing(session.parent)
        to_clean = chosen

    def import_one(file: Path, on_document: Callable[[int], None]) -> ImportReport:
        return _import_one(session, file, format_name, on_document, clean=file in to_clean)

    run = ImportRun(files, import_one, session.parent)
    run.finished.connect(lambda report: _imported(session, run, report))
    _RUNNING.add(run)
    run.start()
    if wait:
        run.wait()
    return run


_RUNNING: set[ImportRun] = set()
"""Imports under way: held here until done, whoever holds their handle."""


def _imported(session: Session, run: ImportRun, report: ImportReport) -> None:
    """What follows an import, on the window's thread."""
    _RUNNING.discard(run)
    run.deleteLater()
    if report.imported:
        session.hub.changed.emit(ChangeSet(documents=True))
        if report.schema_added:
            session.hub.changed.emit(ChangeSet(schema=True))  # the palette shows the new labels
        if session.document is None:
            session.resume()
    heading = report.summary()  # it says what Cancel left out
    session.say(heading, 10000)
    lines = import_lines(report, run.job.cut_short)
    show_report(session.parent, "Import", heading, lines)


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
