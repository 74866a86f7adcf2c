"""Seeing others' changes: View > Refresh (F5), and a quiet look every few seconds.

On a shared database the window reads the change feed (the events committed since the last
one it saw) on a worker thread, so a slow server never freezes it; when someone else changed
something it reloads the document list (read on a worker thread too), the label schema when
it was edited, and the open document (read on a worker thread, shown again only if it
differs), keeping the scroll position and the selected span. It waits while the user is in
the middle of something (a drag, a link being picked, a text selection about to be tagged,
typing in a field, a dialog) and loads what arrived at the first look after.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject, Qt, QTimer
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

from app.core.annotations import DocumentSummary
from app.core.errors import GlossaError
from app.gui.session import Session
from app.gui.widgets.background import Background
from app.services.feed import ChangeFeed, FeedEvent, by_others, schema_changed
from app.services.live import connection_problem

if TYPE_CHECKING:
    from app.gui.annotating.article_header import ArticleHeader
    from app.gui.annotating.article_view import ArticleView
    from app.gui.annotating.document_list import DocumentList
    from app.gui.annotating.document_listing import DocumentListing
    from app.gui.annotating.linking import Linker


class UserBusy:
    """Tells whether the user is in the middle of something a reload would get in the way
    of: a drag, a dialog, a link being picked, the details being edited, text chosen for a
    label key, or typing in one of ``typing_in`` (the find bar, an attribute, the details)."""

    def __init__(
        self,
        article: ArticleView,
        linker: Linker,
        header: ArticleHeader,
        typing_in: tuple[QWidget, ...],
    ) -> None:
        self.article = article
        self.linker = linker
        self.header = header
        self.typing_in = typing_in

    def __call__(self) -> bool:
        if QApplication.mouseButtons() != Qt.MouseButton.NoButton:
            return True  # a drag or a selection under way
        if QApplication.activeModalWidget() is not None or QApplication.activePopupWidget():
            return True
        if self.linker.active or self.header.editing:
            return True
        if self.article.selected_range() is not None:
            return True  # text chosen, a label key about to be pressed
        focus = QApplication.focusWidget()
        if not isinstance(focus, QLineEdit | QTextEdit | QPlainTextEdit) or focus.isReadOnly():
            return False
        # reopening the article would take what is typed away (the document filter is not
        # disturbed: it is not one of these)
        return any(part.isAncestorOf(focus) for part in self.typing_in)


POLL_MS = 3000


class LiveUpdates(QObject):
    """Keeps one window in step with changes others make to its database."""

    def __init__(
        self,
        session: Session,
        document_list: DocumentList,
        *,
        busy: Callable[[], bool],
        listing: DocumentListing,
        interval_ms: int = POLL_MS,
    ) -> None:
        super().__init__(session.parent)
        self.session = session
        self.document_list = document_list
        """The document list (its model is listed afresh with each reload)."""
        self.busy = busy
        """True while reloading would get in the user's way."""
        self.listing = listing
        """Reads the document list, and the label schema, on a worker thread (and shows the
        schema when a colleague edited it)."""
        self.reloads = 0
        """How many times others' changes were loaded (for the status bar and tests)."""
        self.feed = self._feed()
        self.news = False
        """Others changed something that is not loaded yet (the user was busy)."""
        self.schema_news = False
        self.background = Background(self)
        self.background.finished.connect(self._arrived)
        self._listing = False  # a list asked for here is on its way
        self._quiet = True
        self._schema = False  # ...with the label schema
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
            return ChangeFeed(self.session.workspace)
        except GlossaError:  # a server gone for a moment: start from the first event
            return ChangeFeed(self.session.workspace, 0)

    def _news(self) -> tuple[FeedEvent, ...] | None:
        """What others committed since the last look, or None when the database cannot be
        read right now."""
        try:
            events = self.feed.read_all()
        except GlossaError:  # a server gone for a moment: try again at the next look
            return None
        return by_others(events, self.session.workspace.annotator)

    @property
    def reading(self) -> bool:
        """True while the feed or the document list is being read on a worker thread."""
        return self.background.busy or self._listing

    def _shown(self) -> bool:
        return self.session.parent.isVisible()

    def poll(self) -> None:
        """Look for others' changes on a worker thread; load what arrived before, unless
        the user is busy. A server gone for a moment is tried again at the next look."""
        if not self._shown():
            return
        self._load_news()
        if not self.background.busy:
            self.background.run(self.feed.read_all)

    def _arrived(self, events: tuple[FeedEvent, ...]) -> None:
        news = by_others(events, self.session.workspace.annotator)
        self.news = self.news or bool(news)  # only our own actions are no news
        self.schema_news = self.schema_news or schema_changed(news)
        self._load_news()

    def _load_news(self) -> None:
        if not self.news or self._listing or not self._shown() or self.busy():
            return
        schema = self.schema_news
        # what arrives while the list is read is news again, for the next look
        self.news = self.schema_news = False
        self._list(quiet=True, schema=schema)

    def refresh(self) -> None:
        """View > Refresh: reload now, whatever changed. The feed, the label schema and the
        document list are read on a worker thread, the window answering meanwhile."""
        self.background.cancel()  # what it brings is loaded now anyway
        self.news = self.schema_news = False
        self._list(quiet=False, schema=True, first=self._news)

    def _list(
        self, *, quiet: bool, schema: bool, first: Callable[[], object] | None = None
    ) -> None:
        """Read the document list (and the label schema, shown when a colleague edited it)
        on a worker thread, then reload (``_listed``)."""
        # a look and F5 under way together are answered once, as F5 (not quiet)
        self._quiet = quiet and (self._quiet or not self._listing)
        self._schema = schema or (self._schema and self._listing)
        waiting, self._listing = self._listing, True
        if waiting:  # what is under way is superseded, and its answer comes to us once
            self.listing.read(schema=schema, first=first)
        else:
            then, failed = self._listed, self._not_listed
            self.listing.read(schema=schema, first=first, then=then, failed=failed)

    def _not_listed(self, error: GlossaError) -> None:
        self._listing = False
        # the server went away: say so, and try at the next look (the schema too)
        self.news = self.news or self._quiet
        self.schema_news = self.schema_news or (self._quiet and self._schema)
        self.session.say(f"Cannot reload: {connection_problem(error)}", 8000)

    def _listed(self, summaries: list[DocumentSummary]) -> None:
        quiet, self._listing = self._quiet, False
        focus = QApplication.focusWidget()
        self.reload(summaries, quiet=quiet)  # where to resume is read off the thread too
        if quiet and focus is not None and self.document_list.isAncestorOf(focus):
            focus.setFocus()  # opening the article takes the focus: give it back

    def reload(self, summaries: list[DocumentSummary], *, quiet: bool) -> None:
        """Show the document list as ``summaries``, and read the open document again (the
        first one to resume when it was deleted or none was open); after F5 (not ``quiet``)
        show it afresh even when nothing read differs."""
        session, documents = self.session, self.document_list.model
        if summaries != documents.summaries():
            documents.reset(summaries)
        document_id = session.document_id
        if document_id is None or document_id not in {s.id for s in summaries}:
            session.current_document.clear()  # none open, or deleted meanwhile
            if summaries:
                session.resume()
        else:
            session.reload_document(again=not quiet)
        if session.document_id is not None:
            self.document_list.show_current(session.document_id)
        self.reloads += 1
        session.hub.reloaded.emit()
        message = "Others' changes loaded." if quiet else "Reloaded from the database."
        session.say(message, 4000)


def install_live_updates(
    session: Session,
    document_list: DocumentList,
    *,
    busy: Callable[[], bool],
    listing: DocumentListing,
    interval_ms: int = POLL_MS,
) -> LiveUpdates:
    """View > Refresh (F5) and the quiet look every ``interval_ms`` for others' changes
    (never, when 0); ``listing`` reads the document list and the schema."""
    live = LiveUpdates(session, document_list, busy=busy, listing=listing, interval_ms=interval_ms)
    session.actions.bind("refresh", live.refresh)
    return live
