"""The adjudication dialog's keys: one action per key, alive while the dialog has the focus.

1-9 pick the n-th annotator's version, Enter the first, M merge (Shift+M the overlap), X or
Del keep nothing, A accept every agreement, R copy the agreed relations, N the next
unresolved difference; on the row's gold span L relabels, the article's boundary keys move
it, Backspace deletes it and E shows it in the article; Ctrl+Z and Ctrl+Shift+Z undo, redo.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QAction, QKeySequence, QUndoStack

from app.gui.keymap import BOUNDARY_KEYS, SHORTCUTS

if TYPE_CHECKING:
    from app.gui.reviewing.adjudication_view import AdjudicationDialog

KEYS_HELP = (
    "1–9 pick that annotator's version · Enter the first · M merge (Shift+M: overlap only) · "
    "X/Del keep nothing · A accept agreements · R copy agreed relations · "
    "N next unresolved · gold span: L relabel, Ctrl(+Shift)+arrows move its start (end), "
    "Backspace delete, E show in the article · Ctrl+Z undo"
)


def build_keys(dialog: AdjudicationDialog, undo_stack: QUndoStack) -> list[QAction]:
    """Add the keys to ``dialog``; the answering ones are returned (a menu turns them off)."""
    made: list[QAction] = []

    def key(keys: list[str], slot: object) -> None:
        action = QAction(dialog)
        made.append(action)
        action.setShortcuts([QKeySequence(k) for k in keys])
        action.setShortcutContext(Qt.ShortcutContext.WidgetWithChildrenShortcut)
        action.triggered.connect(slot)
        dialog.addAction(action)

    for n in range(1, 10):
        key([str(n)], lambda _=False, n=n: dialog.pick_annotator(n))
    key(["Return", "Enter"], dialog.pick_first)
    key(["M"], lambda: dialog.merge("union"))
    key(["Shift+M"], lambda: dialog.merge("intersection"))
    key(["X", "Del"], dialog.reject_current)
    key(["A", "Ctrl+A"], dialog.accept_agreements)
    key(["R"], dialog.copy_relations)
    key(["N"], dialog.next_unresolved)
    key(["E"], dialog.edit_gold)
    key(["L"], dialog.choose_label)
    key(["Backspace"], dialog.delete_gold)
    for keys, (edge, step, by_word) in BOUNDARY_KEYS.items():
        key([keys], lambda _=False, e=edge, s=step, w=by_word: dialog.nudge(e, s, w))
    undo = undo_stack.createUndoAction(dialog)
    undo.setShortcuts([QKeySequence(k) for k in SHORTCUTS["undo"]])
    redo = undo_stack.createRedoAction(dialog)
    redo.setShortcuts([QKeySequence(k) for k in SHORTCUTS["redo"]])
    dialog.addActions([undo, redo])
    return made
