"""The adjudication dialog: where annotators differ on the open document, and the keys that
build its gold layer.

The differences are listed by kind with their counts, each row with its text, every
annotator's version and whether gold answers it. Selecting a row shows its place in the
article. Keys (each step one undoable command): 1-9 pick the n-th annotator's version (for
an annotator who tagged nothing there: keep nothing), Enter the first version, M merge the
versions (their union; Shift+M their intersection), X or Del keep nothing, A accept every
agreement, R copy the relations everyone made, N go to the next unresolved difference. The
row's gold span is edited here, as gold is nobody's own layer in the article: L relabels it,
the article's boundary keys (Ctrl+arrows the start, Ctrl+Shift+arrows the end, Alt for one
character) move it, Backspace deletes it, E shows it in the article. Ctrl+Z and
Ctrl+Shift+Z undo and redo.

While shown, it compares afresh after each change of the user's and when others' changes are
loaded (F5, or the quiet look).

Each comparison is read on a worker thread, so a slow server never freezes the window: the
rows on show stay while the same document is compared again ("Loading…" for another one),
the latest comparison wins (an older answer is dropped), and one that cannot be read says
why with the dialog still usable.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Concatenate, ParamSpec, TypeVar

from PySide6.QtCore import QEvent, QTimer, SignalInstance
from PySide6.QtWidgets import QDialog, QLabel, QMenu, QTreeWidgetItem, QVBoxLayout

from app.core.adjudication import Comparison, Difference, Kind
from app.core.annotations import Span
from app.gui.hub import ChangeHub
from app.gui.models.open_document import READERS
from app.gui.reviewing import adjudication_commands as commands
from app.gui.reviewing.adjudication_keys import KEYS_HELP, build_keys
from app.gui.reviewing.adjudication_rows import DifferenceTree
from app.gui.session import Session
from app.gui.widgets.background import Background, database_problem
from app.gui.widgets.plain_text import plain
from app.services import ChangeSet, documents
from app.services.adjudication import Adjudication
from app.services.boundaries import Edge, nudged
from app.services.gold_changes import same_answer

P = ParamSpec("P")
Step = TypeVar("Step", bound=commands.GoldCommand)


class AdjudicationDialog(QDialog):
    """Non-modal: the article stays usable beside it, and it follows the open document."""

    def __init__(self, session: Session, document_activated: SignalInstance) -> None:
        super().__init__(session.parent)
        self.session = session
        self.setWindowTitle("Adjudicate")
        self.setModal(False)
        self.adjudication = Adjudication(session.workspace)
        self.text = ""
        self.reading = Background(self, workers=READERS)
        """The comparison read on a worker thread; only the latest read is shown."""
        self.reading.finished.connect(self._arrived)
        self.reading.failed.connect(self._not_read)
        self._wanted: int | None = None
        """The document whose comparison is being read."""
        self._with_text = False

        self.summary = plain(QLabel(self))
        self.summary.setWordWrap(True)
        self.tree = DifferenceTree(self)
        self.tree.currentItemChanged.connect(self._show_current)
        self.label_menu = QMenu(self)
        # while it is open the label hotkeys are the menu's, not the dialog's digits
        self.label_menu.aboutToShow.connect(lambda: self._enable_keys(False))
        self.label_menu.aboutToHide.connect(lambda: self._enable_keys(True))
        self.message = plain(QLabel(self))
        self.message.setWordWrap(True)
        keys = QLabel(KEYS_HELP, self)
        keys.setWordWrap(True)
        keys.setEnabled(False)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.message)
        layout.addWidget(keys)
        self._build_keys()
        self.resize(820, 560)

        session.hub.changed.connect(self._on_changed)
        session.hub.reloaded.connect(self._compare_again)  # others' changes were loaded
        session.hub.failed.connect(self.message.setText)
        document_activated.connect(lambda _: QTimer.singleShot(0, self.follow_document))

    # -- keys ------------------------------------------------------------------------

    def _enable_keys(self, enabled: bool) -> None:
        for action in self._keys:
            action.setEnabled(enabled)

    def _build_keys(self) -> None:
        self._keys = build_keys(self, self.session.undo_stack)

    # -- showing ---------------------------------------------------------------------

    @property
    def comparison(self) -> Comparison | None:
        """What the rows show: the comparison of the document's annotators."""
        return self.tree.comparison

    @property
    def document_id(self) -> int | None:
        """The document being adjudicated."""
        return None if self.comparison is None else self.comparison.document_id

    @property
    def busy(self) -> bool:
        """True while a comparison is being read."""
        return self.reading.busy

    def wait(self) -> None:
        """Return once the comparison read is shown (for scripts and tests)."""
        self.reading.wait()

    def follow_document(self) -> None:
        """Show the main window's open document, if it is another one."""
        document_id = self.session.document_id
        shown = self._wanted if self.busy else self.document_id
        if document_id is not None and document_id != shown:
            self.show_document(document_id)

    def show_document(self, document_id: int) -> None:
        """Compare the annotators of a document (read on a worker thread)."""
        self.tree.clear()
        self.tree.comparison = None
        self.summary.setText("Loading…")
        self.message.clear()
        self._read(document_id, with_text=True)

    def reload(self, document_id: int | None = None) -> None:
        """Compare afresh on a worker thread, keeping the current row; the rows on show stay
        until the new ones are in."""
        if document_id is None:
            document_id = self._wanted if self.busy else self.document_id
        if document_id is None:
            return
        self._read(document_id, with_text=document_id != self.document_id)

    def _read(self, document_id: int, *, with_text: bool) -> None:
        workspace, adjudication = self.session.workspace, self.adjudication
        if self.busy and self._wanted == document_id and self._with_text:
            with_text = True  # the read superseded was to bring the text too
        self._wanted, self._with_text = document_id, with_text

        def work() -> tuple[str | None, Comparison]:
            text = documents.document(workspace, document_id).text if with_text else None
            return text, adjudication.differences(document_id)

        self.reading.run(work)

    def _arrived(self, result: tuple[str | None, Comparison]) -> None:
        text, comparison = result
        if text is not None:
            self.text = text
        current = self.tree.identity(self.tree.currentItem())
        self.tree.fill(comparison, self.text)
        self._show_summary(comparison)
        self.tree.go_to(current)

    def _not_read(self, error: Any) -> None:
        problem = database_problem(error)
        if self.comparison is None or self.comparison.document_id != self._wanted:
            self.summary.setText("")
        self._say(f"Cannot compare the annotators: {problem}")
        self.session.say(f"Adjudicate: cannot compare the annotators: {problem}", 8000)

    def _show_summary(self, comparison: Comparison) -> None:
        numbered = ", ".join(f"{n}: {a}" for n, a in enumerate(comparison.annotators, 1))
        self.summary.setText(
            f"Annotators {numbered or 'none'} — gold layer: {len(comparison.gold)} spans, "
            f"{len(comparison.gold_relations)} relations — {comparison.unresolved} unresolved"
        )

    # -- rows ------------------------------------------------------------------------

    def current_difference(self) -> Difference | None:
        """The difference of the current row, if it is one."""
        return self.tree.difference(self.tree.currentItem())

    def _show_current(self, item: QTreeWidgetItem | None) -> None:
        span = self.tree.span_to_show(item)
        if span is not None:
            self._select_in_article(span)

    def _select_in_article(self, span: Span) -> None:
        article = self.session.article
        article.select_span(span.id)
        viewed = article.viewed_span()
        if viewed is None or viewed.id != span.id:  # a layer the article does not show
            article.select_range(span.start, span.end)

    # -- actions ---------------------------------------------------------------------

    def _push(
        self,
        command: Callable[Concatenate[Adjudication, ChangeHub, P], Step],
        *args: P.args,
        **kwargs: P.kwargs,
    ) -> Step:
        """Take one step: push the undoable ``command`` made for ``args``; returns it."""
        self.message.clear()
        step = command(self.adjudication, self.session.hub, *args, **kwargs)
        self.session.undo_stack.push(step)
        return step

    def _say(self, text: str) -> None:
        self.message.setText(text)

    def pick_annotator(self, n: int) -> None:
        """Take the n-th annotator's version of the current row (their nothing, if so)."""
        comparison = self.comparison
        if comparison is None or not 1 <= n <= len(comparison.annotators):
            self._say(f"There is no annotator {n}.")
            return
        annotator = comparison.annotators[n - 1]
        relation = self.tree.relation(self.tree.currentItem())
        if relation is not None:
            made = relation.version_of(annotator)
            if made is None:
                self._say(f"{annotator} did not make this link.")
            elif relation.in_gold:
                self._say("The gold layer has this link already.")
            else:
                self._push(commands.pick_relation, relation, made, comparison.annotators)
            return
        difference = self.current_difference()
        if difference is None:
            return
        mine = difference.versions_of(annotator)
        if mine:
            self._pick(difference, mine[0])
        else:
            self.reject_current()

    def pick_first(self) -> None:
        """Take the first version of the current row."""
        relation = self.tree.relation(self.tree.currentItem())
        if relation is not None and self.comparison is not None:
            first = relation.versions[0].annotator
            self.pick_annotator(self.comparison.annotators.index(first) + 1)
            return
        difference = self.current_difference()
        if difference is not None:
            self._pick(difference, difference.versions[0])

    def _pick(self, difference: Difference, version: Span) -> None:
        assert self.comparison is not None
        if any(same_answer(gold, version) for gold in difference.gold):
            self._say(f"The gold layer has {version.annotator}'s version already.")
            return
        self._push(commands.pick, version, self.comparison.annotators)

    def merge(self, how: str) -> None:
        """Make one gold span from every version of the current difference."""
        difference = self.current_difference()
        if difference is None or self.comparison is None:
            return
        if len(difference.labels) > 1:
            self._say("The versions have different labels: pick one (1–9) instead.")
            return
        self._push(commands.merge, difference, self.comparison.annotators, how)

    def reject_current(self) -> None:
        """Keep nothing in gold for the current difference."""
        difference = self.current_difference()
        if difference is None or self.comparison is None:
            return
        if difference.rejected and not difference.gold:
            self._say("Nothing is kept here already.")
            return
        self._push(commands.reject, difference, self.comparison.annotators)

    def accept_agreements(self) -> None:
        """Put every agreement not yet in gold into gold, as one step."""
        comparison = self.comparison
        if comparison is None:
            return
        waiting = [d for d in comparison.of_kind(Kind.AGREED) if not d.resolved]
        if not any(d.details_agree for d in waiting):
            self._say("Every agreement is in the gold layer already.")
            return
        self._push(commands.accept_agreements, comparison.document_id, comparison.annotators)

    def copy_relations(self) -> None:
        """Copy the relations everyone made into gold, where gold has both ends."""
        comparison = self.comparison
        if comparison is None:
            return
        if not any(
            d.agreed and not d.in_gold and d.head.gold and d.tail.gold for d in comparison.relations
        ):
            self._say("No agreed relation with both ends in gold is missing from gold.")
            return
        self._push(commands.copy_relations, comparison.document_id, comparison.annotators)

    def next_unresolved(self) -> None:
        """Go to the next difference gold does not answer yet (wrapping round)."""
        if not self.tree.next_unresolved():
            self._say("Every difference is resolved.")

    def current_gold(self) -> Span | None:
        """The gold span answering the current difference (saying so when there is none)."""
        difference = self.current_difference()
        if difference is None or not difference.gold:
            self._say("Pick or merge a version first: there is no gold span here.")
            return None
        return difference.gold[0]

    def edit_gold(self) -> None:
        """Select the current difference's gold span in the article, to look at it there."""
        span = self.current_gold()
        if span is not None:
            self._select_in_article(span)
            self.session.parent.activateWindow()
            self.session.article.setFocus()

    def choose_label(self) -> None:
        """Offer the labels for the current gold span (type a label's hotkey or use arrows)."""
        span = self.current_gold()
        if span is None:
            return
        self.label_menu.clear()
        for label in self.session.workspace.schema.labels:
            action = self.label_menu.addAction(f"&{label.hotkey}  {label.name}")
            action.setEnabled(label.name != span.label)
            action.triggered.connect(lambda _=False, name=label.name: self.relabel(span, name))
        item = self.tree.currentItem()
        rect = self.tree.visualItemRect(item) if item is not None else self.tree.rect()
        self.label_menu.popup(self.tree.viewport().mapToGlobal(rect.bottomLeft()))

    def relabel(self, span: Span, label: str) -> None:
        """Give a gold span another label, as one step; say what the new label removed."""
        note = self._push(commands.relabel, span, label).note
        if note:
            self._say(note)

    def nudge(self, edge: Edge, step: int, by_word: bool) -> None:
        """Move one edge of the current gold span by a word (or a character)."""
        span = self.current_gold()
        if span is None:
            return
        start, end = nudged(self.text, span.start, span.end, edge, step, by_word=by_word)
        if (start, end) != (span.start, span.end):
            self._push(commands.move, span, start, end)

    def delete_gold(self) -> None:
        """Delete the current gold span: the difference is unresolved again."""
        span = self.current_gold()
        if span is not None:
            self._push(commands.delete, span)

    # -- following the window --------------------------------------------------------

    def _on_changed(self, changes: ChangeSet) -> None:
        relevant = changes.document_id in (None, self.document_id) or changes.schema
        if relevant or self.session.document_id != self.document_id:
            self._compare_again()

    def _compare_again(self) -> None:
        """Compare the main window's open document afresh, if shown."""
        if not self.isVisible():
            return
        document_id = self.session.document_id
        if document_id != self.document_id:
            if document_id is not None:  # read afresh even when under way: it may predate
                self.show_document(document_id)
            return
        self.reload(document_id)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.follow_document()
        super().changeEvent(event)


__all__ = ["AdjudicationDialog"]
