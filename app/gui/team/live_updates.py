"""Seeing others' changes: View > Refresh (F5), and a quiet look every few seconds.

On a shared database the window reads the change feed (the events committed since the last
one it saw) on a worker thread, so a slow server never freezes it; when someone else changed
something it reloads the document list, the label schema when it was edited, and the open
document (read on a worker thread, shown again only if it differs), keeping the scroll
position and the selected span. It waits while the user is in the middle of
something (a drag, a link being picked, a text selection about to be tagged, typing in a
field, a dialog) and loads what arrived at the first look after.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Protocol

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QStatusBar, QTextEdit

from app.core.errors import GlossaError
from app.gui.session import Session
from app.gui.widgets.background import Background
from app.services import Workspace
from app.services.feed import ChangeFeed, FeedEvent, by_others, schema_changed
from app.services.live import connection_problem

if TYPE_CHECKING:
    from app.gui.annotating.annotation_panel import AnnotationPanel
    from app.gui.annotating.article_header import ArticleHeader
    from app.gui.annotating.article_view import ArticleView
    from app.gui.annotating.document_list import DocumentList
    from app.gui.annotating.find_bar import FindBar
    from app.gui.annotating.layers import Layers
    from app.gui.annotating.linking import Linker
    from app.gui.hub import ChangeHub
    from app.gui.models.documents import DocumentListModel
    from app.gui.models.open_document import OpenDocument


class KeptInStep(Protocol):
    """What of the window others' changes are loaded into: the document list, the open
    document, and the parts that tell whether the user is busy."""

    session: Session
    article: ArticleView
    current_document: OpenDocument
    workspace: Workspace
    hub: ChangeHub
    linker: Linker
    header: ArticleHeader
    find_bar: FindBar
    panel: AnnotationPanel
    document_list: DocumentList
    documents: DocumentListModel
    layers: Layers

    @property
    def document_id(self) -> int | None: ...

    def reload_document(
        self, *, wait: bool = False, again: bool = False, then: Callable[[], object] | None = None
    ) -> None: ...

    def isVisible(self) -> bool: ...

    def statusBar(self) -> QStatusBar: ...

    def resume(self) -> None: ...

    def _update_progress(self) -> None: ...

    def _show_schema_changes(self) -> None: ...


POLL_MS = 3000


class LiveUpdates(QObject):
    """Keeps one window in step with changes others make to its database."""

    def __init__(self, window: KeptInStep, interval_ms: int = POLL_MS) -> None:
        super().__init__(window.session.parent)
        self.window = window
        self.reloads = 0
        """How many times others' changes were loaded (for the status bar and tests)."""
        self.feed = self._feed()
        self.news = False
        """Others changed something that is not loaded yet (the user was busy)."""
        self.schema_news = False
        self.background = Background(self)
        self.background.finished.connect(self._arrived)
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        if interval_ms > 0:  # 0: only on request (F5)
            self.timer.start()

    def set_interval(self, interval_ms: int) -> None:
        """Look every ``interval_ms`` from now on (never, when 0)."""
        self.timer.stop()
        self.timer.setInterval(interval_ms)
        if interval_ms > 0:
            self.timer.start()

    def _feed(self) -> ChangeFeed:
        try:
            return ChangeFeed(self.window.workspace)
        except GlossaError:  # a server gone for a moment: start from the first event
            return ChangeFeed(self.window.workspace, 0)

    def _news(self) -> tuple[FeedEvent, ...] | None:
        """What others committed since the last look, or None when the database cannot be
        read right now."""
        try:
            events = self.feed.read_all()
        except GlossaError:  # a server gone for a moment: try again at the next look
            return None
        return by_others(events, self.window.workspace.annotator)

    def busy(self) -> bool:
        """True while reloading would get in the user's way."""
        window = self.window
        if QApplication.mouseButtons() != Qt.MouseButton.NoButton:
            return True  # a drag or a selection under way
        if QApplication.activeModalWidget() is not None or QApplication.activePopupWidget():
            return True
        if window.linker.active or window.header.editing:
            return True
        if window.article.selected_range() is not None:
            return True  # text chosen, a label key about to be pressed
        focus = QApplication.focusWidget()
        if not isinstance(focus, QLineEdit | QTextEdit | QPlainTextEdit) or focus.isReadOnly():
            return False
        # typing in the find bar, an attribute, the document's details: reopening the
        # article would take those away (typing in the document filter is not disturbed)
        return any(
            part.isAncestorOf(focus) for part in (window.find_bar, window.panel, window.header)
        )

    @property
    def reading(self) -> bool:
        """True while the feed is being read on a worker thread."""
        return self.background.busy

    def poll(self) -> None:
        """Look for others' changes on a worker thread; load what arrived before, unless
        the user is busy. A server gone for a moment is tried again at the next look."""
        if not self.window.isVisible():
            return
        self._load_news()
        if not self.background.busy:
            self.background.run(self.feed.read_all)

    def _arrived(self, events: tuple[FeedEvent, ...]) -> None:
        news = by_others(events, self.window.workspace.annotator)
        self.news = self.news or bool(news)  # only our own actions are no news
        self.schema_news = self.schema_news or schema_changed(news)
        self._load_news()

    def _load_news(self) -> None:
        if not self.news or not self.window.isVisible() or self.busy():
            return
        if self.schema_news:
            self._read_schema()
        if self._reload_reporting(quiet=True):
            self.news = self.schema_news = False

    def refresh(self) -> None:
        """View > Refresh: reload now, whatever changed."""
        self.background.cancel()  # what it brings is loaded now anyway
        self.news = self.schema_news = False
        self._news()
        self._read_schema()
        self._reload_reporting(quiet=False, force=True)

    def _read_schema(self) -> None:
        """Show the label schema as stored now (a colleague may have edited it)."""
        window = self.window
        before = window.workspace.schema
        try:
            schema = window.workspace.refresh_schema()
        except GlossaError:  # a server gone for a moment: the next look tries again
            return
        if schema != before:
            window._show_schema_changes()

    def _reload_reporting(self, *, quiet: bool, force: bool = False) -> bool:
        focus = QApplication.focusWidget()
        try:
            self.reload(quiet=quiet, force=force)
        except GlossaError as exc:  # the server went away: say so, and try at the next look
            problem = connection_problem(exc)
            self.window.statusBar().showMessage(f"Cannot reload: {problem}", 8000)
            return False
        finally:
            if quiet and focus is not None and self.window.document_list.isAncestorOf(focus):
                focus.setFocus()  # opening the article takes the focus: give it back
        return True

    def reload(self, *, quiet: bool, force: bool = False) -> None:
        """Reload the document list, and the open document when it changed."""
        window = self.window
        summaries = window.workspace.documents()
        if summaries != window.documents.summaries():
            window.documents.reset(summaries)
            window._update_progress()
        document_id = window.document_id
        if document_id is None or document_id not in {s.id for s in summaries}:
            window.current_document.clear()  # none open, or deleted meanwhile
            if summaries:
                window.resume()
        else:
            window.reload_document(again=force)
        if window.document_id is not None:
            window.document_list.show_current(window.document_id)
        self.reloads += 1
        window.hub.reloaded.emit()
        message = "Others' changes loaded." if quiet else "Reloaded from the database."
        window.statusBar().showMessage(message, 4000)


def install_live_updates(window: KeptInStep, interval_ms: int = POLL_MS) -> LiveUpdates:
    """View > Refresh (F5) and the quiet look every ``interval_ms`` for others' changes
    (never, when 0)."""
    live = getattr(window, "live_updates", None)
    if isinstance(live, LiveUpdates):  # installed already: only the interval changes
        live.set_interval(interval_ms)
        return live
    live = LiveUpdates(window, interval_ms)
    window.session.actions.bind("refresh", live.refresh)
    return live
