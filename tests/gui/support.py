"""What GUI tests check against: UTF-16 positions counted independently, the database afresh."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from app.core.annotations import Relation, Span
from app.services import (
    Workspace,
    applying,
    bulk,
    documents,
    entities,
    metadata,
    relations,
    schema_edits,
    span_edits,
    spans,
)

if TYPE_CHECKING:
    from pytestqt.qtbot import QtBot

    from app.gui.window.main_window import MainWindow

FESTIVAL = "Cross-border festival draws record crowds 🎉"


def utf16(text: str, offset: int) -> int:
    """Qt position of code point ``offset``, counted independently of app.core.offsets."""
    return len(text[:offset].encode("utf-16-le")) // 2


def stored_spans(db_path: Path, document_id: int) -> list[Span]:
    """The spans of a document as a fresh connection to the database sees them."""
    fresh = Workspace.open(str(db_path), "tester")
    try:
        return spans.spans(fresh, document_id)
    finally:
        fresh.close()


def stored_text(db_path: Path, document_id: int) -> str:
    """The canonical text of a document, read afresh."""
    fresh = Workspace.open(str(db_path), "tester")
    try:
        return documents.document(fresh, document_id).text
    finally:
        fresh.close()


def stored_relations(db_path: Path, document_id: int) -> list[Relation]:
    """The relations of a document as a fresh connection to the database sees them."""
    fresh = Workspace.open(str(db_path), "tester")
    try:
        return spans.relations(fresh, document_id)
    finally:
        fresh.close()


def wait_open(qtbot: QtBot, window: MainWindow) -> None:
    """Wait until the document the window was last asked to open is read and shown: after
    done-and-next's write, the document list and where to resume are read."""

    def settled() -> bool:
        busy = window.steps.busy or window.shown.busy
        return not busy and window.current_document.pending is None

    qtbot.waitUntil(settled, timeout=5000)


def wait_imported(qtbot: QtBot, window: MainWindow) -> None:
    """Wait until an import the window started is done and its summary shown."""
    from app.gui.transfer.transfer import ReportDialog

    qtbot.waitUntil(lambda: bool(window.findChildren(ReportDialog)), timeout=10000)


def patch_action(
    monkeypatch: pytest.MonkeyPatch, workspace: Workspace, name: str, replacement: Any
) -> None:
    """Make the service function ``name`` call ``replacement`` (without the workspace) when
    it is called for ``workspace``; for any other workspace it works as before."""
    module = next(
        module
        for module in (
            *(documents, spans, applying, relations, span_edits),
            *(bulk, metadata, entities, schema_edits),
        )
        if getattr(getattr(module, name, None), "__module__", None) == module.__name__
    )
    original = getattr(module, name)

    def routed(target: Workspace, *args: Any, **kwargs: Any) -> Any:
        if target is workspace:
            return replacement(*args, **kwargs)
        return original(target, *args, **kwargs)

    monkeypatch.setattr(module, name, routed)
