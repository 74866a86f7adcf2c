"""Undoing a schema edit from the undo stack: all of it comes back, or none of it."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest
from PySide6.QtGui import QUndoStack
from pytestqt.qtbot import QtBot

from app.core.errors import NotFoundError
from app.gui.commands import EditSchema
from app.gui.hub import ChangeHub
from app.services import ChangeSet, Workspace, documents, spans
from app.store.repositories.spans import Spans


def test_an_undo_that_fails_midway_is_reported_and_restores_nothing(
    sample_workspace: Workspace, qtbot: QtBot, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = sample_workspace
    document = documents.documents(ws)[0].id
    for start in (0, 4, 8):
        spans.add_span(ws, document, start, start + 3, "CUE")
    old = ws.schema
    labels = tuple(label for label in old.labels if label.name != "CUE")
    relations = tuple(kind for kind in old.relations if "CUE" not in kind.tails)
    hub = ChangeHub()
    failures: list[str] = []
    announced: list[ChangeSet] = []
    hub.failed.connect(failures.append)
    hub.changed.connect(announced.append)
    stack = QUndoStack()
    stack.push(
        EditSchema(ws, hub, replace(old, labels=labels, relations=relations), delete_used=True)
    )
    assert spans.spans(ws, document) == []
    real_add = Spans.add
    calls: list[Any] = []

    def add_then_fail(self: Spans, *args: Any, **kwargs: Any) -> int:
        calls.append(args)
        if len(calls) > 1:
            raise NotFoundError(f"no document with id {document}")
        return real_add(self, *args, **kwargs)

    monkeypatch.setattr(Spans, "add", add_then_fail)
    announced.clear()

    stack.undo()

    assert len(calls) == 2
    assert failures == [f"Edit schema: no document with id {document}"]
    assert announced == []
    assert spans.spans(ws, document) == []
    assert ws.schema.label("CUE") is None
    fresh = Workspace.open(ws.database.url, "tester")
    try:
        assert fresh.schema.label("CUE") is None
        assert spans.spans(fresh, document) == []
    finally:
        fresh.close()
