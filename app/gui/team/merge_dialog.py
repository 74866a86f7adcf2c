"""File > Merge colleague's work…: another Glossa database or an export in any format Glossa
imports (native JSONL, brat, CoNLL, doccano, Label Studio, Prodigy, spaCy), added as the
colleague's annotator layer; our own work stays as it is. A brat document is picked by its
``.ann`` or ``.txt`` file.

When the source's work names no annotator, or names ours, the user is asked under which
name to take it. The merge is one transaction; a refused source changes nothing.

The merge runs on a worker thread (``app.gui.widgets.background``) while a dialog says it is
under way: the window answers meanwhile, and what follows it (the lists, the open document,
the summary) happens on the window's thread once it is done. One transaction cannot stop
half-way, so the dialog offers no Cancel.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from PySide6.QtCore import QEventLoop, QObject, Qt, Signal
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox, QProgressDialog

from app.core.errors import GlossaError
from app.gui.models.open_document import OwnThreads
from app.gui.session import Session
from app.gui.transfer.transfer import show_report
from app.gui.widgets.background import Background
from app.gui.widgets.plain_text import literal, plain_box
from app.gui.window.remembered import last_folder, remember_folder
from app.services.merging import MergeReport, NeedsAnnotator, merge_path

SOURCES = (
    "Glossa work and exports (*.db *.sqlite *.jsonl *.json *.ann *.txt *.conll *.iob *.tsv "
    "*.spacy);;Glossa databases (*.db *.sqlite);;JSON lines: Glossa, doccano, Prodigy (*.jsonl)"
    ";;Label Studio (*.json);;brat (*.ann);;CoNLL (*.conll *.iob *.tsv *.txt);;spaCy (*.spacy)"
    ";;All files (*)"
)
TITLE = "Merge colleague's work"
MERGERS = OwnThreads()
"""A thread of its own for each merge: never behind a long figure computation."""


def merge_colleague_work(session: Session) -> MergeRun | None:
    """Pick a database file or an export file, then merge it."""
    chosen, _ = QFileDialog.getOpenFileName(
        session.parent, TITLE, last_folder(session.settings), SOURCES
    )
    if not chosen:
        return None
    remember_folder(session.settings, chosen)
    return run_merge(session, Path(chosen))


def _ask_name(session: Session, path: Path, reason: str) -> str | None:
    suggestion = path.stem if path.stem != session.workspace.annotator else f"{path.stem}-merged"
    name, ok = QInputDialog.getText(
        session.parent,
        TITLE,
        literal(f"{reason.replace(' with --as NAME', '')}.\n\nTake this work as annotator:"),
        QLineEdit.EchoMode.Normal,
        suggestion,
    )
    name = name.strip()
    return name if ok and name else None


def _warn(session: Session, message: str) -> None:
    box = plain_box(QMessageBox(QMessageBox.Icon.Warning, TITLE, message, parent=session.parent))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


class MergeRun(QObject):
    """A merge on a worker thread; ``finished`` carries its ``MergeReport`` (None when
    nothing was merged) on the window's thread, once the summary is shown."""

    finished = Signal(object)

    def __init__(self, session: Session, path: Path, as_annotator: str | None) -> None:
        super().__init__(session.parent)
        self.session = session
        self.path = path
        self.as_annotator = as_annotator
        self.report: MergeReport | None = None
        self.done = False
        """True once the merge is over (merged, refused or cancelled)."""
        self._background = Background(self, workers=MERGERS)
        self._background.finished.connect(self._merged)
        self._background.failed.connect(self._not_merged)
        self.dialog = QProgressDialog(literal(f"Merging {path.name}…"), "", 0, 0, session.parent)
        self.dialog.setWindowTitle(TITLE)
        self.dialog.setCancelButton(None)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(0)

    def start(self) -> None:
        """Merge on a worker thread (again, after a name was asked for)."""
        workspace, path, name = self.session.workspace, self.path, self.as_annotator
        self.dialog.show()
        self._background.run(lambda: merge_path(workspace, path, as_annotator=name))

    def wait(self) -> MergeReport | None:
        """Return once the merge is over, the window's events handled meanwhile (for
        scripts and tests)."""
        if not self.done:
            loop = QEventLoop()
            self.finished.connect(loop.quit)
            loop.exec()
        return self.report

    def _not_merged(self, error: Any) -> None:
        session = self.session
        self.dialog.hide()
        if isinstance(error, NeedsAnnotator):
            self.as_annotator = _ask_name(session, self.path, error.message)
            if self.as_annotator is not None:
                self.start()
                return
            session.say("Merge cancelled; nothing changed.", 6000)
        elif isinstance(error, GlossaError):
            _warn(session, f"Nothing was merged.\n\n{error}")
        else:
            self._finish()
            raise error  # a mistake of ours, not the source's: let it be seen
        self._finish()

    def _merged(self, report: MergeReport) -> None:
        session = self.session
        self.report = report
        self.dialog.hide()
        session.hub.changed.emit(report.changes)
        if session.document is None:
            session.resume()
        else:  # the colleague's spans may be on the open document
            session.reload_document()
        session.say(report.summary(), 10000)
        show_report(session.parent, TITLE, report.summary(), report.lines())
        self._finish()

    def _finish(self) -> None:
        self.dialog.deleteLater()
        self.done = True
        UNDER_WAY.discard(self)
        self.finished.emit(self.report)
        self.deleteLater()


UNDER_WAY: set[MergeRun] = set()
"""Merges under way: held here until done, whoever holds their handle."""


def run_merge(
    session: Session, path: Path, as_annotator: str | None = None, *, wait: bool = False
) -> MergeRun:
    """Merge ``path`` on a worker thread, asking for an annotator name when one is needed;
    show the summary. Returns the merge under way (``finished``, ``report``); ``wait``
    returns only once it is over (scripts and tests)."""
    run = MergeRun(session, path, as_annotator)
    UNDER_WAY.add(run)
    run.start()
    if wait:
        run.wait()
    return run


def install_merge(session: Session) -> None:
    """File > Merge colleague's work… (Ctrl+Shift+M)."""
    session.actions.bind("merge_work", lambda: merge_colleague_work(session))
