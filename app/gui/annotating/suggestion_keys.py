"""The keys the open article's suggestions answer to, while one is current or stepped to.

Alt+Down / Alt+Up step; Tab / Shift+Tab step once one is current (or when the article has no
spans); Enter accepts, Shift+Enter accepts every one of its label, Del or Backspace rejects,
a label's key accepts as that label, Escape leaves, and the span-edge keys
(``keymap.BOUNDARY_KEYS``) fix its boundary before accepting.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtGui import QKeyEvent, QKeySequence

from app.gui.keymap import BOUNDARY_KEYS
from app.services.boundaries import Edge

if TYPE_CHECKING:
    from app.gui.annotating.suggestions import ArticleSuggestions

_RETURN = (Qt.Key.Key_Return, Qt.Key.Key_Enter)
_REJECT = (Qt.Key.Key_Delete, Qt.Key.Key_Backspace)
_TAB = (Qt.Key.Key_Tab, Qt.Key.Key_Backtab)
_STEP = (Qt.Key.Key_Down, Qt.Key.Key_Up)
_ALT = Qt.KeyboardModifier.AltModifier
_NONE = Qt.KeyboardModifier.NoModifier
_SHIFT = Qt.KeyboardModifier.ShiftModifier
_CTRL_ALT = Qt.KeyboardModifier.ControlModifier | Qt.KeyboardModifier.AltModifier
_KEYPAD = Qt.KeyboardModifier.KeypadModifier
_FIX_KEYS: dict[int, tuple[Edge, int, bool]] = {
    QKeySequence(keys)[0].toCombined(): move  # type: ignore[index, misc]
    for keys, move in BOUNDARY_KEYS.items()
}


def key_action(suggestions: ArticleSuggestions, event: QKeyEvent) -> Callable[[], None] | None:
    """What a key does to the suggestions, if it is one of theirs now."""
    if suggestions.article.picking or suggestions.layer is None:
        return None
    key = Qt.Key(event.key())
    modifiers = event.modifiers() & ~_KEYPAD
    if key in _STEP and modifiers == _ALT and suggestions.suggestions:
        return lambda: suggestions.step(key == Qt.Key.Key_Up)
    # Tab keeps stepping through the spans unless the suggestions have the keys (one is
    # current) or there are no spans to step through
    stepping = suggestions.current is not None or not suggestions.article.spans()
    if key in _TAB and not modifiers & _CTRL_ALT and suggestions.suggestions and stepping:
        backward = key == Qt.Key.Key_Backtab or bool(modifiers & _SHIFT)
        return lambda: suggestions.step(backward)
    if suggestions.current is None:
        return None
    if key in _RETURN and modifiers == _NONE:
        return suggestions.accept_current
    if key in _RETURN and modifiers == _SHIFT:
        return suggestions.accept_label
    if key in _REJECT and modifiers == _NONE:
        return suggestions.reject_current
    if key == Qt.Key.Key_Escape and modifiers == _NONE:
        return suggestions.clear_current
    move = _FIX_KEYS.get(event.keyCombination().key().value | modifiers.value)
    if move is not None:
        return lambda: suggestions.fix_current(*move)
    pressed = QKeySequence(event.keyCombination().key() | modifiers.value)
    for label in suggestions.session.workspace.schema.labels:
        if label.hotkey and QKeySequence(label.hotkey).matches(pressed).name == "ExactMatch":
            name = label.name
            return lambda: suggestions.accept_current(name)
    return None
