"""Suggestions in the open article: drawn, counted, stepped through and answered by keys.

The suggestions are the document's stored pending ones plus the names the project knows
(``app.services.suggestion_layer``); every accepted span teaches its text at once, so its
other occurrences light up as soon as the accept is saved.

Keys, while the article has the focus and no link is being picked:
- Alt+Down / Alt+Up step to the next / previous suggestion; once one is current (or when
  the article has no spans yet) Tab / Shift+Tab step through the suggestions too, and
  Escape gives Tab back to the spans;
- on the current suggestion, Enter accepts it (a quote with its cue, speaker and relations),
  Del or Backspace rejects it, a label's key accepts it as that label, Shift+Enter accepts
  every suggestion of its label in the article, Escape leaves it;
- on the current suggestion, the span-edge keys fix its boundary before accepting
  (``keymap.BOUNDARY_KEYS``: Ctrl+Left / Ctrl+Right move its start a word, Ctrl+Shift+Left /
  Ctrl+Shift+Right its end, Alt held a character); the fix lives in the open article only,
  and Enter then accepts the fixed span, which the cost ledger counts as accepted after a fix.
Every accept and reject is one step of the undo stack.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable

from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtGui import QHelpEvent, QKeyEvent, QMouseEvent, QTextCursor
from PySide6.QtWidgets import QLabel, QToolTip

from app.core.annotations import Document
from app.core.suggestions import PendingSuggestion
from app.gui.annotating.suggestion_keys import key_action
from app.gui.annotating.suggestion_marks import describe_suggestion, draw_suggestions
from app.gui.commands import WorkspaceChange
from app.gui.session import Session
from app.gui.widgets.background import Background
from app.services import ChangeSet
from app.services.boundaries import Edge
from app.services.suggestion_actions import accept, reject
from app.services.suggestion_layer import OpenSuggestions

LONG_ARTICLE = 200_000
ON_SCREEN = 6_000  # characters from the top line: more than a screen holds
"""Code points from which an article's suggestions are computed on a worker thread (the
names scan takes about 0.2 s a megabyte here)."""
KEYS_HELP = (
    "Alt+Down / Alt+Up (then Tab / Shift+Tab): next / previous suggestion · "
    "Enter: accept · Del: reject · Esc: back to the spans · "
    "a label key: accept as that label · Shift+Enter: accept all of its label · "
    "Ctrl+Left/Right: move its start · Ctrl+Shift+Left/Right: move its end"
)


def counted(number: int) -> str:
    """What the status bar says about the suggestions of the open article."""
    if number == 0:
        return "No suggestions"
    return f"{number} suggestion{'s' if number != 1 else ''}"


class ArticleSuggestions(QObject):
    """The open article's suggestions: drawing, the status bar count and the keys."""

    def __init__(self, session: Session, refuse_edit: Callable[[], bool]) -> None:
        super().__init__(session.parent)
        self.session = session
        self.article = session.article
        self.refuse_edit = refuse_edit
        """True (and says why) while the article shows layers that may not be edited."""
        self.layer: OpenSuggestions | None = None
        self.current: PendingSuggestion | None = None
        self._resume_at: int | None = None  # after an answer: go on from here
        self.count_label = QLabel(counted(0), session.parent)
        self.count_label.setToolTip(KEYS_HELP)
        session.status_bar.insertPermanentWidget(0, self.count_label)
        self.article.overlays.append(self.paint)
        self.article.installEventFilter(self)
        self._viewport = self.article.viewport()  # kept: asking a dying article fails
        self._viewport.installEventFilter(self)
        self.article.span_selected.connect(self._on_span_selected)
        self.article.selectionChanged.connect(self._on_text_selected)
        session.hub.changed.connect(self._on_changed)
        session.hub.reloaded.connect(self.reload)
        self.loading = Background(self)
        self.loading.finished.connect(self._loaded)
        self.loading.failed.connect(self._load_failed)
        self._stale = False
        self._title = ""

    # -- what is shown ------------------------------------------------------------------

    @property
    def suggestions(self) -> list[PendingSuggestion]:
        """The suggestions shown, in text order."""
        return [] if self.layer is None else self.layer.suggestions

    def show_document(self, document: Document) -> None:
        """Compute the suggestions of a document just opened (a long one's on a worker
        thread, the article usable meanwhile)."""
        self.layer = OpenSuggestions(self.session.workspace, document.id, document.text)
        self._title = document.title
        self.current = None
        self._resume_at = None
        self.reload()

    def reload(self) -> None:
        """Read everything again (a document opened, or others' changes arrived)."""
        layer = self.layer
        if layer is None:
            return
        if len(layer.text) < LONG_ARTICLE:
            self.loading.cancel()
            layer.load()
            self._follow_current()
            self._tell_switched_off()
            return
        self._stale = False
        top = self.article.scroll_position()  # what is on screen first, then the whole
        layer.glance(top, top + ON_SCREEN)
        self._follow_current()
        self.count_label.setText(f"{counted(len(self.suggestions))} on screen; computing the rest…")
        self.loading.run(layer.load)

    def _loaded(self, _: object) -> None:
        if self._stale:  # changed while computing: what was read may be out of date
            self.reload()
        else:
            self._follow_current()
            self._tell_switched_off()

    def _tell_switched_off(self) -> None:
        """Name in the status bar each suggester switched off for the open article."""
        layer = self.layer
        if layer is None or not layer.switched_off:
            return
        words = "; ".join(
            f"suggester {name} switched off for “{self._title}”: {why}"
            for name, why in sorted(layer.switched_off.items())
        )
        self.session.say(words[:1].upper() + words[1:], 15000)

    def _on_changed(self, change: ChangeSet) -> None:
        layer = self.layer
        if layer is None or change.document_id != layer.document_id:
            return
        if self.loading.busy:
            self._stale = True
            return
        if change.annotations_changed or change.suggestions_changed or change.entities:
            off = len(layer.switched_off)
            layer.refresh(change)
            self._follow_current()
            if len(layer.switched_off) > off:  # the names suggester failed on what it learnt
                self._tell_switched_off()

    def _follow_current(self) -> None:
        """After a refresh: go on after the answered suggestion, else keep the current one."""
        shown = self.suggestions
        if self._resume_at is not None:
            at = bisect.bisect_left([s.start for s in shown], self._resume_at)
            self._resume_at = None
            self._make_current(shown[at % len(shown)] if shown else None)
        elif self.current is not None:
            group = self.current.group
            self.current = next((s for s in shown if s.group == group), None)
        self._shown()

    def _load_failed(self, error: object) -> None:
        self.count_label.setText("No suggestions")
        self.session.say(f"Suggestions could not be computed: {error}", 10000)

    def _shown(self) -> None:
        self.count_label.setText(counted(len(self.suggestions)))
        self.article.viewport().update()

    def paint(self) -> None:
        """Draw the suggestions (the article calls this while it paints)."""
        if self.layer is not None:
            draw_suggestions(
                self.article,
                self.article.positions,
                self.suggestions,
                self.session.colours,
                self.current,
            )

    # -- the current suggestion -----------------------------------------------------------

    def _make_current(self, suggestion: PendingSuggestion | None) -> None:
        self.current = suggestion
        if suggestion is not None:
            self.article.clear_selection()  # the keys now answer the suggestion, not a span
            cursor = QTextCursor(self.article.document())
            cursor.setPosition(self.article.positions.to_qt(suggestion.start))
            self.article.setTextCursor(cursor)
            self.article.ensureCursorVisible()
            self.session.say(
                f"Suggested {suggestion.label} from {suggestion.provenance()}: "
                "Enter accepts, Del rejects, a label key accepts as that label",
                6000,
            )
        self.article.viewport().update()

    def step(self, backward: bool = False) -> None:
        """Make the next (or previous) suggestion current, going round."""
        shown = self.suggestions
        if not shown:
            return
        starts = [s.start for s in shown]
        if self.current is not None and self.current in shown:
            at = shown.index(self.current) + (-1 if backward else 1)
        else:
            caret = self.article.positions.from_qt(self.article.textCursor().position())
            at = bisect.bisect_left(starts, caret) - (1 if backward else 0)
        self._make_current(shown[at % len(shown)])

    def go_to(self, group: str) -> None:
        """Make the suggestion of ``group`` current, if the open article shows it."""
        found = next((s for s in self.suggestions if s.group == group), None)
        if found is not None:
            self._make_current(found)

    def clear_current(self) -> None:
        """Leave the current suggestion (the keys act on spans again)."""
        self.current = None
        self.article.viewport().update()

    def _on_span_selected(self, span_id: int | None) -> None:
        if span_id is not None and self.current is not None:
            self.clear_current()

    def _on_text_selected(self) -> None:
        if self.current is not None and self.article.textCursor().hasSelection():
            self.clear_current()

    # -- answers ----------------------------------------------------------------------------

    def _push(self, text: str, action: Callable[[], ChangeSet], resume_at: int) -> bool:
        if self.refuse_edit():
            return False
        self._resume_at = resume_at
        session = self.session
        session.undo_stack.push(WorkspaceChange(session.workspace, session.hub, text, action))
        self._resume_at = None
        return True

    def _forget_fixes(self, accepted: list[PendingSuggestion]) -> None:
        """After an accept: undo brings the suggestions back as they were proposed."""
        layer = self.layer
        if layer is None or not any(layer.is_fixed(s) for s in accepted):
            return
        for suggestion in accepted:
            layer.forget_fix(suggestion)
        layer.compute()
        self._shown()

    def accept_current(self, label: str | None = None) -> None:
        """Accept the current suggestion (as ``label`` when given)."""
        chosen = self.current
        if chosen is None:
            return
        workspace = self.session.workspace
        relabel = label if label is not None and label != chosen.label else None
        proposed = None if self.layer is None else self.layer.proposed(chosen)
        fixed_from = None if proposed is None else [proposed]
        words = f"Accept suggested {chosen.label}" + (f" as {relabel}" if relabel else "")
        words += " (boundary fixed)" if fixed_from else ""
        action = lambda: accept(workspace, [chosen], relabel, fixed_from=fixed_from)  # noqa: E731
        if self._push(words, action, chosen.start):
            self._forget_fixes([chosen])

    def fix_current(self, edge: Edge, step: int, by_word: bool = True) -> None:
        """Move an edge of the current suggestion (in the open article only)."""
        chosen = self.current
        if chosen is None or self.layer is None:
            return
        self.current = moved = self.layer.fix(chosen, edge, step, by_word=by_word)
        covered = " ".join(self.article.text[moved.start : moved.end].split())
        self.session.say(f"Suggested {moved.label} now “{covered[:60]}”: Enter accepts it", 6000)
        self.article.viewport().update()

    def accept_label(self) -> None:
        """Accept every suggestion of the current one's label in the article, as one step."""
        chosen = self.current
        if chosen is None or self.layer is None:
            return
        layer = self.layer
        every = layer.of_label(chosen.label)
        proposed = [layer.proposed(s) or s for s in every]
        workspace = self.session.workspace
        words = f"Accept {len(every)} suggested {chosen.label}"
        if self._push(words, lambda: accept(workspace, every, fixed_from=proposed), chosen.start):
            self._forget_fixes(every)

    def reject_current(self) -> None:
        """Reject the current suggestion; it is not proposed again for that text."""
        chosen = self.current
        if chosen is None:
            return
        workspace = self.session.workspace
        words = f"Reject suggested {chosen.label}"
        self._push(words, lambda: reject(workspace, chosen), chosen.start)

    # -- events -----------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if watched is self.article and isinstance(event, QKeyEvent):
            if kind == QEvent.Type.ShortcutOverride and key_action(self, event) is not None:
                event.accept()  # the article takes the key instead of a window shortcut
                return True
            if kind == QEvent.Type.KeyPress:
                action = key_action(self, event)
                if action is not None:
                    action()
                    return True
        elif watched is self._viewport:
            if kind == QEvent.Type.ToolTip and isinstance(event, QHelpEvent):
                return self._tooltip(event)
            if kind == QEvent.Type.MouseButtonRelease and isinstance(event, QMouseEvent):
                self._clicked(event)
        return super().eventFilter(watched, event)

    def under(self, offset: int) -> list[PendingSuggestion]:
        """The suggestions covering code point ``offset``."""
        return [s for s in self.suggestions if s.start <= offset < s.end]

    def _tooltip(self, event: QHelpEvent) -> bool:
        offset = self.article.offset_at(event.pos())
        found = [] if offset is None else self.under(offset)
        if not found or offset is None:
            return False  # the article names the spans there
        text = self.article.text
        words = "<hr>".join(describe_suggestion(text, s) for s in found)
        spans = self.article.spans_at(offset)
        if spans:
            words = f"{self.article.describe(spans)}<hr>{words}"
        QToolTip.showText(event.globalPos(), words, self.article.viewport())
        return True

    def _clicked(self, event: QMouseEvent) -> None:
        if event.button() != Qt.MouseButton.LeftButton or self.article.picking:
            return
        if self.article.textCursor().hasSelection():
            return
        offset = self.article.offset_at(event.position().toPoint())
        if offset is None or self.article.spans_at(offset):
            return
        found = self.under(offset)
        if found:
            self.current = found[0]
            self.article.viewport().update()
