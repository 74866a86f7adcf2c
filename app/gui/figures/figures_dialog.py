"""What View > Agreement and View > Dashboard share: figures computed on a worker thread
(``background``) and brought up to date once control returns to the event loop
(``_pending``). Closing the dialog in the middle of a computation drops it; showing the dialog
again does it again. One such dialog per window, following the annotations' changes.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from PySide6.QtCore import QTimer
from PySide6.QtGui import QHideEvent, QShowEvent
from PySide6.QtWidgets import QDialog, QWidget

from app.gui.session import Session
from app.gui.widgets.background import Background
from app.services import Workspace

Dialog = TypeVar("Dialog", bound="FiguresDialog")


class FiguresDialog(QDialog):
    """A dialog of figures computed off the GUI thread. A subclass connects
    ``_pending.timeout`` (catch up) and ``background.finished`` / ``failed`` (show)."""

    def __init__(self, workspace: Workspace, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.workspace = workspace
        self._pending = QTimer(self)
        self._pending.setSingleShot(True)
        self._pending.setInterval(0)
        self._interrupted = False
        self.background = Background(self)

    def on_changes(self) -> None:
        """Annotations changed (the user's, or others' just loaded): catch up once control
        returns to the event loop, if shown."""
        if self.isVisible():
            self._pending.start()

    def showEvent(self, event: QShowEvent) -> None:
        super().showEvent(event)
        if self._interrupted:  # hidden in the middle of a computation: do it again
            self._interrupted = False
            self._pending.start()

    def hideEvent(self, event: QHideEvent) -> None:
        # closed: nobody waits for the figures under way any more
        if self.background.busy:
            self.background.cancel()
            self._interrupted = True
        self._pending.stop()
        super().hideEvent(event)

    @property
    def computing(self) -> bool:
        """True while figures are being computed."""
        return self.background.busy


def open_figures(session: Session, kind: type[Dialog], renew: Callable[[Dialog], None]) -> Dialog:
    """Show the session's ``kind`` dialog: the open one (``renew``-ed first if hidden), or a
    new one following the annotations' changes."""
    dialog = session.parent.findChild(kind)
    if dialog is None:
        dialog = kind(session.workspace, session.parent)
        session.hub.changed.connect(dialog.on_changes)
        session.hub.reloaded.connect(dialog.on_changes)
    elif not dialog.isVisible():
        renew(dialog)
    dialog.show()
    dialog.raise_()
    dialog.activateWindow()
    return dialog
