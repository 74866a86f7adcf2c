"""The keyboard map: the keys of the declared actions (``app.gui.actions``) and of the article."""

from __future__ import annotations

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
    "zoom_in": ("Ctrl++", "Ctrl+="),
    "zoom_out": ("Ctrl+-",),
    "zoom_reset": ("Ctrl+0",),
    "done_and_next": ("Ctrl+Return", "Ctrl+Enter"),
    "next_document": ("Alt+Right", "Ctrl+PgDown"),
    "previous_document": ("Alt+Left", "Ctrl+PgUp"),
    "filter_documents": ("Ctrl+Shift+F", "Ctrl+L"),
    "find": ("Ctrl+F",),
    "find_next": ("F3",),
    "find_previous": ("Shift+F3",),
    "tag_all": ("Ctrl+Shift+T",),
    "edit_text": ("Ctrl+Shift+X",),
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
    "zoom_in": "Zoom the article in (or Ctrl+mouse wheel); the zoom is remembered",
    "zoom_out": "Zoom the article out",
    "zoom_reset": "Show the article at its normal size",
    "done_and_next": "Mark the document done and open the next unfinished one",
    "next_document": "Next document",
    "previous_document": "Previous document",
    "filter_documents": "Filter the document list by title",
    "find": "Find in the article (Enter / Shift+Enter: next / previous match, Esc closes)",
    "find_next": "Next match",
    "find_previous": "Previous match",
    "tag_all": "Tag every match of the find bar with its label, as one step",
    "edit_text": "Edit the article's text (Ctrl+Enter saves it as a new version with every "
    "span re-anchored, Esc cancels; undo goes back to the old version)",
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

# The tasks the keyboard map is grouped by, in the order it shows them
SELECTING = "Selecting"
TAGGING = "Tagging"
SUGGESTIONS = "Suggestions"
SPAN_EDGES = "Moving a span's edges"
RELATIONS = "Relations"
ENTITIES = "Entities"
FINDING = "Finding"
NAVIGATION = "Documents"
REVIEW = "Review and agreement"
VIEW = "View"
FILES = "Files, databases and the team"
HELP = "Help"
MORE = "More"
TASKS = (
    SELECTING,
    TAGGING,
    SPAN_EDGES,
    RELATIONS,
    SUGGESTIONS,
    ENTITIES,
    FINDING,
    NAVIGATION,
    REVIEW,
    VIEW,
    FILES,
    HELP,
    MORE,
)

# The task of each action of SHORTCUTS; an action missing here is listed under MORE
TASK_OF: dict[str, str] = {
    "undo": TAGGING,
    "redo": TAGGING,
    "delete_span": TAGGING,
    "add_fragment": TAGGING,
    "cycle_attribute": TAGGING,
    "edit_schema": TAGGING,
    "link_speaker": RELATIONS,
    "link_cue": RELATIONS,
    "link_any": RELATIONS,
    "focus_relations": RELATIONS,
    "link_entity": ENTITIES,
    "entities_view": ENTITIES,
    "find": FINDING,
    "find_next": FINDING,
    "find_previous": FINDING,
    "tag_all": FINDING,
    "done_and_next": NAVIGATION,
    "next_document": NAVIGATION,
    "previous_document": NAVIGATION,
    "filter_documents": NAVIGATION,
    "edit_details": NAVIGATION,
    "review_table": REVIEW,
    "adjudicate": REVIEW,
    "agreement_view": REVIEW,
    "dashboard": REVIEW,
    "choose_layers": VIEW,
    "zoom_in": VIEW,
    "zoom_out": VIEW,
    "zoom_reset": VIEW,
    "edit_text": NAVIGATION,
    "refresh": FILES,
    "switch_annotator": FILES,
    "open_database": FILES,
    "merge_work": FILES,
    "import": FILES,
    "export": FILES,
    "quit": FILES,
    "keyboard_map": HELP,
    "guidelines": HELP,
}

# Keys the article view handles itself: (task, keys, what they do)
ARTICLE_KEYS: tuple[tuple[str, str, str], ...] = (
    (SELECTING, "Mouse drag (Alt held: no snapping)", "Select text"),
    (SELECTING, "Shift+Arrows, Shift+Home/End", "Extend the selection (snaps to whole words)"),
    (
        SELECTING,
        "Ctrl+Shift+Right / Ctrl+Shift+Left",
        "No span selected: extend or shrink the selection by a whole word",
    ),
    (
        SELECTING,
        "Alt+Shift+Arrows",
        "Extend the selection character by character (no snapping)",
    ),
    (SELECTING, "Click on a span", "Select it; click again to step out to an enclosing span"),
    (SELECTING, "Tab / Shift+Tab", "Select the next / previous span"),
    (SELECTING, "Escape", "Clear the selection"),
    (SPAN_EDGES, "Ctrl+Left / Ctrl+Right", "Selected span: start one word earlier / later"),
    (
        SPAN_EDGES,
        "Ctrl+Shift+Left / Ctrl+Shift+Right",
        "Selected span: end one word earlier / later",
    ),
    (SPAN_EDGES, "… with Alt held", "… one character instead of one word"),
    (
        SPAN_EDGES,
        "Drag the start or end edge of the selected span",
        "Move it (Alt held: no snapping)",
    ),
    (
        RELATIONS,
        "While linking: Tab / Shift+Tab, then Enter",
        "Pick the next / previous candidate, link it",
    ),
    (RELATIONS, "While linking: click on a span", "Link that span"),
    (RELATIONS, "While linking: Escape", "Cancel the link"),
    (SUGGESTIONS, "Alt+Down / Alt+Up", "Go to the next / previous suggestion (dashed outline)"),
    (SUGGESTIONS, "On a suggestion: Tab / Shift+Tab", "Next / previous suggestion"),
    (
        SUGGESTIONS,
        "On a suggestion: Enter",
        "Accept it (a quote with its cue, speaker and relations)",
    ),
    (
        SUGGESTIONS,
        "On a suggestion: Del or Backspace",
        "Reject it: not proposed again for that text",
    ),
    (SUGGESTIONS, "On a suggestion: a label key", "Accept it as that label"),
    (
        SUGGESTIONS,
        "On a suggestion: Ctrl+Left / Ctrl+Right",
        "Fix its start one word earlier / later before accepting",
    ),
    (
        SUGGESTIONS,
        "On a suggestion: Ctrl+Shift+Left / Ctrl+Shift+Right",
        "Fix its end one word earlier / later (Alt held: one character)",
    ),
    (
        SUGGESTIONS,
        "On a suggestion: Shift+Enter",
        "Accept every suggestion of its label in the article",
    ),
    (
        SUGGESTIONS,
        "On a suggestion: Escape",
        "Leave the suggestions (Tab steps through spans again)",
    ),
)
