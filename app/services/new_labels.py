"""Labels a corpus brings with it: CoNLL files name their own types (PER, MISC, LOCderiv, ...).

Refusing a corpus because its types are not in the project's schema would make every real
corpus fail on a fresh database, so an import in a format whose labels come from the file
adds the missing labels to the schema, in the import's transaction, each with a colour and a
free hotkey, and says so in the report.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.core.errors import InputError
from app.core.records import DocumentRecord
from app.core.schema import Label, LabelSchema

_ONE_KEYS = tuple("1234567890qwrtyuiopdfghjkzxvbnm") + tuple(f"F{n}" for n in range(9, 13))
FREE_KEYS = _ONE_KEYS + tuple(f"Shift+{key.upper()}" for key in _ONE_KEYS)
"""Hotkeys given to added labels, in this order, skipping the ones taken: single keys, then
with Shift. The window's own one-key actions (S, C, L, A, E, F1 to F8) are left out: a
label's hotkey would take them."""
COLOURS = (
    "#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b",
    "#e377c2", "#7f7f7f", "#bcbd22", "#17becf", "#393b79", "#637939",
)  # fmt: skip


def missing_labels(schema: LabelSchema, records: Iterable[DocumentRecord]) -> list[str]:
    """Labels the records' spans use that ``schema`` lacks, in order of first use."""
    known = {label.name for label in schema.labels}
    missing: dict[str, None] = {}
    for record in records:
        for span in record.spans:
            if span.label not in known:
                missing.setdefault(span.label)
    return list(missing)


def schema_with(schema: LabelSchema, names: Iterable[str], source: str = "") -> LabelSchema:
    """``schema`` with a label added for each of ``names`` it lacks (colour, free hotkey).

    Raises ``InputError`` naming ``source`` when the free hotkeys run out.
    """
    taken = {label.hotkey.lower() for label in schema.labels}
    known = {label.name for label in schema.labels}
    keys = (key for key in FREE_KEYS if key.lower() not in taken)
    added: list[Label] = []
    for name in names:
        if name in known:
            continue
        key = next(keys, None)
        if key is None:
            raise InputError(
                f"the file brings more new labels than there are free hotkeys ({name!r} and on)",
                source=source,
            )
        colour = COLOURS[(len(schema.labels) + len(added)) % len(COLOURS)]
        added.append(Label(name, colour, key, guideline="Added by an import."))
        known.add(name)
    return LabelSchema(schema.name, (*schema.labels, *added), schema.relations)
