"""The open document: its text, spans, relations and layers, kept in step with changes.

One model holds what the window knows of the open document; the article, the span and
relation lists and the layers observe it. A committed change is applied here once
(``apply``) and announced as ``changed`` (every layer held) and ``own_changed`` (the
annotator's own layer, what the lists show).

Reading a document happens on a worker thread (``app.gui.widgets.background``): a locked
SQLite file or a slow server never freezes the window. The latest request wins: opening
another document, or reading this one again, drops the result of a read still under way.
A read that fails leaves the document held as it was and says why (``failed``).
"""

from __future__ import annotations

import contextlib
import dataclasses
import threading
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal

from app.core.annotations import Document, Relation, Span
from app.core.errors import GlossaError
from app.gui.widgets.background import Background
from app.services import ChangeSet, Workspace, documents
from app.services.opening import DocumentSnapshot, read_document

T = TypeVar("T")


class OwnThreads(Executor):
    """Runs each piece of work on a new thread of its own.

    A read stuck behind a lock (or a slow server) cannot be stopped, only forgotten; on a
    pool it would hold a worker, and the read that superseded it could wait for it. A thread
    costs a fraction of a millisecond, nothing beside reading an article.
    """

    def submit(self, fn: Callable[..., T], /, *args: Any, **kwargs: Any) -> Future[T]:
        future: Future[T] = Future()

        def run() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                future.set_result(fn(*args, **kwargs))
            except BaseException as exc:  # handed over whole, as a pool would
                future.set_exception(exc)

        threading.Thread(target=run, name="glossa-open", daemon=True).start()
        return future


READERS = OwnThreads()
"""Not the shared workers either: a long figure computation never delays opening."""
PLACES = ThreadPoolExecutor(max_workers=1, thread_name_prefix="glossa-place")
"""One thread, so that resume points are written in the order they were asked."""
COLLECT_MS = 5
"""How often a read under way is looked at: opening must feel instant."""


@dataclass(frozen=True)
class LayerView:
    """Whose spans are held: the annotator's own (``me``), the layers the article shows
    (``shown``, None for every layer) and the one shown beside the article, if any."""

    me: str
    shown: frozenset[str] | None
    beside: str | None = None

    @classmethod
    def mine(cls, me: str) -> LayerView:
        """The annotator's own layer alone."""
        return cls(me, frozenset({me}))

    @property
    def read(self) -> frozenset[str] | None:
        """The annotators whose spans are read (None: everyone's)."""
        if self.shown is None:
            return None
        beside = frozenset() if self.beside is None else frozenset({self.beside})
        return self.shown | {self.me} | beside

    def holds(self, annotator: str) -> bool:
        """True when ``annotator``'s spans are held."""
        read = self.read
        return read is None or annotator in read


@dataclass(frozen=True)
class LoadedLayers:
    """A document's spans and relations as the article shows them, and as the lists do."""

    spans: list[Span]
    relations: list[Relation]
    own_spans: list[Span]
    own_relations: list[Relation]


def _between(relations: list[Relation], spans: list[Span]) -> list[Relation]:
    if not relations:
        return []
    ids = {span.id for span in spans}
    return [r for r in relations if r.head in ids and r.tail in ids]


def _without(changes: ChangeSet, spans: set[int], relations: set[int]) -> ChangeSet:
    """``changes`` without the spans and relations of these ids."""
    if not spans and not relations:
        return changes
    return dataclasses.replace(
        changes,
        added=tuple(s for s in changes.added if s.id not in spans),
        removed=tuple(s for s in changes.removed if s.id not in spans),
        changed=tuple(s for s in changes.changed if s.id not in spans),
        before=tuple(s for s in changes.before if s.id not in spans),
        relations_added=tuple(r for r in changes.relations_added if r.id not in relations),
        relations_removed=tuple(r for r in changes.relations_removed if r.id not in relations),
    )


