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

Opening the dialog overlays every layer in the article (when it showed only the user's own),
so that the versions a row names can be selected there.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, Qt, QTimer
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHeaderView,
    QLabel,
    QMenu,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
)

from app.core.adjudication import KIND_ORDER, Comparison, Difference, Kind, RelationDifference
from app.core.annotations import Span
from app.core.errors import GlossaError
from app.gui import adjudication_commands as commands
from app.gui.keymap import BOUNDARY_KEYS, SHORTCUTS
from app.gui.views.layers import LayerChoice, Mode
from app.services import ChangeSet
from app.services.adjudication import Adjudication
from app.services.boundaries import Edge, nudged

if TYPE_CHECKING:
    from app.gui.views.main_window import MainWindow

GROUP_TITLES = {
    Kind.LABEL: "Label differs",
    Kind.MISSING: "Missing in some",
    Kind.BOUNDARY: "Boundaries differ",
    Kind.AGREED: "Agreed",
}
RELATIONS_DIFFER = "Relations differ"
RELATIONS_AGREED = "Relations agreed"
KEYS_HELP = (
    "1–9 pick that annotator's version · Enter the first · M merge (Shift+M: overlap only) · "
    "X/Del keep nothing · A accept agreements · R copy agreed relations · "
    "N next unresolved · gold span: L relabel, Ctrl(+Shift)+arrows move its start (end), "
    "Backspace delete, E show in the article · Ctrl+Z undo"
)
ROW = Qt.ItemDataRole.UserRole
EXCERPT = 48


def describe(span: Span) -> str:
    """``PERSON [12,20)``: a version or gold span in a few characters."""
    return f"{span.label} [{span.start},{span.end})"


def excerpt(text: str, start: int, end: int) -> str:
    """The covered text on one line, shortened in the middle when long."""
    covered = " ".join(text[start:end].split())
    if len(covered) > EXCERPT:
        covered = f"{covered[: EXCERPT // 2 - 1]}…{covered[-(EXCERPT // 2) + 1 :]}"
    return f"“{covered}”"


