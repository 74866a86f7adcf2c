"""Growing a label schema with what a file declares or uses.

A file brings its own labels: the labels its spans carry, the relation types its relations
carry (with the label pairs they join), the attributes its spans hold, and what a companion
file declares (brat's ``annotation.conf``, a Label Studio labeling config). A ``SchemaDraft``
gathers all of that; ``grown`` adds what the project's schema lacks, giving each new label a
colour no other label has and a free hotkey while one is left.
"""

from __future__ import annotations

import colorsys
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any

from app.core.records import DocumentRecord
from app.core.schema import AttributeSpec, Label, LabelSchema, RelationType

PALETTE = (
    "#e6194b", "#3cb44b", "#ffe119", "#4363d8", "#f58231", "#911eb4", "#42d4f4", "#f032e6",
    "#bfef45", "#fabed4", "#469990", "#dcbeff", "#9a6324", "#fffac8", "#800000", "#aaffc3",
    "#808000", "#ffd8b1", "#000075", "#a9a9a9",
)  # fmt: skip
"""Colours tried first for new labels: twenty that people tell apart."""

_COLOUR = re.compile(r"^#[0-9a-f]{6}$")

_SINGLE_KEYS = (*"1234567890bdfghijkmnopqrtuvwxyz", "f9", "f10", "f11", "f12")
HOTKEYS = (*_SINGLE_KEYS, *(f"shift+{key}" for key in _SINGLE_KEYS))
"""Keys a new label may take, in turn: single keys, then with Shift. S, C, L, A, E and F1 to
F8 are left out: the window uses them on their own (link speaker, cue, any relation; cycle
an attribute; link an entity; help, layers, figures, reload)."""

BOOKKEEPING = frozenset({"brat_id", "brat"})
"""Span attributes a format keeps to write its own file back (brat's ids, its event
triggers): not the user's attributes, so they never join the schema."""


@dataclass
class SchemaDraft:
    """Labels, relation types and attributes that a file declares or that its records use.

    Order is kept (first seen first), so that new labels take colours and hotkeys in the
    order the file names them.
    """

    labels: dict[str, dict[str, AttributeSpec]] = field(default_factory=dict)
    relations: dict[str, tuple[dict[str, None], dict[str, None]]] = field(default_factory=dict)
    looks: dict[str, Label] = field(default_factory=dict)
    """Colour, hotkey and guideline a file asks for a label (used when not taken)."""

    def __bool__(self) -> bool:
        return bool(self.labels or self.relations)

    def add_label(self, name: str) -> None:
        """Note a span label."""
        self.labels.setdefault(name, {})

    def add_attribute(self, label: str, spec: AttributeSpec) -> None:
        """Note an attribute of ``label``'s spans; the first kind given for a name stays."""
        known = self.labels.setdefault(label, {})
        former = known.get(spec.name)
        if former is None:
            known[spec.name] = spec
        elif former.kind == spec.kind == "enum":
            values = tuple(dict.fromkeys((*former.values, *spec.values)))
            known[spec.name] = replace(former, values=values)

    def add_relation(self, name: str, heads: Iterable[str], tails: Iterable[str]) -> None:
        """Note a relation type and the labels it may join (labels in their own right)."""
        heads, tails = list(heads), list(tails)
        for label in (*heads, *tails):
            self.add_label(label)
        found_heads, found_tails = self.relations.setdefault(name, ({}, {}))
        found_heads.update(dict.fromkeys(heads))
        found_tails.update(dict.fromkeys(tails))

    def merge(self, other: SchemaDraft) -> None:
        """Add everything ``other`` notes."""
        for label, specs in other.labels.items():
            self.add_label(label)
            for spec in specs.values():
                self.add_attribute(label, spec)
        for name, (heads, tails) in other.relations.items():
            self.add_relation(name, heads, tails)
        for name, look in other.looks.items():
            self.looks.setdefault(name, look)

    def take_records(self, records: Iterable[DocumentRecord]) -> None:
        """Note the labels, attributes and relations that ``records`` use."""
        for record in records:
            labels: dict[str, str] = {}
            for span in record.spans:
                self.add_label(span.label)
                labels[span.id] = span.label
                for name, value in span.attributes.items():
                    kind = _kind(value)
                    if name not in BOOKKEEPING and kind is not None:
                        self.add_attribute(span.label, AttributeSpec(str(name), kind))
            for relation in record.relations:
                head, tail = labels.get(relation.head), labels.get(relation.tail)
                self.add_relation(
                    relation.label,
                    [head] if head is not None else [],
                    [tail] if tail is not None else [],
                )

    @classmethod
    def of(cls, schema: LabelSchema) -> SchemaDraft:
        """A draft holding everything ``schema`` has (to add one schema to another)."""
        draft = cls()
        for label in schema.labels:
            draft.add_label(label.name)
            draft.looks[label.name] = label
            for spec in label.attributes:
                draft.add_attribute(label.name, spec)
        for kind in schema.relations:
            draft.add_relation(kind.name, kind.heads, kind.tails)
        return draft


