"""File > Merge colleague's work…: pick a file, name the work when needed, see it merged."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFileDialog, QInputDialog, QMessageBox, QProgressDialog
from pytestqt.qtbot import QtBot

from app.gui.annotating.layers import LayerChoice, Mode
from app.gui.team import merge_dialog
from app.gui.team.merge_dialog import install_merge
from app.gui.transfer.transfer import ReportDialog
from app.gui.window.main_window import MainWindow
from app.services import Workspace, documents, spans
from app.services.merging import merge_path
from tests.gui.support import FESTIVAL, wait_open

MERGE_KEYS = (Qt.Key.Key_M, Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.ShiftModifier)


def merge_done(qtbot: QtBot) -> None:
    """Wait until the merge under way is over."""
    qtbot.waitUntil(lambda: not merge_dialog.UNDER_WAY, timeout=10000)


def choose_file(monkeypatch: pytest.MonkeyPatch, path: Path) -> None:
    monkeypatch.setattr(
        QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(path), ""))
    )


def bob_on_the_samples(folder: Path) -> tuple[Path, int, int]:
    """Bob's own database of the sample articles, with a span on the festival article.

    Returns the file, the span's start and its end.
    """
    folder.mkdir()
    bob = Workspace.open(str(folder / "bob.db"), "bob")
    try:
        festival = next(s for s in documents.documents(bob) if s.title == FESTIVAL)
        text = documents.document(bob, festival.id).text
        start = text.index("Lindqvist")
        spans.add_span(bob, festival.id, start, start + len("Lindqvist"), "PERSON")
    finally:
        bob.close()
    return folder / "bob.db", start, start + len("Lindqvist")


def test_ctrl_shift_m_merges_a_database_and_shows_it(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    install_merge(window.session)
    window.layers.show_layers(LayerChoice(Mode.OVERLAID))
    source, start, end = bob_on_the_samples(tmp_path / "bob")
    choose_file(monkeypatch, source)

    qtbot.keyClick(window, *MERGE_KEYS)
    merge_done(qtbot)
    wait_open(qtbot, window)

    [report] = window.findChildren(ReportDialog)
    assert report.heading.text().startswith("merged 1 span(s) and 0 relation(s)")
    assert "3 document(s) matched, 0 added" in report.heading.text()
    shown = [s for s in window.article.spans_at(start) if s.annotator == "bob"]
    assert [(s.start, s.end, s.label) for s in shown] == [(start, end, "PERSON")]
    assert window.document_id is not None
    assert window.documents.summary(window.document_id).span_count == 1  # type: ignore[union-attr]
    assert "Merge colleague's work…" in [
        a.text().replace("&", "") for a in window.session.actions.menu("File").actions()
    ]


def test_a_jsonl_export_without_names_asks_whose_work_it_is(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    install_merge(window.session)
    assert window.document is not None
    export = tmp_path / "carol.jsonl"
    span = {"id": "1", "start": 0, "end": 5, "label": "ORG"}
    export.write_text(json.dumps({"text": window.document.text, "spans": [span]}) + "\n", "utf-8")
    choose_file(monkeypatch, export)
    asked: list[str] = []

    def get_text(_parent: Any, _title: str, label: str, *_a: Any) -> tuple[str, bool]:
        asked.append(label)
        return " carol ", True

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))

    qtbot.keyClick(window, *MERGE_KEYS)
    merge_done(qtbot)

    assert len(asked) == 1 and "name no annotator" in asked[0]
    wait_open(qtbot, window)
    merged = spans.spans(window.workspace, window.document.id)
    assert [(s.start, s.end, s.annotator) for s in merged] == [(0, 5, "carol")]
    assert window.documents.summary(window.document.id).span_count == 1  # type: ignore[union-attr]


def test_cancelling_the_name_merges_nothing(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    install_merge(window.session)
    source = tmp_path / "mine-elsewhere"
    source.mkdir()
    mine = Workspace.open(str(source / "laptop.db"), "tester")
    festival = next(s.id for s in documents.documents(mine) if s.title == FESTIVAL)
    spans.add_span(mine, festival, 0, 5, "ORG")
    mine.close()
    choose_file(monkeypatch, source / "laptop.db")
    asked: list[str] = []

    def get_text(_parent: Any, _title: str, label: str, *_a: Any) -> tuple[str, bool]:
        asked.append(label)
        return "", False

    monkeypatch.setattr(QInputDialog, "getText", staticmethod(get_text))

    qtbot.keyClick(window, *MERGE_KEYS)
    merge_done(qtbot)

    assert len(asked) == 1 and "'tester'" in asked[0] and "your own" in asked[0]
    assert (
        window.document_id is not None and spans.spans(window.workspace, window.document_id) == []
    )
    assert window.statusBar().currentMessage() == "Merge cancelled; nothing changed."
    assert window.findChildren(ReportDialog) == []


def test_a_broken_file_is_refused_with_its_name(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    install_merge(window.session)
    broken = tmp_path / "broken.db"
    broken.write_bytes(b"\x00not sqlite at all" * 200)
    choose_file(monkeypatch, broken)
    before = window.documents.summaries()

    qtbot.keyClick(window, *MERGE_KEYS)
    merge_done(qtbot)

    [box] = [b for b in window.findChildren(QMessageBox) if b.isVisible()]
    assert "Nothing was merged" in box.text() and str(broken) in box.text()
    assert "not a Glossa database" in box.text()
    assert window.documents.summaries() == before


def test_a_doccano_export_merges_with_the_labels_it_brings(
    window: MainWindow, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    install_merge(window.session)
    assert window.document is not None
    text = window.document.text
    export = tmp_path / "dana.jsonl"
    line = {"text": text, "label": [[0, 5, "Venue"]], "user": "dana"}
    export.write_text(json.dumps(line) + "\n", "utf-8")
    choose_file(monkeypatch, export)
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a: ("dana", True)))

    qtbot.keyClick(window, *MERGE_KEYS)
    merge_done(qtbot)

    [report] = window.findChildren(ReportDialog)
    assert report.heading.text().startswith("merged 1 span(s)")
    merged = spans.spans(window.workspace, window.document.id)
    assert [(s.start, s.end, s.label, s.annotator) for s in merged] == [(0, 5, "Venue", "dana")]
    assert window.workspace.schema.label("Venue") is not None


def test_the_window_answers_while_a_merge_runs(
    window: MainWindow,
    qtbot: QtBot,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    ticks: list[int],
) -> None:
    install_merge(window.session)
    source, _, _ = bob_on_the_samples(tmp_path / "bob")
    choose_file(monkeypatch, source)
    gate, reached = threading.Event(), threading.Event()

    def held(*args: Any, **kwargs: Any) -> Any:
        reached.set()
        assert gate.wait(10), "never let go"
        return merge_path(*args, **kwargs)

    monkeypatch.setattr(merge_dialog, "merge_path", held)

    qtbot.keyClick(window, *MERGE_KEYS)
    qtbot.waitUntil(reached.is_set)
    before = len(ticks)
    qtbot.waitUntil(lambda: len(ticks) > before + 3)  # the event loop turns meanwhile

    progress = window.findChild(QProgressDialog)
    assert progress is not None and progress.isVisible()
    assert "Merging bob.db" in progress.labelText()
    assert window.findChildren(ReportDialog) == []
    gate.set()
    merge_done(qtbot)
    [report] = window.findChildren(ReportDialog)
    assert report.heading.text().startswith("merged 1 span(s)")
