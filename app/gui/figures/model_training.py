"""Review > Train model: the project's model trained in a child process (waited for on a
worker thread) while the window goes on, its held-out figures shown in a message when done.

It learns the spans of the annotator at work (or, for the annotator named gold, the gold
layer), as ``glossa train`` does; asking again while it trains only says so.

Once the project has a model, it is retrained by itself as annotations grow: after every
``RETRAIN_AFTER`` spans made in the window, in the background, the figures said in the status
bar rather than in a message (the user did not ask for them).
"""

from __future__ import annotations

import html
import threading

from PySide6.QtCore import QCoreApplication, QObject, Qt
from PySide6.QtWidgets import QMessageBox

from app.assist.model import ModelCard
from app.core.errors import GlossaError
from app.gui.session import Session
from app.gui.widgets.background import Background
from app.services import ChangeSet
from app.services.selection import GOLD_ANNOTATOR
from app.services.training import DEFAULT_PASSES, current_model, train

RETRAIN_AFTER = 50
"""Spans made in the window after which a project that has a model is retrained."""

HEADERS = ("Label", "Held out", "P", "R", "F1", "Baseline P", "R", "F1")


def figures_html(card: ModelCard) -> str:
    """The card's description and its held-out figures as a small HTML table."""
    head = "".join(
        f"<th align='{'left' if not i else 'right'}'>{html.escape(h)}</th>"
        for i, h in enumerate(HEADERS)
    )
    rows = "".join(
        "<tr>"
        + "".join(
            f"<td align='{'left' if not i else 'right'}'>{html.escape(str(cell))}</td>"
            for i, cell in enumerate(row)
        )
        + "</tr>"
        for row in card.rows()
    )
    return (
        f"<p>{html.escape(card.describe())}</p>"
        f"<p>Held-out figures (exact spans, %), against the most-frequent-label baseline:</p>"
        f"<table cellspacing='0' cellpadding='3'><tr>{head}</tr>{rows}</table>"
        f"<p>Confidence bands (held out): {html.escape(card.bands())}</p>"
    )


class ModelTraining(QObject):
    """Trains the project's model in the background for one window."""

    def __init__(self, session: Session) -> None:
        super().__init__(session.parent)
        self.session = session
        self.workspace = session.workspace
        self.passes = DEFAULT_PASSES
        self.made = 0
        """Spans made since the model was last trained."""
        self.quiet = False
        """The training under way was started by itself, not asked for."""
        self.background = Background(self)
        self.background.finished.connect(self._trained)
        self.background.failed.connect(self._failed)
        self.message: QMessageBox | None = None
        """The message showing the last outcome."""
        self.stopping = threading.Event()
        """Set when the application quits: a training under way is ended, not waited for
        (an event, not an attribute of this object: the worker thread reads it)."""
        application = QCoreApplication.instance()
        if application is not None:
            application.aboutToQuit.connect(self.stop)

    @property
    def busy(self) -> bool:
        return self.background.busy

    def grow(self, change: ChangeSet) -> None:
        """Count the spans a change made; retrain once enough were, if there is a model."""
        self.made += len(change.added)
        if self.made < RETRAIN_AFTER or self.busy:
            return
        self.made = 0
        if current_model(self.workspace) is not None:
            self.start(quiet=True)

    def start(self, quiet: bool = False) -> None:
        """Train on a worker thread; the figures are shown when it is done (only said in
        the status bar when ``quiet``)."""
        if self.busy:
            if not quiet:
                self._show(QMessageBox.Icon.Information, "The model is still training.")
            return
        self.quiet = quiet
        workspace, passes = self.workspace, self.passes
        gold = workspace.annotator == GOLD_ANNOTATOR
        self.stopping = stopping = threading.Event()
        self.background.run(
            lambda: train(workspace, gold=gold, passes=passes, apart=True, stop=stopping.is_set)
        )
        self._status("Training the model in the background…")

    def stop(self) -> None:
        """End a training under way (its child process); the previous model stays."""
        self.stopping.set()
        self.background.cancel()

    def _trained(self, card: ModelCard) -> None:
        self.made = 0
        if self.quiet:
            self._status(f"Model {card.version} retrained: {card.describe()}")
            return
        self._status(f"Model {card.version} trained")
        self._show(QMessageBox.Icon.Information, figures_html(card))

    def _failed(self, error: BaseException) -> None:
        self._status("The model was not trained")
        if self.quiet:  # nobody asked: the status bar says so, no message in the way
            return
        text = str(error) if isinstance(error, GlossaError) else f"training failed: {error!r}"
        self._show(QMessageBox.Icon.Warning, html.escape(text))

    def _status(self, text: str) -> None:
        self.session.say(text, 10_000)

    def _show(self, icon: QMessageBox.Icon, text: str) -> None:
        if self.message is not None:
            self.message.close()
        self.message = QMessageBox(icon, "Train model", text, parent=self.session.parent)
        self.message.setTextFormat(Qt.TextFormat.RichText)
        self.message.setModal(False)  # the window goes on while it is shown
        self.message.show()


def install_model_training(session: Session) -> ModelTraining:
    """Review > Train model…, and retraining after ``RETRAIN_AFTER`` spans made."""
    training = ModelTraining(session)
    session.actions.bind("train_model", training.start)
    session.hub.changed.connect(training.grow)
    return training
