"""File > Merge colleague's work…: another Glossa database or an export in any format Glossa
imports (native JSONL, brat, CoNLL, doccano, Label Studio, Prodigy, spaCy), added as the
colleague's annotator layer; our own work stays as it is. A brat document is picked by its
``.ann`` or ``.txt`` file.

When the source's work names no annotator, or names ours, the user is asked under which
name to take it. The merge is one transaction; a refused source changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QLineEdit, QMessageBox

from app.core.errors import GlossaError
from app.gui.team.live_updates import in_file_menu
from app.gui.transfer.transfer import show_report
from app.gui.widgets.plain_text import literal, plain_box
from app.gui.window.remembered import last_folder, remember_folder
from app.services.merging import MergeReport, NeedsAnnotator, merge_path

if TYPE_CHECKING:
    from app.gui.window.main_window import MainWindow

SOURCES = (
    "Glossa work and exports (*.db *.sqlite *.jsonl *.json *.ann *.txt *.conll *.iob *.tsv "
    "*.spacy);;Glossa databases (*.db *.sqlite);;JSON lines: Glossa, doccano, Prodigy (*.jsonl)"
    ";;Label Studio (*.json);;brat (*.ann);;CoNLL (*.conll *.iob *.tsv *.txt);;spaCy (*.spacy)"
    ";;All files (*)"
)
TITLE = "Merge colleague's work"


def merge_colleague_work(window: MainWindow) -> MergeReport | None:
    """Pick a database file or an export file, then merge it."""
    chosen, _ = QFileDialog.getOpenFileName(window, TITLE, last_folder(window.settings), SOURCES)
    if not chosen:
        return None
    remember_folder(window.settings, chosen)
    return run_merge(window, Path(chosen))


def _ask_name(window: MainWindow, path: Path, reason: str) -> str | None:
    suggestion = path.stem if path.stem != window.workspace.annotator else f"{path.stem}-merged"
    name, ok = QInputDialog.getText(
        window,
        TITLE,
        literal(f"{reason.replace(' with --as NAME', '')}.\n\nTake this work as annotator:"),
        QLineEdit.EchoMode.Normal,
        suggestion,
    )
    name = name.strip()
    return name if ok and name else None


def _warn(window: MainWindow, message: str) -> None:
    box = plain_box(QMessageBox(QMessageBox.Icon.Warning, TITLE, message, parent=window))
    box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
    box.open()


def run_merge(
    window: MainWindow, path: Path, as_annotator: str | None = None
) -> MergeReport | None:
    """Merge ``path``, asking for an annotator name when one is needed; show the summary."""
    while True:
        try:
            report = merge_path(window.workspace, path, as_annotator=as_annotator)
            break
        except NeedsAnnotator as exc:
            as_annotator = _ask_name(window, path, exc.message)
            if as_annotator is None:
                window.statusBar().showMessage("Merge cancelled; nothing changed.", 6000)
                return None
        except GlossaError as exc:
            _warn(window, f"Nothing was merged.\n\n{exc}")
            return None
    window.hub.changed.emit(report.changes)
    if window.document is None:
        window.resume()
    else:  # the colleague's spans may be on the open document
        window.reload_document()
    window.statusBar().showMessage(report.summary(), 10000)
    show_report(window, TITLE, report.summary(), report.lines())
    return report


def install_merge(window: MainWindow) -> None:
    """File > Merge colleague's work… (Ctrl+Shift+M)."""
    window.add_action(
        "File", "merge_work", lambda: merge_colleague_work(window), "&Merge colleague's work…"
    )
    in_file_menu(window, "merge_work")
