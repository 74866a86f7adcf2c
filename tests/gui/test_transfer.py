"""File > Import, File > Export and dropped files, without waiting on any dialog."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QMimeData, QPoint, QPointF, Qt, QUrl
from PySide6.QtGui import QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import QFileDialog, QInputDialog, QProgressDialog, QPushButton
from pytestqt.qtbot import QtBot

from app.gui.keymap import SHORTCUTS
from app.gui.transfer import transfer
from app.gui.transfer.export_dialog import ExportDialog, exportable, run_export
from app.gui.transfer.transfer import ReportDialog, run_import
from app.gui.window.main_window import MainWindow
from app.services import Workspace, documents, span_edits, spans
from app.services.importing import ImportReport, import_paths
from tests.conftest import BUNDLED_SAMPLES
from tests.gui.support import wait_imported, wait_open

SAMPLE_TITLES = {
    "Harbour chief promises ferry terminal before summer",
    "Cross-border festival draws record crowds 🎉",
}


def titles(window: MainWindow) -> list[str]:
    return [s.title for s in window.documents.summaries()]


def last_report(window: MainWindow) -> str:
    dialogs = window.findChildren(ReportDialog)
    assert dialogs
    dialog = dialogs[-1]
    return dialog.heading.text() + "\n" + dialog.text.toPlainText()


def test_importing_the_samples_folder_fills_an_empty_workspace(
    workspace: Workspace, open_window: Callable[..., MainWindow], qtbot: QtBot
) -> None:
    window = open_window(workspace)
    assert titles(window) == []

    report = run_import(window.session, [BUNDLED_SAMPLES], wait=True).report
    wait_open(qtbot, window)

    assert len(report.imported) == 3 and report.ok
    assert len(titles(window)) == 3
    assert set(titles(window)) >= SAMPLE_TITLES
    assert window.status_line.progress_label.text() == "0 of 3 done"
    assert window.document is not None  # the first document opened
    shown = last_report(window)
    assert "Imported 3 document(s)" in shown
    for title in SAMPLE_TITLES:
        assert title in shown

    again = run_import(window.session, [BUNDLED_SAMPLES], wait=True).report
    assert again.imported == [] and len(again.skipped) == 3
    assert "Skipped 3 document(s)" in last_report(window)
    assert len(titles(window)) == 3


def test_a_broken_jsonl_file_is_refused_whole_with_its_line(
    sample_workspace: Workspace, open_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    window = open_window(sample_workspace)
    before = titles(window)
    broken = tmp_path / "broken.jsonl"
    broken.write_text('{"text": "A fine first article."}\n{not json\n', encoding="utf-8")

    report = run_import(window.session, [broken], "jsonl", wait=True).report

    assert report.imported == [] and len(report.errors) == 1
    assert titles(window) == before
    shown = last_report(window)
    assert "Refused 1 file(s)" in shown
    assert f"{broken}:2: " in shown


def test_dropping_files_on_the_window_imports_them(
    workspace: Workspace, open_window: Callable[..., MainWindow], qtbot: QtBot
) -> None:
    window = open_window(workspace)
    files = sorted(BUNDLED_SAMPLES.glob("*.txt"))[:2]
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(f)) for f in files])
    buttons, keys = Qt.MouseButton.LeftButton, Qt.KeyboardModifier.NoModifier
    copy = Qt.DropAction.CopyAction

    enter = QDragEnterEvent(QPoint(10, 10), copy, mime, buttons, keys)
    window.dragEnterEvent(enter)
    assert enter.isAccepted()
    window.dropEvent(QDropEvent(QPointF(10, 10), copy, mime, buttons, keys))
    wait_imported(qtbot, window)
    wait_open(qtbot, window)

    assert len(titles(window)) == 2
    assert "Imported 2 document(s)" in last_report(window)


def test_a_drag_without_files_is_refused(
    workspace: Workspace, open_window: Callable[..., MainWindow]
) -> None:
    window = open_window(workspace)
    mime = QMimeData()
    mime.setText("just text")
    enter = QDragEnterEvent(
        QPoint(10, 10),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    enter.ignore()
    window.dragEnterEvent(enter)
    assert not enter.isAccepted()


class HeldImports:
    """Stands in for ``import_paths`` on the import's worker thread: the import of a file
    waits, once written (or, with ``at_document``, once that many documents of it are
    read), until let go."""

    def __init__(self, at_document: int = 0) -> None:
        self.at_document = at_document
        self.calls: list[list[Path]] = []
        self.reached = threading.Event()
        self.gate = threading.Event()

    def hold(self) -> None:
        self.reached.set()
        assert self.gate.wait(10), "never let go"

    def __call__(self, *args: Any, **kwargs: Any) -> ImportReport:
        self.calls.append(list(args[1]))
        heard = kwargs["on_document"]

        def on_document(count: int) -> None:
            heard(count)
            if count == self.at_document:
                self.hold()

        report = import_paths(*args, **{**kwargs, "on_document": on_document})
        if not self.at_document:
            self.hold()
        return report


@pytest.fixture
def held(monkeypatch: pytest.MonkeyPatch) -> HeldImports:
    found = HeldImports()
    monkeypatch.setattr("app.gui.transfer.transfer.import_paths", found)
    return found


def press_cancel(progress: QProgressDialog, qtbot: QtBot) -> None:
    button = progress.findChild(QPushButton)
    assert button is not None and button.isVisible()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def test_the_window_answers_while_a_file_is_imported(
    workspace: Workspace,
    open_window: Callable[..., MainWindow],
    held: HeldImports,
    qtbot: QtBot,
    ticks: list[int],
) -> None:
    window = open_window(workspace)

    run = run_import(window.session, [BUNDLED_SAMPLES])
    qtbot.waitUntil(held.reached.is_set)
    before = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) > before + 3)  # the event loop turns meanwhile

    progress = window.findChild(QProgressDialog)
    assert progress is not None and progress.isVisible()
    qtbot.waitUntil(lambda: progress.labelText().startswith("1 of 3: "))
    assert not run.done and titles(window) == []
    held.gate.set()
    qtbot.waitUntil(lambda: run.done)
    assert len(run.report.imported) == 3
    wait_open(qtbot, window)  # the list is read again off the window's thread
    assert len(titles(window)) == 3
    assert "Imported 3 document(s)" in last_report(window)


def test_cancel_stops_after_the_current_file(
    workspace: Workspace,
    open_window: Callable[..., MainWindow],
    held: HeldImports,
    qtbot: QtBot,
) -> None:
    window = open_window(workspace)
    run = run_import(window.session, [BUNDLED_SAMPLES])
    qtbot.waitUntil(held.reached.is_set)  # the first file is written
    progress = window.findChild(QProgressDialog)
    assert progress is not None

    press_cancel(progress, qtbot)
    assert progress.isVisible()  # until the file under way is done
    held.gate.set()
    qtbot.waitUntil(lambda: run.done)

    assert len(held.calls) == 1
    assert len(run.report.imported) == 1
    wait_open(qtbot, window)
    assert len(titles(window)) == 1  # the file already imported stays imported
    shown = last_report(window)
    assert "Cancelled: 2 file(s) were not read." in shown
    assert "(cancelled)" in shown.splitlines()[0]


def test_cancel_while_a_file_is_read_leaves_it_out_whole(
    workspace: Workspace,
    open_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
    tmp_path: Path,
) -> None:
    held = HeldImports(at_document=2)
    monkeypatch.setattr("app.gui.transfer.transfer.import_paths", held)
    window = open_window(workspace)
    files = [tmp_path / "a.jsonl", tmp_path / "b.jsonl"]
    for file in files:
        lines = [json.dumps({"text": f"Article {n} of {file.stem}."}) for n in range(3)]
        file.write_text("\n".join(lines) + "\n", encoding="utf-8")

    run = run_import(window.session, files)
    qtbot.waitUntil(held.reached.is_set)
    progress = window.findChild(QProgressDialog)
    assert progress is not None
    qtbot.waitUntil(lambda: "2 document(s) read" in progress.labelText())
    press_cancel(progress, qtbot)
    held.gate.set()
    qtbot.waitUntil(lambda: run.done)

    assert titles(window) == [] and run.report.imported == []
    assert run.report.cancelled == 2 and held.calls == [[files[0]]]
    shown = last_report(window)
    assert f"Cancelled while reading {files[0]}: nothing of it was imported." in shown
    assert "Cancelled: 1 file(s) were not read." in shown


def test_import_menu_asks_for_files_and_a_format(
    workspace: Workspace,
    open_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
) -> None:
    window = open_window(workspace)
    file = str(sorted(BUNDLED_SAMPLES.glob("*.txt"))[0])
    monkeypatch.setattr(QFileDialog, "getOpenFileNames", staticmethod(lambda *a, **k: ([file], "")))
    asked: list[list[str]] = []

    def get_item(*args: object, **kwargs: object) -> tuple[str, bool]:
        asked.append(list(args[3]))  # type: ignore[call-overload]
        return "txt", True

    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(get_item))
    window.session.actions["import"].trigger()
    wait_imported(qtbot, window)

    assert asked[0][0] == transfer.DETECT and "jsonl" in asked[0]
    wait_open(qtbot, window)
    assert len(titles(window)) == 1


def test_import_and_export_keys_are_taken_once() -> None:
    assert SHORTCUTS["import"] == ("Ctrl+O",)
    assert SHORTCUTS["export"] == ("Ctrl+Shift+E",)
    keys = [QKeySequence(k).toString() for ks in SHORTCUTS.values() for k in ks]
    assert len(keys) == len(set(keys))


@pytest.fixture
def tagged(sample_workspace: Workspace) -> Workspace:
    """The samples with a PERSON and an ORG span in the harbour article."""
    summary = next(s for s in documents.documents(sample_workspace) if "Harbour" in s.title)
    text = documents.document(sample_workspace, summary.id).text
    for word, label in (("Margit Ekholm", "PERSON"), ("Port Eldmoor Harbour Authority", "ORG")):
        start = text.index(word)
        spans.add_span(sample_workspace, summary.id, start, start + len(word), label)
    return sample_workspace


def checked(dialog: ExportDialog, *labels: str) -> None:
    for row in range(dialog.labels.count()):
        item = dialog.labels.item(row)
        if item.text() in labels:
            item.setCheckState(Qt.CheckState.Checked)


def test_export_with_a_label_filter_writes_only_those_labels(
    tagged: Workspace, open_window: Callable[..., MainWindow], tmp_path: Path, qtbot: QtBot
) -> None:
    window = open_window(tagged)
    dialog = ExportDialog(window.session)
    qtbot.addWidget(dialog)
    assert "jsonl" in exportable()
    dialog.format.setCurrentIndex(dialog.format.findData("jsonl"))
    checked(dialog, "PERSON")
    out = tmp_path / "out.jsonl"
    dialog.destination.setText(str(out))
    assert dialog.selection().labels == frozenset({"PERSON"})

    dialog.accept()

    rows = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert len(rows) == 3
    labels = [span["label"] for row in rows for span in row["spans"]]
    assert labels == ["PERSON"]
    shown = last_report(window)
    assert "Exported 3 document(s)" in shown
    assert "left out 1 ORG span(s): label not selected" in shown
    assert "manifest:" in shown


def test_a_split_export_writes_train_dev_and_test(
    tagged: Workspace, open_window: Callable[..., MainWindow], tmp_path: Path, qtbot: QtBot
) -> None:
    window = open_window(tagged)
    dialog = ExportDialog(window.session)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("jsonl"))
    dialog.split.setChecked(True)
    dialog.train.setValue(34)
    dialog.dev.setValue(33)
    dialog.test.setValue(33)
    dialog.seed.setValue(7)
    assert dialog.into_folder()
    out = tmp_path / "split"
    dialog.destination.setText(str(out))

    dialog.accept()

    for name in ("train", "dev", "test"):
        assert (out / f"{name}.jsonl").is_file()
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["split"]["seed"] == 7
    assert sum(len(ids) for ids in manifest["documents"].values()) == 3
    assert "documents per split: train 1, dev 1, test 1" in last_report(window)


def test_a_bad_split_is_refused_and_writes_nothing(
    tagged: Workspace, open_window: Callable[..., MainWindow], tmp_path: Path, qtbot: QtBot
) -> None:
    window = open_window(tagged)
    failures: list[str] = []
    window.hub.failed.connect(failures.append)
    dialog = ExportDialog(window.session)
    qtbot.addWidget(dialog)
    dialog.split.setChecked(True)
    dialog.train.setValue(90)  # 90 + 10 + 10
    dialog.destination.setText(str(tmp_path / "split"))

    dialog.accept()

    assert failures and "add up to" in failures[0]
    assert not (tmp_path / "split").exists()


def test_a_cancelled_export_leaves_nothing(
    tagged: Workspace,
    open_window: Callable[..., MainWindow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    window = open_window(tagged)
    monkeypatch.setattr(QProgressDialog, "wasCanceled", lambda self: True)
    out = tmp_path / "exports" / "out.jsonl"

    assert run_export(window.session, "jsonl", out) is None

    assert not out.exists()
    assert list(out.parent.iterdir()) == []
    assert "cancelled" in window.statusBar().currentMessage()


def _broken_spacy(path: Path) -> Path:
    """A ``.spacy`` file whose table lacks its ``attrs``: spaCy raised ``KeyError`` on it."""
    import zlib

    import srsly

    path.write_bytes(zlib.compress(srsly.msgpack_dumps({"tokens": b"", "lengths": b""})))
    return path


def test_a_malformed_file_among_several_is_listed_and_the_others_imported(
    workspace: Workspace,
    open_window: Callable[..., MainWindow],
    tmp_path: Path,
    qtbot: QtBot,
) -> None:
    pytest.importorskip("spacy")
    window = open_window(workspace)
    first = tmp_path / "a.jsonl"
    first.write_text(json.dumps({"text": "The first article."}) + "\n", encoding="utf-8")
    broken = _broken_spacy(tmp_path / "b.spacy")
    last = tmp_path / "c.jsonl"
    last.write_text(json.dumps({"text": "The last article."}) + "\n", encoding="utf-8")

    report = run_import(window.session, [first, broken, last], wait=True).report
    wait_open(qtbot, window)

    assert sorted(titles(window)) == ["The first article.", "The last article."]
    assert [error.source for error in report.errors] == [str(broken)]
    shown = last_report(window)
    assert "Imported 2 document(s)" in shown and "1 file(s) refused" in shown
    assert f"{broken}: not a spaCy DocBin file (missing attrs" in shown


def test_an_unforeseen_failure_refuses_that_file_and_the_summary_still_shows(
    workspace: Workspace,
    open_window: Callable[..., MainWindow],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    qtbot: QtBot,
) -> None:
    window = open_window(workspace)
    files = []
    for name in ("a", "b", "c"):
        files.append(tmp_path / f"{name}.txt")
        files[-1].write_text(f"Article {name}.", encoding="utf-8")

    def failing_on_b(ws: Workspace, paths: list[Path], **options: object) -> ImportReport:
        if paths[0].name == "b.txt":
            raise KeyError("attrs")
        return import_paths(ws, paths, **options)  # type: ignore[arg-type]

    monkeypatch.setattr("app.gui.transfer.transfer.import_paths", failing_on_b)

    report = run_import(window.session, files, wait=True).report
    wait_open(qtbot, window)

    assert sorted(titles(window)) == ["Article a.", "Article c."]
    assert [error.describe() for error in report.errors] == [
        f"{files[1]}: not imported: KeyError: 'attrs'"
    ]
    assert f"{files[1]}: not imported: KeyError" in last_report(window)


def test_the_summary_says_which_program_found_a_pages_text(
    workspace: Workspace, open_window: Callable[..., MainWindow], tmp_path: Path
) -> None:
    window = open_window(workspace)
    page = tmp_path / "page.html"
    page.write_text("<html><body><article><p>Ann Varga said yes.</p></article></body></html>")

    report = run_import(window.session, [page], wait=True).report

    assert report.ok and len(report.extractors) == 1
    (extractor,) = report.extractors
    assert f"HTML text extracted by {extractor} (1 file(s))" in last_report(window)


def test_the_export_dialog_writes_a_discontinuous_span_as_its_covering_range(
    sample_workspace: Workspace,
    open_window: Callable[..., MainWindow],
    tmp_path: Path,
    qtbot: QtBot,
) -> None:
    document = documents.documents(sample_workspace)[0].id
    quote = spans.add_span(sample_workspace, document, 0, 7, "QUOTE").added[0]
    span_edits.add_fragment(sample_workspace, quote.id, 12, 20)
    window = open_window(sample_workspace)
    dialog = ExportDialog(window.session)
    qtbot.addWidget(dialog)
    dialog.format.setCurrentIndex(dialog.format.findData("doccano"))
    dialog.fragments.setCurrentIndex(dialog.fragments.findData("cover"))
    out = tmp_path / "out.jsonl"
    dialog.destination.setText(str(out))

    dialog.accept()

    manifest = json.loads((tmp_path / "out.jsonl.manifest.json").read_text(encoding="utf-8"))
    assert manifest["discontinuous_spans"] == {"written_as": "covering range", "covered": 1}
    assert "covering range" in last_report(window)
