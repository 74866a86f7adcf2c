"""Review > Train model: the model trains on a worker thread while the window's event loop
goes on, and its held-out figures are shown in a message."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from PySide6.QtCore import QCoreApplication, QTimer
from pytestqt.qtbot import QtBot

from app.gui.figures import model_training
from app.gui.figures.model_training import ModelTraining
from app.gui.window.main_window import MainWindow
from app.services import ChangeSet, Workspace, spans
from app.services import documents as documents_service
from app.services.importing import import_paths
from app.services.training import current_model
from tests.generated_news import write_project


def project(tmp_path: Path, documents: int) -> Workspace:
    workspace = Workspace.open(str(tmp_path / "g.db"), "ana", samples=False)
    import_paths(workspace, [write_project(tmp_path / "news.jsonl", documents, sentences=3)])
    return workspace


def test_the_window_goes_on_while_the_model_trains(
    qtbot: QtBot, tmp_path: Path, open_window: Callable[..., MainWindow]
) -> None:
    workspace = project(tmp_path, 12)
    window = open_window(workspace)
    training = window.findChild(ModelTraining)
    assert training is not None
    training.passes = 2
    ticks: list[bool] = []
    timer = QTimer(window)
    timer.timeout.connect(lambda: ticks.append(training.busy))
    timer.start(1)

    window.session.actions["train_model"].trigger()

    assert training.busy  # the trigger returned at once: the training runs elsewhere
    training.start()
    assert training.message is not None and "still training" in training.message.text()
    qtbot.waitUntil(lambda: not training.busy, timeout=120_000)
    timer.stop()
    assert sum(ticks) >= 3  # the event loop ran the timer while the model trained
    assert training.message is not None and training.message.isVisible()
    shown = training.message.text()
    assert "model 1:" in shown and "Held-out figures" in shown
    assert "PERSON" in shown and "GPE" in shown and "Baseline" in shown
    card = current_model(workspace)
    assert card is not None and card.source == "documents of annotator ana"
    assert window.statusBar().currentMessage() == "Model 1 trained"
    workspace.close()


def test_too_few_documents_are_said_in_the_message(
    qtbot: QtBot, tmp_path: Path, open_window: Callable[..., MainWindow]
) -> None:
    workspace = project(tmp_path, 3)
    window = open_window(workspace)
    training = window.findChild(ModelTraining)
    assert training is not None

    window.session.actions["train_model"].trigger()

    qtbot.waitUntil(lambda: not training.busy, timeout=60_000)
    assert training.message is not None
    assert "too few annotated documents" in training.message.text()
    assert current_model(workspace) is None
    workspace.close()


def test_quitting_ends_a_training_under_way_and_keeps_no_half_model(
    qtbot: QtBot, tmp_path: Path, open_window: Callable[..., MainWindow]
) -> None:
    workspace = project(tmp_path, 40)
    window = open_window(workspace)
    training = window.findChild(ModelTraining)
    assert training is not None
    training.passes = 50
    window.session.actions["train_model"].trigger()
    future = training.background.future
    assert future is not None
    # the shared workers may still be busy with an earlier view's figures: quit once it runs
    qtbot.waitUntil(lambda: future.running() or future.done(), timeout=60_000)

    QCoreApplication.instance().aboutToQuit.emit()  # what quitting the application does

    assert not training.busy  # nobody waits for it any more
    qtbot.waitUntil(future.done, timeout=60_000)  # the child process was ended
    error = future.exception()
    assert error is not None and "the training was stopped" in str(error)
    assert current_model(workspace) is None
    workspace.close()


def test_a_project_with_a_model_is_retrained_as_spans_are_made(
    qtbot: QtBot,
    tmp_path: Path,
    open_window: Callable[..., MainWindow],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(model_training, "RETRAIN_AFTER", 3)
    workspace = project(tmp_path, 12)
    window = open_window(workspace)
    training = window.findChild(ModelTraining)
    assert training is not None
    training.passes = 2
    document = documents_service.documents(workspace)[0].id
    assert len(documents_service.document(workspace, document).text) > 43

    # no model yet: spans made do not start one (training is asked for the first time)
    for start in (0, 5, 10):
        window.hub.changed.emit(spans.add_span(workspace, document, start, start + 3, "ORG"))
    assert not training.busy and current_model(workspace) is None

    window.session.actions["train_model"].trigger()
    qtbot.waitUntil(lambda: not training.busy, timeout=120_000)
    first = current_model(workspace)
    assert first is not None and first.version == 1
    assert training.message is not None
    training.message.close()

    window.hub.changed.emit(ChangeSet(document))  # nothing made: nothing counted
    for start in (20, 30):
        window.hub.changed.emit(spans.add_span(workspace, document, start, start + 3, "ORG"))
    assert not training.busy
    window.hub.changed.emit(spans.add_span(workspace, document, 40, 43, "ORG"))
    assert training.busy  # the third span since the model: retrained by itself
    qtbot.waitUntil(lambda: not training.busy, timeout=120_000)
    assert current_model(workspace).version == 2  # type: ignore[union-attr]
    assert not training.message.isVisible()  # nobody asked: only the status bar says so
    assert window.statusBar().currentMessage().startswith("Model 2 retrained")
    workspace.close()
