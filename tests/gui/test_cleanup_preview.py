"""Importing scraped articles in the window: the clean-up shown first, applied file by file."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QWidget
from pytestqt.qtbot import QtBot

from app.gui.transfer import transfer
from app.gui.transfer.cleanup_preview import CleanupPreview, Found, cleanable
from app.gui.transfer.transfer import run_import
from app.gui.window.main_window import MainWindow
from app.services import Workspace
from app.services import documents as documents_service
from tests.conftest import BUNDLED_SAMPLES, REPO

SCRAPED = REPO / "resources" / "scraped" / "ferry-fares-scraped.txt"


@pytest.fixture(autouse=True)
def no_report(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(transfer, "show_report", lambda *args: None)


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    scraped = tmp_path / SCRAPED.name
    shutil.copy(SCRAPED, scraped)
    tidy = tmp_path / "tidy.txt"
    shutil.copy(sorted(BUNDLED_SAMPLES.glob("*.txt"))[0], tidy)
    return scraped, tidy


def asked(answer: set[Path] | None, seen: list[dict[Path, Found]]):  # type: ignore[no-untyped-def]
    def ask(parent: QWidget, found: dict[Path, Found]) -> set[Path] | None:
        seen.append(found)
        return answer

    return ask


def texts(workspace: Workspace) -> dict[str, str]:
    return {
        s.title: documents_service.document(workspace, s.id).text
        for s in documents_service.documents(workspace)
    }


def test_only_files_the_clean_up_would_change_are_shown(
    workspace: Workspace,
    open_window: Callable[..., MainWindow],
    files: tuple[Path, Path],
) -> None:
    scraped, tidy = files
    window = open_window(workspace)
    seen: list[dict[Path, Found]] = []
    run_import(window.session, [scraped, tidy], ask=asked({scraped}, seen), wait=True)
    assert list(seen[0]) == [scraped]
    documents = texts(workspace)
    assert len(documents) == 2
    cleaned = documents["Island ferry fares to rise 6% from April"]
    assert "ARTICLE AD BOX" not in cleaned and "Subscribe" not in cleaned
    first = next(
        s.id for s in documents_service.documents(workspace) if s.title.startswith("Island")
    )
    assert "ARTICLE AD BOX" in documents_service.document(workspace, first).meta["original_text"]


def test_an_unticked_file_is_imported_as_it_is(
    workspace: Workspace, open_window: Callable[..., MainWindow], files: tuple[Path, Path]
) -> None:
    scraped, _ = files
    window = open_window(workspace)
    run_import(window.session, [scraped], ask=asked(set(), []), wait=True)
    (text,) = texts(workspace).values()
    assert text.startswith("Skip to main content") and "ARTICLE AD BOX" in text


def test_cancelling_the_preview_imports_nothing(
    workspace: Workspace, open_window: Callable[..., MainWindow], files: tuple[Path, Path]
) -> None:
    window = open_window(workspace)
    report = run_import(window.session, list(files), ask=asked(None, []), wait=True).report
    assert documents_service.documents(workspace) == [] and not report.imported


def test_tidy_articles_and_other_formats_ask_nothing(
    workspace: Workspace, open_window: Callable[..., MainWindow], files: tuple[Path, Path]
) -> None:
    scraped, tidy = files
    window = open_window(workspace)
    seen: list[dict[Path, Found]] = []
    run_import(window.session, [tidy], ask=asked(set(), seen), wait=True)
    assert seen == []
    assert cleanable([scraped], "jsonl") == {}


def test_the_preview_shows_the_text_before_and_after_and_why(
    qtbot: QtBot, files: tuple[Path, Path]
) -> None:
    scraped, tidy = files
    found = cleanable([scraped, tidy], None)
    parent = QWidget()
    qtbot.addWidget(parent)
    dialog = CleanupPreview(parent, found)
    qtbot.addWidget(dialog)
    assert "ARTICLE AD BOX" in dialog.before.toPlainText()
    assert "ARTICLE AD BOX" not in dialog.after.toPlainText()
    assert "ARTICLE AD BOX" in dialog.changes.toPlainText()
    assert "author: Jonas Ekberg" in dialog.changes.toPlainText()
    assert dialog.chosen() == {scraped}
    item = dialog.files.item(0)
    assert item is not None
    item.setCheckState(Qt.CheckState.Unchecked)
    assert dialog.chosen() == set()
