"""What a feature of the window works with: the session, not the window.

A feature (the review table, the dashboard, span editing…) is handed one ``Session`` and the
one or two collaborators it truly needs, by name. It never sees the main window: the window
builds the session and then the features, so a feature can be built and tried on a bare
widget just as well.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QSettings, Qt
from PySide6.QtGui import QUndoStack
from PySide6.QtWidgets import QDockWidget, QMainWindow, QStatusBar, QWidget

from app.core.annotations import Document
from app.gui.actions import Actions
from app.gui.hub import ChangeHub
from app.gui.models.open_document import OpenDocument
from app.services import Workspace

if TYPE_CHECKING:
    from app.gui.annotating.article_view import ArticleView


class Session:
    """One annotator's work on one workspace, as the window's features see it."""

    def __init__(
        self,
        *,
        workspace: Workspace,
        hub: ChangeHub,
        undo_stack: QUndoStack,
        settings: QSettings,
        actions: Actions,
        parent: QWidget,
        status_bar: QStatusBar,
        article: ArticleView,
        current_document: OpenDocument,
        open_document: Callable[..., None],
        reload_document: Callable[..., None],
        resume: Callable[[], None],
        colours: Callable[[], dict[str, str]],
    ) -> None:
        self.workspace = workspace
        self.hub = hub
        self.undo_stack = undo_stack
        self.settings = settings
        self.actions = actions
        self.parent = parent
        """What dialogs, docks and the features' own objects hang from."""
        self.status_bar = status_bar
        """Where ``say`` speaks; a feature may keep a lasting word there (a count)."""
        self.article = article
        self.current_document = current_document
        """The open document's model: its spans, relations and layers, and signals when it
        is opened or changes."""
        self._open_document = open_document
        self._reload_document = reload_document
        self._resume = resume
        self._colours = colours

    # -- the open document -------------------------------------------------------------

    @property
    def document(self) -> Document | None:
        """The open document (None before any is opened)."""
        return self.current_document.document

    @property
    def document_id(self) -> int | None:
        """The open document's id."""
        return self.current_document.document_id

    def open_document(
        self,
        document_id: int,
        scroll: int = 0,
        *,
        wait: bool = False,
        then: Callable[[], object] | None = None,
    ) -> None:
        """Show a document, scrolled to code point ``scroll`` (read on a worker thread, or
        before returning with ``wait``: for a window not shown yet); then ``then()``, once
        it is shown (at once if it is open)."""
        self._open_document(document_id, scroll, wait=wait, then=then)

    def reload_document(
        self, *, again: bool = False, then: Callable[[], object] | None = None
    ) -> None:
        """Read the open document again, keeping the scroll position and selected span; with
        ``again`` show it even when nothing differs; then ``then()``."""
        self._reload_document(again=again, then=then)

    def resume(self) -> None:
        """Open where the annotator stopped (after an import into an empty window)."""
        self._resume()

    @property
    def colours(self) -> dict[str, str]:
        """Each label's colour in the schema as it is now."""
        return self._colours()

    # -- the window's frame ------------------------------------------------------------

    def say(self, message: str, ms: int = 0) -> None:
        """Tell the user ``message`` in the status bar, for ``ms`` (0: until the next)."""
        self.status_bar.showMessage(message, ms)

    def dock(self, dock: QDockWidget, area: Qt.DockWidgetArea) -> None:
        """Put ``dock`` at ``area`` of the window (on a bare widget: as its child)."""
        if isinstance(self.parent, QMainWindow):
            self.parent.addDockWidget(area, dock)
        else:
            dock.setParent(self.parent)


__all__ = ["Session"]
