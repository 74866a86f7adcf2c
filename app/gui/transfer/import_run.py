"""An import under way: the files are imported one by one on a worker thread while the window
answers, and a progress dialog shows file n of N and the documents read of it so far.

Cancel stops the import at the next boundary that keeps every file whole: a file still being
read is left out (nothing of it is written yet), a file being written is finished, and the
files after it are not read. The report is handed to the GUI thread (``finished``) once the
worker is done.

The worker never touches a Qt object: it writes plain values (the file, the count, the
report) that a timer on the GUI thread looks at, as ``app.gui.widgets.background`` does.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from pathlib import Path

from PySide6.QtCore import QEventLoop, QObject, Qt, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QPushButton, QWidget

from app.gui.widgets.plain_text import literal
from app.services.importing import ImportCancelled, ImportReport

_log = logging.getLogger(__name__)

ImportOne = Callable[[Path, Callable[[int], None]], ImportReport]
"""Imports one file, calling the hook with the documents read of it so far."""
COLLECT_MS = 20
"""How often the dialog is brought up to date with the worker."""
CANCEL_NOTE = (
    "Each file is imported whole or not at all. Cancel stops before the next file; "
    "files already imported stay imported."
)
STOPPING = (
    "Stopping: a file being written is finished, a file still being read is left out; "
    "nothing after it is read…"
)


class ImportJob:
    """The worker's side: the files, where it is, what it did. Plain Python, no Qt."""

    def __init__(self, files: Sequence[Path], import_one: ImportOne) -> None:
        self.files = list(files)
        self.import_one = import_one
        self.report = ImportReport()
        self.number = 0
        """The file being imported, counted from 1 (0 before the first)."""
        self.documents = 0
        """Documents read of that file so far."""
        self.cut_short: Path | None = None
        """The file whose reading Cancel stopped (left out whole)."""
        self.stop = threading.Event()
        self.done = threading.Event()

    @property
    def file(self) -> Path | None:
        """The file being imported."""
        return self.files[self.number - 1] if self.number else None

    def run(self) -> None:
        """Import every file in turn, until done or cancelled."""
        try:
            for number, file in enumerate(self.files, start=1):
                if self.stop.is_set():
                    self.report.cancelled += len(self.files) - number + 1
                    break
                self.number, self.documents = number, 0
                part = self.import_one(file, self._read)
                if part.cancelled:
                    self.cut_short = file
                _merge(self.report, part)
        except BaseException:  # a mistake of ours: the files before it are imported, say so
            _log.exception("the import stopped")
        finally:
            self.done.set()

    def _read(self, documents: int) -> None:
        self.documents = documents
        if self.stop.is_set():
            raise ImportCancelled


def _merge(into: ImportReport, part: ImportReport) -> None:
    into.imported.extend(part.imported)
    into.spans += part.spans
    into.skipped.extend(part.skipped)
    into.errors.extend(part.errors)
    into.warnings.extend(part.warnings)
    into.annotated += part.annotated
    into.cancelled += part.cancelled
    for what, names in part.schema_added.items():
        into.schema_added.setdefault(what, []).extend(names)
    into.extractors.update(part.extractors)


class ImportRun(QObject):
    """An import on a worker thread, with its progress dialog; ``finished`` carries the
    report on the GUI thread."""

    finished = Signal(object)

    def __init__(
        self,
        files: Sequence[Path],
        import_one: ImportOne,
        parent: QWidget,
        *,
        collect_ms: int = COLLECT_MS,
    ) -> None:
        super().__init__(parent)
        self.job = ImportJob(files, import_one)
        self.done = False
        """True once the report is handed over (``finished``)."""
        self._shown = (-1, -1)
        self.dialog = QProgressDialog("Importing…", "Cancel", 0, len(files), parent)
        self.dialog.setWindowTitle("Import")
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        self.dialog.canceled.connect(self.cancel)
        self._collector = QTimer(self)
        self._collector.setInterval(collect_ms)
        self._collector.timeout.connect(self._collect)

    @classmethod
    def nothing(cls, parent: QWidget) -> ImportRun:
        """An import of nothing, done already (the user cancelled before it started)."""
        run = cls([], lambda *_: ImportReport(), parent)
        run.dialog.deleteLater()
        run.done = True
        return run

    @property
    def report(self) -> ImportReport:
        """What the import did (so far, until ``done``)."""
        return self.job.report

    @property
    def cancelled(self) -> bool:
        """True when Cancel was pressed."""
        return self.job.stop.is_set()

    def start(self) -> None:
        """Start the worker and show the dialog."""
        self.dialog.show()
        threading.Thread(target=self.job.run, name="glossa-import", daemon=True).start()
        self._collector.start()

    def cancel(self) -> None:
        """Stop at the next boundary that keeps every file whole."""
        if self.done or self.job.stop.is_set():
            return
        job = self.job
        job.stop.set()
        # QProgressDialog hides (and empties) itself on Cancel: the window stays blocked
        # until the file under way is done
        where = f"{job.number} of {len(job.files)}: {job.file.name}\n\n" if job.file else ""
        self.dialog.setLabelText(literal(where + STOPPING))
        for button in self.dialog.findChildren(QPushButton):
            button.setEnabled(False)
        self.dialog.show()
        self.dialog.setValue(max(job.number - 1, 0))

    def wait(self) -> ImportReport:
        """Return once the import is done and ``finished`` answered; the window's events
        are handled meanwhile (for scripts and tests)."""
        if not self.done:
            loop = QEventLoop()
            self.finished.connect(loop.quit)
            loop.exec()
        return self.report

    def _collect(self) -> None:
        job = self.job
        if job.done.is_set():
            self._finish()
            return
        if job.stop.is_set():
            return
        shown = (job.number, job.documents)
        if shown == self._shown or job.file is None:
            return
        self._shown = shown
        read = f" ({job.documents:,} document(s) read)" if job.documents else ""
        line = f"{job.number} of {len(job.files)}: {job.file.name}{read}"
        self.dialog.setLabelText(literal(f"{line}\n\n{CANCEL_NOTE}"))
        if self.dialog.value() != job.number - 1:
            self.dialog.setValue(job.number - 1)

    def _finish(self) -> None:
        self._collector.stop()
        self.dialog.close()
        self.dialog.deleteLater()
        self.done = True
        self.finished.emit(self.report)