class AdjudicationDialog(QDialog):
    """Non-modal: the article stays usable beside it, and it follows the open document."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self.main = window
        self.setWindowTitle("Adjudicate")
        self.setModal(False)
        self.adjudication = Adjudication(window.workspace)
        self.comparison: Comparison | None = None
        self.text = ""
        self._collapsed = {GROUP_TITLES[Kind.AGREED], RELATIONS_AGREED}

        self.summary = QLabel(self)
        self.summary.setWordWrap(True)
        self.tree = QTreeWidget(self)
        self.tree.setColumnCount(3)
        self.tree.setHeaderLabels(["Text", "Versions", "Gold"])
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setUniformRowHeights(True)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.tree.itemCollapsed.connect(lambda item: self._collapsed.add(item.text(0)))
        self.tree.itemExpanded.connect(lambda item: self._collapsed.discard(item.text(0)))
        self.tree.currentItemChanged.connect(self._show_current)
        self.label_menu = QMenu(self)
        # while it is open the label hotkeys are the menu's, not the dialog's digits
        self.label_menu.aboutToShow.connect(lambda: self._enable_keys(False))
        self.label_menu.aboutToHide.connect(lambda: self._enable_keys(True))
        self.message = QLabel(self)
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

        window.hub.changed.connect(self._on_changed)
        window.hub.failed.connect(self.message.setText)
        window.document_list.document_activated.connect(
            lambda _: QTimer.singleShot(0, self.follow_document)
        )

    # -- keys ------------------------------------------------------------------------

    def _enable_keys(self, enabled: bool) -> None:
        for action in self._keys:
            action.setEnabled(enabled)

    def _build_keys(self) -> None:
        self._keys: list[QAction] = []

        def key(keys: list[str], slot: object) -> None:
            action = QAction(self)
            self._keys.append(action)
            action.setShortcuts([QKeySequence(k) for k in keys])
            action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
            action.triggered.connect(slot)
            self.addAction(action)

        for n in range(1, 10):
            key([str(n)], lambda _=False, n=n: self.pick_annotator(n))
        key(["Return", "Enter"], self.pick_first)
        key(["M"], lambda: self.merge("union"))
        key(["Shift+M"], lambda: self.merge("intersection"))
        key(["X", "Del"], self.reject_current)
        key(["A", "Ctrl+A"], self.accept_agreements)
        key(["R"], self.copy_relations)
        key(["N"], self.next_unresolved)
        key(["E"], self.edit_gold)
        key(["L"], self.choose_label)
        key(["Backspace"], self.delete_gold)
        for keys, (edge, step, by_word) in BOUNDARY_KEYS.items():
            key([keys], lambda _=False, e=edge, s=step, w=by_word: self.nudge(e, s, w))
        stack = self.main.undo_stack
        undo = stack.createUndoAction(self)
        undo.setShortcuts([QKeySequence(k) for k in SHORTCUTS["undo"]])
        redo = stack.createRedoAction(self)
        redo.setShortcuts([QKeySequence(k) for k in SHORTCUTS["redo"]])
        self.addActions([undo, redo])

    # -- showing ---------------------------------------------------------------------

    @property
    def document_id(self) -> int | None:
        """The document being adjudicated."""
        return None if self.comparison is None else self.comparison.document_id

    def follow_document(self) -> None:
        """Show the main window's open document, if it is another one."""
        document_id = self.main.document_id
        if document_id is not None and document_id != self.document_id:
            self.show_document(document_id)

    def show_document(self, document_id: int) -> None:
        """Compare the annotators of a document."""
        self.text = self.main.workspace.document(document_id).text
        self.comparison = None
        self.message.clear()
        self.reload(document_id)

    def reload(self, document_id: int | None = None) -> None:
        """Compare afresh, keeping the current row."""
        document_id = document_id if document_id is not None else self.document_id
        if document_id is None:
            return
        current = self._identity(self.tree.currentItem())
        self.comparison = self.adjudication.differences(document_id)
        self._fill(self.comparison)
        self._show_summary(self.comparison)
        found = self._find(current) if current is not None else None
        row = found or self._first_row()
        if row is not None:
            self.tree.setCurrentItem(row)

    def _fill(self, comparison: Comparison) -> None:
        self.tree.blockSignals(True)
        self.tree.clear()
        for kind in KIND_ORDER:
            rows = comparison.of_kind(kind)
            group = self._group(GROUP_TITLES[kind], len(rows))
            for difference in rows:
                self._span_row(group, difference, comparison)
        for title, agreed in ((RELATIONS_DIFFER, False), (RELATIONS_AGREED, True)):
            links = [d for d in comparison.relations if d.agreed is agreed]
            group = self._group(title, len(links))
            for relation in links:
                self._relation_row(group, relation, comparison)
        self.tree.blockSignals(False)
        self.tree.resizeColumnToContents(0)

    def _group(self, title: str, count: int) -> QTreeWidgetItem:
        group = QTreeWidgetItem(self.tree, [title, f"({count})"])
        group.setFirstColumnSpanned(False)
        font = group.font(0)
        font.setBold(True)
        group.setFont(0, font)
        group.setExpanded(title not in self._collapsed)
        return group

    def _span_row(
        self, group: QTreeWidgetItem, difference: Difference, comparison: Comparison
    ) -> None:
        versions = []
        for annotator in comparison.annotators:
            mine = difference.versions_of(annotator)
            shown = ", ".join(describe(span) for span in mine) if mine else "—"
            versions.append(f"{annotator}: {shown}")
        if difference.gold:
            state = "gold: " + ", ".join(describe(span) for span in difference.gold)
        else:
            state = "rejected" if difference.rejected else "unresolved"
        item = QTreeWidgetItem(
            group,
            [excerpt(self.text, difference.start, difference.end), " · ".join(versions), state],
        )
        item.setData(0, ROW, ("span", difference.identity))
        if not difference.resolved:
            font = item.font(2)
            font.setBold(True)
            item.setFont(2, font)

    def _relation_row(
        self, group: QTreeWidgetItem, difference: RelationDifference, comparison: Comparison
    ) -> None:
        head, tail = difference.head, difference.tail
        made = [r.annotator for r in difference.versions]
        versions = " · ".join(f"{a}: {'yes' if a in made else '—'}" for a in comparison.annotators)
        item = QTreeWidgetItem(
            group,
            [
                f"{excerpt(self.text, head.start, head.end)} —{difference.label}→ "
                f"{excerpt(self.text, tail.start, tail.end)}",
                versions,
                "gold" if difference.in_gold else "not in gold",
            ],
        )
        item.setData(0, ROW, ("relation", tuple(r.id for r in difference.versions)))

    def _show_summary(self, comparison: Comparison) -> None:
        numbered = ", ".join(f"{n}: {a}" for n, a in enumerate(comparison.annotators, 1))
        self.summary.setText(
            f"Annotators {numbered or 'none'} — gold layer: {len(comparison.gold)} spans, "
            f"{len(comparison.gold_relations)} relations — {comparison.unresolved} unresolved"
        )

    # -- rows ------------------------------------------------------------------------

    @staticmethod
    def _identity(item: QTreeWidgetItem | None) -> tuple[str, tuple[int, ...]] | None:
        if item is None:
            return None
        data = item.data(0, ROW)
        return None if data is None else (str(data[0]), tuple(data[1]))

    def _rows(self) -> list[QTreeWidgetItem]:
        rows: list[QTreeWidgetItem] = []
        root = self.tree.invisibleRootItem()
        for g in range(root.childCount()):
            group = root.child(g)
            if group is not None:
                rows.extend(row for r in range(group.childCount()) if (row := group.child(r)))
        return rows

    def _find(self, identity: tuple[str, tuple[int, ...]]) -> QTreeWidgetItem | None:
        return next((item for item in self._rows() if self._identity(item) == identity), None)

    def _first_row(self) -> QTreeWidgetItem | None:
        rows = self._rows()
        unresolved = [item for item in rows if self._unresolved(item)]
        return next(iter(unresolved or rows), None)

    def _unresolved(self, item: QTreeWidgetItem) -> bool:
        difference = self._difference(item)
        return difference is not None and not difference.resolved

    def _difference(self, item: QTreeWidgetItem | None) -> Difference | None:
        identity = self._identity(item)
        if identity is None or identity[0] != "span" or self.comparison is None:
            return None
        return next((d for d in self.comparison.differences if d.identity == identity[1]), None)

    def _relation(self, item: QTreeWidgetItem | None) -> RelationDifference | None:
        identity = self._identity(item)
        if identity is None or identity[0] != "relation" or self.comparison is None:
            return None
        return next(
            (
                d
                for d in self.comparison.relations
                if tuple(r.id for r in d.versions) == identity[1]
            ),
            None,
        )

    def current_difference(self) -> Difference | None:
        """The difference of the current row, if it is one."""
        return self._difference(self.tree.currentItem())

    def _show_current(self, item: QTreeWidgetItem | None) -> None:
        difference = self._difference(item)
        relation = self._relation(item)
        if relation is not None:
            difference = relation.head
        if difference is None:
            return
        self._select_in_article(difference.gold[0] if difference.gold else difference.versions[0])

    def _select_in_article(self, span: Span) -> None:
        article = self.main.article
        article.select_span(span.id)
        viewed = article.viewed_span()
        if viewed is None or viewed.id != span.id:  # a layer the article does not show
            article.select_range(span.start, span.end)

    # -- actions ---------------------------------------------------------------------

    def _push(self, command: commands.GoldCommand) -> None:
        self.message.clear()
        self.main.undo_stack.push(command)

    def _say(self, text: str) -> None:
        self.message.setText(text)

    def pick_annotator(self, n: int) -> None:
        """Take the n-th annotator's version of the current row (their nothing, if so)."""
        comparison = self.comparison
        if comparison is None or not 1 <= n <= len(comparison.annotators):
            self._say(f"There is no annotator {n}.")
            return
        annotator = comparison.annotators[n - 1]
        relation = self._relation(self.tree.currentItem())
        if relation is not None:
            made = relation.version_of(annotator)
            if made is None:
                self._say(f"{annotator} did not make this link.")
            elif relation.in_gold:
                self._say("The gold layer has this link already.")
            else:
                self._push(
                    commands.pick_relation(
                        self.adjudication, self.main.hub, relation, made, comparison.annotators
                    )
                )
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
        relation = self._relation(self.tree.currentItem())
        if relation is not None and self.comparison is not None:
            first = relation.versions[0].annotator
            self.pick_annotator(self.comparison.annotators.index(first) + 1)
            return
        difference = self.current_difference()
        if difference is not None:
            self._pick(difference, difference.versions[0])

    def _pick(self, difference: Difference, version: Span) -> None:
        assert self.comparison is not None
        if any(
            (g.start, g.end, g.label, g.attributes, g.entity)
            == (version.start, version.end, version.label, version.attributes, version.entity)
            for g in difference.gold
        ):
            self._say(f"The gold layer has {version.annotator}'s version already.")
            return
        self._push(
            commands.pick(self.adjudication, self.main.hub, version, self.comparison.annotators)
        )

    def merge(self, how: str) -> None:
        """Make one gold span from every version of the current difference."""
        difference = self.current_difference()
        if difference is None or self.comparison is None:
            return
        if len(difference.labels) > 1:
            self._say("The versions have different labels: pick one (1–9) instead.")
            return
        self._push(
            commands.merge(
                self.adjudication, self.main.hub, difference, self.comparison.annotators, how
            )
        )

    def reject_current(self) -> None:
        """Keep nothing in gold for the current difference."""
        difference = self.current_difference()
        if difference is None or self.comparison is None:
            return
        if difference.rejected and not difference.gold:
            self._say("Nothing is kept here already.")
            return
        self._push(
            commands.reject(
                self.adjudication, self.main.hub, difference, self.comparison.annotators
            )
        )

    def accept_agreements(self) -> None:
        """Put every agreement not yet in gold into gold, as one step."""
        comparison = self.comparison
        if comparison is None:
            return
        waiting = [d for d in comparison.of_kind(Kind.AGREED) if not d.resolved]
        if not any(d.details_agree for d in waiting):
            self._say("Every agreement is in the gold layer already.")
            return
        self._push(
            commands.accept_agreements(
                self.adjudication, self.main.hub, comparison.document_id, comparison.annotators
            )
        )

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
        self._push(
            commands.copy_relations(
                self.adjudication, self.main.hub, comparison.document_id, comparison.annotators
            )
        )

    def next_unresolved(self) -> None:
        """Go to the next difference gold does not answer yet (wrapping round)."""
        rows = self._rows()
        current = self.tree.currentItem()
        at = rows.index(current) if current in rows else -1
        for item in rows[at + 1 :] + rows[: at + 1]:
            if self._unresolved(item):
                self.tree.setCurrentItem(item)
                return
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
            self.main.activateWindow()
            self.main.article.setFocus()

    def choose_label(self) -> None:
        """Offer the labels for the current gold span (type a label's hotkey or use arrows)."""
        span = self.current_gold()
        if span is None:
            return
        self.label_menu.clear()
        for label in self.main.workspace.schema.labels:
            action = self.label_menu.addAction(f"&{label.hotkey}  {label.name}")
            action.setEnabled(label.name != span.label)
            action.triggered.connect(lambda _=False, name=label.name: self.relabel(span, name))
        item = self.tree.currentItem()
        rect = self.tree.visualItemRect(item) if item is not None else self.tree.rect()
        self.label_menu.popup(self.tree.viewport().mapToGlobal(rect.bottomLeft()))

    def relabel(self, span: Span, label: str) -> None:
        """Give a gold span another label, as one step."""
        self._push(commands.relabel(self.adjudication, self.main.hub, span, label))

    def nudge(self, edge: Edge, step: int, by_word: bool) -> None:
        """Move one edge of the current gold span by a word (or a character)."""
        span = self.current_gold()
        if span is None:
            return
        start, end = nudged(self.text, span.start, span.end, edge, step, by_word=by_word)
        if (start, end) != (span.start, span.end):
            self._push(commands.move(self.adjudication, self.main.hub, span, start, end))

    def delete_gold(self) -> None:
        """Delete the current gold span: the difference is unresolved again."""
        span = self.current_gold()
        if span is not None:
            self._push(commands.delete(self.adjudication, self.main.hub, span))

    # -- following the window --------------------------------------------------------

    def _on_changed(self, changes: ChangeSet) -> None:
        if not self.isVisible():
            return
        if self.main.document_id != self.document_id:
            self.follow_document()
        elif changes.document_id in (None, self.document_id) or changes.schema:
            try:
                self.reload()
            except GlossaError as exc:
                self._say(str(exc))

    def changeEvent(self, event: QEvent) -> None:
        if event.type() == QEvent.Type.ActivationChange and self.isActiveWindow():
            self.follow_document()
        super().changeEvent(event)


def install_adjudication(window: MainWindow) -> None:
    """Add "Adjudicate…" (Ctrl+Shift+J) to the Review menu: it opens the dialog on the open
    document. Installing twice adds nothing."""
    if "adjudicate" in window.actions_by_name:
        return
    dialogs: list[AdjudicationDialog] = []

    def open_dialog() -> None:
        if window.document_id is None:
            window.statusBar().showMessage("Open a document to adjudicate first.", 4000)
            return
        if not dialogs:
            dialogs.append(AdjudicationDialog(window))
        if window.layers.choice.mode is Mode.MINE:
            window.layers.show_layers(LayerChoice(Mode.OVERLAID))
        dialog = dialogs[0]
        dialog.show()
        dialog.raise_()
        dialog.activateWindow()
        if dialog.document_id != window.document_id:
            dialog.show_document(window.document_id)
        else:
            dialog.reload()
        dialog.tree.setFocus()

    window.add_action("Review", "adjudicate", open_dialog, "&Adjudicate…")


__all__ = ["AdjudicationDialog", "install_adjudication"]