class OpenDocument(QObject):
    """The open document and the spans and relations held of it."""

    opened = Signal(object)
    """A document was read whole: another one, or the open one again and found different.
    Carries the code point to scroll to, or None to stay where the article is."""
    changed = Signal(object)
    """A ``ChangeSet`` applied here: only the open document's spans and relations, of the
    layers held."""
    own_changed = Signal(object)
    """The same change without other annotators' spans and their relations."""
    meta_changed = Signal()
    """The open document's title or other details changed."""
    failed = Signal(str, bool)
    """A document could not be read; the one held stays. The message is for the user; the
    flag is True when it was the document held, read again (others' changes, layers)."""

    def __init__(self, workspace: Workspace, view: LayerView, parent: QObject | None = None):
        super().__init__(parent)
        self.workspace = workspace
        self.view = view
        """Whose spans are read from now on (``set_view``)."""
        self.document: Document | None = None
        self.annotators: tuple[str, ...] = ()
        """Everyone with a span in the document when it was read."""
        self.pending: int | None = None
        """The document being read, until it is held (or the read failed)."""
        self._held = view
        self._spans: dict[int, Span] = {}
        self._relations: dict[int, Relation] = {}
        self._scroll: int | None = None
        self._again = False  # the read under way is shown even when nothing differs
        self._background = Background(self, workers=READERS, collect_ms=COLLECT_MS)
        self._background.finished.connect(self._arrived)
        self._background.failed.connect(self._not_read)

    # -- what is held --------------------------------------------------------------

    @property
    def document_id(self) -> int | None:
        """The id of the document held."""
        return None if self.document is None else self.document.id

    @property
    def spans(self) -> list[Span]:
        """Every span held (of the layers read)."""
        return list(self._spans.values())

    @property
    def relations(self) -> list[Relation]:
        """Every relation of the document."""
        return list(self._relations.values())

    def spans_of(self, annotator: str) -> list[Span]:
        """The spans held of one annotator."""
        return [span for span in self._spans.values() if span.annotator == annotator]

    @property
    def layers(self) -> LoadedLayers:
        """The spans and relations the article shows, and the annotator's own."""
        view, relations = self._held, self.relations
        spans = self.spans
        # on my layer alone (the usual case) every span held is shown and mine: no filtering
        if view.shown is None or view.shown == view.read:
            shown = spans
        else:
            shown = [s for s in spans if s.annotator in view.shown]
        own = shown if view.shown == frozenset({view.me}) else self.spans_of(view.me)
        return LoadedLayers(shown, _between(relations, shown), own, _between(relations, own))

    # -- reading -------------------------------------------------------------------

    def open(self, document_id: int, scroll: int = 0, *, wait: bool = False) -> None:
        """Read ``document_id`` and hold it; ``opened`` when done, scrolled to ``scroll``.

        The read runs on a worker thread and supersedes any still under way; ``wait``
        reads here and now instead (before a window is shown, in scripts and tests).
        """
        self._read(document_id, scroll, wait=wait)

    def reload(self, *, wait: bool = False, again: bool = False) -> None:
        """Read the document held again, with the layers of ``view``; ``opened(None)`` when
        what is read differs from what is held, or whatever it is when ``again``."""
        document_id = self.pending if self.pending is not None else self.document_id
        if document_id is not None:
            scroll = self._scroll if self.pending is not None else None
            self._read(document_id, scroll, wait=wait, again=again or self._again)

    def set_view(self, view: LayerView) -> None:
        """Read these layers from the next read on (``reload`` to read them now)."""
        self.view = view

    def cancel(self) -> None:
        """Drop the read under way, if any: the document held stays."""
        self._background.cancel()
        self.pending = None

    def clear(self) -> None:
        """Hold no document any more (it was deleted)."""
        self.cancel()
        self.document, self.annotators = None, ()
        self._spans, self._relations = {}, {}

    def _read(
        self, document_id: int, scroll: int | None, *, wait: bool, again: bool = False
    ) -> None:
        self.pending, self._scroll, self._again = document_id, scroll, again
        workspace, view = self.workspace, self.view
        read = view.read

        def work() -> tuple[LayerView, DocumentSnapshot]:
            return view, read_document(workspace, document_id, read)

        if not wait:
            self._background.run(work)
            return
        self._background.cancel()
        try:
            result = work()
        except GlossaError as exc:
            self._not_read(exc)
            return
        self._arrived(result)

    def _arrived(self, result: tuple[LayerView, DocumentSnapshot]) -> None:
        view, snapshot = result
        scroll, again, self.pending = self._scroll, self._again, None
        spans = {span.id: span for span in snapshot.spans}
        relations = {relation.id: relation for relation in snapshot.relations}
        if (
            scroll is None
            and not again
            and view == self._held
            and snapshot.document == self.document
            and spans == self._spans
            and relations == self._relations
        ):
            return  # read again and found as held: nothing to show again
        self.document, self.annotators, self._held = snapshot.document, snapshot.annotators, view
        self._spans, self._relations = spans, relations
        self.opened.emit(scroll)

    def _not_read(self, error: Any) -> None:
        again = self.pending == self.document_id
        self.pending = None
        if not isinstance(error, GlossaError):
            raise error  # a mistake of ours, not the database's: let it be seen
        if again:
            self.failed.emit(f"Cannot read the document again: {error}", True)
        else:
            self.failed.emit(f"Cannot open the document: {error}", False)

    def remember(self, position: int, *, wait: bool = False) -> None:
        """Save, on a worker thread, that the annotator is at ``position`` of the document
        held (where the next start resumes). A locked database must not freeze the window
        for it; a write that fails is retried with the next one, or at closing. ``wait``
        (closing) returns once written, after every place asked before."""
        if self.document is not None:
            written = PLACES.submit(_remember, self.workspace, self.document.id, position)
            if wait:
                written.result()

    # -- changes -------------------------------------------------------------------

    def apply(self, changes: ChangeSet) -> None:
        """Bring what is held in step with a committed change, and announce it."""
        pending = self.pending
        if pending is not None and pending in _documents_of(changes):
            self._read(pending, self._scroll, wait=False, again=self._again)  # may predate it
        document = self.document
        if document is None:
            return
        if changes.meta and changes.document_id == document.id:
            self._apply_meta(document, changes)
        mine = self._of_document(changes, document.id)
        if not mine.annotations_changed:
            return
        for relation in mine.relations_removed:
            self._relations.pop(relation.id, None)
        for span in mine.removed:
            self._spans.pop(span.id, None)
        for span in (*mine.added, *mine.changed):
            self._spans[span.id] = span
        for relation in mine.relations_added:
            self._relations[relation.id] = relation
        self.changed.emit(mine)
        own = self._own(mine)
        if own.annotations_changed:
            self.own_changed.emit(own)

    def _own(self, changes: ChangeSet) -> ChangeSet:
        """``changes`` without other annotators' spans and the relations not between two of
        the annotator's own spans (what the lists show)."""
        me = self._held.me
        touched = {s.id: s for s in (*changes.added, *changes.removed, *changes.changed)}

        def own(span_id: int) -> bool:
            span = touched.get(span_id) or self._spans.get(span_id)
            return span is not None and span.annotator == me

        return _without(
            changes,
            {span.id for span in touched.values() if span.annotator != me},
            {
                r.id
                for r in (*changes.relations_added, *changes.relations_removed)
                if not (own(r.head) and own(r.tail))
            },
        )

    def _of_document(self, changes: ChangeSet, document_id: int) -> ChangeSet:
        """The parts of ``changes`` on the document held and of the layers held."""
        held = self._held
        spans = {
            span.id
            for span in (*changes.added, *changes.removed, *changes.changed)
            if span.document_id != document_id or not held.holds(span.annotator)
        }
        # every relation of the document is held, whoever's spans it links
        relations = {
            r.id
            for r in (*changes.relations_added, *changes.relations_removed)
            if r.document_id != document_id
        }
        return dataclasses.replace(_without(changes, spans, relations), document_id=document_id)

    def _apply_meta(self, document: Document, changes: ChangeSet) -> None:
        if changes.meta_after is None:
            self.reload()  # the change does not say what it set: read it
            return
        meta = dict(document.meta)
        for key in changes.meta_before or {}:
            meta.pop(key, None)
        meta.update(changes.meta_after)
        title = str(changes.meta_after.get("title", document.title))
        self.document = dataclasses.replace(document, title=title, meta=meta)
        self.meta_changed.emit()


def _documents_of(changes: ChangeSet) -> set[int]:
    spans = (*changes.added, *changes.removed, *changes.changed)
    found = {span.document_id for span in spans}
    if changes.document_id is not None:
        found.add(changes.document_id)
    return found


def _remember(workspace: Workspace, document_id: int, position: int) -> None:
    # only where to resume: the next open, or closing the window, writes it again
    with contextlib.suppress(GlossaError):
        documents.remember(workspace, document_id, position)
