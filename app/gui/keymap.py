"""The keyboard map: one table that both the actions and the help dialog are built from."""

from __future__ import annotations

from app.core.schema import LabelSchema

SHORTCUTS: dict[str, tuple[str, ...]] = {
    "undo": ("Ctrl+Z",),
    "redo": ("Ctrl+Shift+Z", "Ctrl+Y"),
    "delete_span": ("Del", "Backspace"),
    "done_and_next": ("Ctrl+Return", "Ctrl+Enter"),
    "next_document": ("Alt+Right", "Ctrl+PgDown"),
    "previous_document": ("Alt+Left", "Ctrl+PgUp"),
    "filter_documents": ("Ctrl+F",),
    "keyboard_map": ("F1",),
    "quit": ("Ctrl+Q",),
}

DESCRIPTIONS: dict[str, str] = {
    "undo": "Undo",
    "redo": "Redo",
    "delete_span": "Delete the selected span",
    "done_and_next": "Mark the document done and open the next unfinished one",
    "next_document": "Next document",
    "previous_document": "Previous document",
    "filter_documents": "Filter the document list by title",
    "keyboard_map": "Show this keyboard map",
    "quit": "Quit",
}

# Keys the article view handles itself
ARTICLE_KEYS: tuple[tuple[str, str], ...] = (
    ("Shift+Arrows, Shift+Home/End", "Extend the selection (snaps to whole words)"),
    ("Alt+Shift+Arrows", "Extend the selection character by character (no snapping)"),
    ("Mouse drag (Alt held: no snapping)", "Select text"),
    ("Click on a span", "Select it; click again to step out to an enclosing span"),
    ("Tab / Shift+Tab", "Select the next / previous span"),
    ("Escape", "Clear the selection"),
)


def keyboard_map(schema: LabelSchema) -> list[tuple[str, str]]:
    """Rows of (keys, what they do), labels first, as the help dialog lists them."""
    rows = [
        (label.hotkey, f"Tag the selection as {label.name} (or relabel the selected span)")
        for label in schema.labels
    ]
    rows.extend(ARTICLE_KEYS)
    rows.extend((" or ".join(keys), DESCRIPTIONS[name]) for name, keys in SHORTCUTS.items())
    return rows