def _kind(value: Any) -> str | None:
    """The attribute kind a value in a file calls for: true/false is ``bool``, a string
    ``text``; None for a value no kind holds (a number, a list), which the span keeps as an
    attribute of its own, undeclared."""
    if isinstance(value, bool):
        return "bool"
    return "text" if isinstance(value, str) else None


@dataclass(frozen=True)
class SchemaGrowth:
    """What ``grown`` added to a schema, for the import's summary."""

    labels: tuple[str, ...] = ()
    relations: tuple[str, ...] = ()
    widened: tuple[str, ...] = ()
    """Relation types already there that now join more labels (``speaker``)."""
    attributes: tuple[str, ...] = ()
    """``LABEL.attribute`` for each attribute added to a label."""

    def __bool__(self) -> bool:
        return bool(self.labels or self.relations or self.widened or self.attributes)

    def lines(self) -> list[str]:
        """``added labels: Organization, Person`` and the like, one line per kind."""
        parts = [
            ("added labels", self.labels),
            ("added relation types", self.relations),
            ("relation types joining more labels", self.widened),
            ("added attributes", self.attributes),
        ]
        return [f"{what}: {', '.join(names)}" for what, names in parts if names]


def grown(schema: LabelSchema, draft: SchemaDraft) -> tuple[LabelSchema, SchemaGrowth]:
    """``schema`` with what ``draft`` notes and ``schema`` lacks, and what was added.

    Nothing the schema has is changed or removed, except that a relation type may come to
    join more labels. Attributes of a kind other than the label's own attribute of that name
    are left as the schema has them.
    """
    labels = list(schema.labels)
    colours = {label.colour.lower() for label in labels}
    keys = {label.hotkey.lower() for label in labels if label.hotkey}
    new_labels: list[str] = []
    new_attributes: list[str] = []
    index = {label.name: number for number, label in enumerate(labels)}
    for name, specs in draft.labels.items():
        if name not in index:
            look = draft.looks.get(name)
            colour, key = _colour_of(look, colours), _hotkey_of(look, keys)
            colours.add(colour)
            if key:
                keys.add(key.lower())
            index[name] = len(labels)
            labels.append(Label(name, colour, key, look.guideline if look else ""))
            new_labels.append(name)
        label = labels[index[name]]
        have = {spec.name for spec in label.attributes}
        more = tuple(spec for spec in specs.values() if spec.name not in have)
        if more:
            labels[index[name]] = replace(label, attributes=(*label.attributes, *more))
            new_attributes.extend(f"{name}.{spec.name}" for spec in more)
    relations = list(schema.relations)
    kinds = {kind.name: number for number, kind in enumerate(relations)}
    new_kinds: list[str] = []
    widened: list[str] = []
    for name, (heads, tails) in draft.relations.items():
        if not heads or not tails:
            continue  # a relation type declared before any label it joins: nothing to say
        if name not in kinds:
            kinds[name] = len(relations)
            relations.append(RelationType(name, tuple(heads), tuple(tails)))
            new_kinds.append(name)
            continue
        kind = relations[kinds[name]]
        more_heads = tuple(h for h in heads if h not in kind.heads)
        more_tails = tuple(t for t in tails if t not in kind.tails)
        if more_heads or more_tails:
            relations[kinds[name]] = RelationType(
                name, (*kind.heads, *more_heads), (*kind.tails, *more_tails)
            )
            widened.append(name)
    result = LabelSchema(schema.name, tuple(labels), tuple(relations))
    growth = SchemaGrowth(
        tuple(new_labels), tuple(new_kinds), tuple(widened), tuple(new_attributes)
    )
    return result, growth


def _colour_of(look: Label | None, used: set[str]) -> str:
    wanted = look.colour.lower() if look else ""
    if _COLOUR.match(wanted) and wanted not in used:
        return wanted
    return free_colour(used)


def _hotkey_of(look: Label | None, used: set[str]) -> str:
    wanted = look.hotkey.lower() if look else ""
    if len(wanted) == 1 and wanted.isalnum() and wanted not in used:
        return look.hotkey if look else ""
    return free_hotkey(used)


def free_colour(used: set[str]) -> str:
    """A ``#rrggbb`` colour not in ``used`` (lower case): the palette first, then hues spread
    by the golden angle."""
    for colour in PALETTE:
        if colour not in used:
            return colour
    step = 0
    while True:
        hue = (step * 0.618033988749895) % 1.0
        lightness = (0.45, 0.6, 0.35)[step % 3]
        red, green, blue = colorsys.hls_to_rgb(hue, lightness, 0.65)
        colour = f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"
        if colour not in used:
            return colour
        step += 1


def free_hotkey(used: set[str]) -> str:
    """The first of ``HOTKEYS`` not in ``used`` (lower case), or empty when none is left."""
    return next((_shown(key) for key in HOTKEYS if key not in used), "")


def _shown(key: str) -> str:
    """A key as Qt reads it: ``Shift+Q``, ``F9``, ``q``."""
    if key.startswith("shift+"):
        return "Shift+" + _shown(key[len("shift+") :]).upper()
    return key.upper() if key.startswith("f") and key[1:].isdigit() else key
