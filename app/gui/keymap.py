"""The keyboard map: one table that both the actions and the help dialog are built from."""

from __future__ import annotations

from app.core.schema import LabelSchema

SHORTCUTS: dict[str, tuple[str, ...]] = {
    "undo": ("Ctrl+Z",),
    "redo": ("Ctrl+Shift+Z", "Ctrl+Y"),
    "delete_span": ("Del", "Backspace"),
    "add_fragment": ("Ctrl+G",),
    "link_speaker": ("S",),
    "link_cue": ("C",),
    "link_any": ("L",),
    "cycle_attribute": ("A",),
    "link_entity": ("E",),
    "entities_view": ("Ctrl+E",),
    "focus_relations": ("Ctrl+R",),
    "done_and_next": ("Ctrl+Return", "Ctrl+Enter"),
    "next_document": ("Alt+Right", "Ctrl+PgDown"),
    "previous_document": ("Alt+Left", "Ctrl+PgUp"),
    "filter_documents": ("Ctrl+Shift+F", "Ctrl+L"),
    "find": ("Ctrl+F",),
    "find_next": ("F3",),
    "find_previous": ("Shift+F3",),
    "tag_all": ("Ctrl+Shift+T",),
    "edit_details": ("Ctrl+I",),
    "edit_schema": ("Ctrl+Shift+L",),
    "keyboard_map": ("F1",),
    "guidelines": ("Shift+F1",),
    "review_table": ("Ctrl+Shift+R",),
    "adjudicate": ("Ctrl+Shift+J",),
    "choose_layers": ("F6",),
    "agreement_view": ("F7",),
    "dashboard": ("F8",),
    "refresh": ("F5",),
    "switch_annotator": ("Ctrl+Shift+U",),
    "open_database": ("Ctrl+Shift+D",),
    "merge_work": ("Ctrl+Shift+M",),
    "import": ("Ctrl+O",),
    "export": ("Ctrl+Shift+E",),
    "quit": ("Ctrl+Q",),
}

DESCRIPTIONS: dict[str, str] = {
    "undo": "Undo",
    "redo": "Redo",
    "delete_span": "Delete the selected span (and, after asking, the relations that use it)",
    "add_fragment": "Add the selected text to the selected span as one more fragment (a quote "
    "broken by “he said”): select the span, then the next piece, then press the key",
    "link_speaker": "Link the selected QUOTE to its speaker, or the selected CLAIM to its "
    "claimant: pick the PERSON or ORG next",
    "link_cue": "Link the selected QUOTE to its cue: pick the CUE next",
    "link_any": "Link the selected span with any relation the schema allows for it "
    "(press again while picking to switch relation)",
    "cycle_attribute": "Cycle the selected span's first choice attribute "
    "(QUOTE kind: direct, indirect, mixed, unset)",
    "link_entity": "Link the selected PERSON, ORG or LOC to a cross-document entity "
    "(arrows and Enter pick; typing filters or names a new entity)",
    "entities_view": "Show the entities: mentions and quotes of each; F2 renames, Merge joins two",
    "focus_relations": "Go to the document's relations (Del deletes one, Enter shows its span)",
    "done_and_next": "Mark the document done and open the next unfinished one",
    "next_document": "Next document",
    "previous_document": "Previous document",
    "filter_documents": "Filter the document list by title",
    "find": "Find in the article (Enter / Shift+Enter: next / previous match, Esc closes)",
    "find_next": "Next match",
    "find_previous": "Previous match",
    "tag_all": "Tag every match of the find bar with its label, as one step",
    "edit_details": "Edit the article's title, source, author, date and URL",
    "edit_schema": "Edit the label schema: labels, colours, hotkeys, attributes, relations",
    "keyboard_map": "Show this keyboard map",
    "guidelines": "Show the annotation guidelines: every label and relation",
    "review_table": "Review every annotation of the project in one table: filter, sort, "
    "accept, reject, relabel, fix",
    "adjudicate": "Adjudicate the open document: see where annotators differ and build the "
    "gold layer",
    "choose_layers": "Choose whose layers the article shows: mine, another annotator's, "
    "all overlaid, or side by side",
    "agreement_view": "Show agreement between annotators: F1 per label, kappa, alpha, relations",
    "dashboard": "Show the statistics dashboard: labels, progress over time, agreement",
    "refresh": "Reload changes other annotators made to the team database",
    "switch_annotator": "Switch to another annotator",
    "open_database": "Open another database: a file, or a team server (PostgreSQL)",
    "merge_work": "Merge a colleague's work (a Glossa database or a JSONL export) as their "
    "annotator layers",
    "import": "Import files (or drop files and folders on the window)",
    "export": "Export documents and their annotations: format, filters, split",
    "quit": "Quit",
}

# The relations each link key starts, by name; the first one the selected span's label may
# head is used, so S links a QUOTE to its speaker and a CLAIM to its claimant.
LINK_KEYS: dict[str, tuple[str, ...]] = {
    "link_speaker": ("speaker", "claimant"),
    "link_cue": ("cue",),
}

# Moving the selected span's edges; the article view handles these while a span is selected
# and no text is: Ctrl+arrows push the start, Ctrl+Shift+arrows push the end, and Alt makes
# the step one character instead of one word. Values: (edge, direction, by_word).
BOUNDARY_KEYS: dict[str, tuple[str, int, bool]] = {
    "Ctrl+Left": ("start", -1, True),
    "Ctrl+Right": ("start", +1, True),
    "Ctrl+Alt+Left": ("start", -1, False),
    "Ctrl+Alt+Right": ("start", +1, False),
    "Ctrl+Shift+Left": ("end", -1, True),
    "Ctrl+Shift+Right": ("end", +1, True),
    "Ctrl+Shift+Alt+Left": ("end", -1, False),
    "Ctrl+Shift+Alt+Right": ("end", +1, False),
}

# Keys the article view handles itself
ARTICLE_KEYS: tuple[tuple[str, str], ...] = (
    ("Shift+Arrows, Shift+Home/End", "Extend the selection (snaps to whole words)"),
    ("Alt+Shift+Arrows", "Extend the selection character by character (no snapping)"),
    ("Mouse drag (Alt held: no snapping)", "Select text"),
    ("Click on a span", "Select it; click again to step out to an enclosing span"),
    ("Tab / Shift+Tab", "Select the next / previous span"),
    ("Escape", "Clear the selection"),
    ("Ctrl+Left / Ctrl+Right", "Selected span: start one word earlier / later"),
    ("Ctrl+Shift+Left / Ctrl+Shift+Right", "Selected span: end one word earlier / later"),
    ("… with Alt held", "… one character instead of one word"),
    ("Drag the start or end edge of the selected span", "Move it (Alt held: no snapping)"),
    ("While linking: Tab / Shift+Tab, then Enter", "Pick the next / previous candidate, link it"),
    ("While linking: click on a span", "Link that span"),
    ("While linking: Escape", "Cancel the link"),
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
