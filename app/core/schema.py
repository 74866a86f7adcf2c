"""Label schema: which span labels exist, their colours, hotkeys and guidelines."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from app.core.errors import InputError

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")


@dataclass(frozen=True)
class AttributeSpec:
    """One attribute a label's spans may carry (an enum, yes/no or free text)."""

    name: str
    kind: str  # "enum" | "bool" | "text"
    values: tuple[str, ...] = ()


@dataclass(frozen=True)
class Label:
    """A span label as the user sees it in the palette."""

    name: str
    colour: str
    hotkey: str
    guideline: str = ""
    attributes: tuple[AttributeSpec, ...] = ()


@dataclass(frozen=True)
class RelationType:
    """A relation label and which span labels it may join (head -> tail)."""

    name: str
    heads: tuple[str, ...]
    tails: tuple[str, ...]


@dataclass(frozen=True)
class LabelSchema:
    """The labels and relation types of a project."""

    name: str
    labels: tuple[Label, ...]
    relations: tuple[RelationType, ...] = field(default=())

    def label(self, name: str) -> Label | None:
        """Return the label called ``name``, if the schema has it."""
        return next((lab for lab in self.labels if lab.name == name), None)

    def by_hotkey(self, key: str) -> Label | None:
        """Return the label whose hotkey is ``key`` (case-insensitive)."""
        key = key.lower()
        return next((lab for lab in self.labels if lab.hotkey.lower() == key), None)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any], source: str = "") -> LabelSchema:
        """Build a schema from its JSON form, checking colours and hotkeys."""
        try:
            labels = tuple(_label(item) for item in data["labels"])
            relations = tuple(
                RelationType(r["name"], tuple(r["heads"]), tuple(r["tails"]))
                for r in data.get("relations", ())
            )
            schema = cls(str(data["name"]), labels, relations)
        except (KeyError, TypeError) as exc:
            raise InputError(f"label schema is missing {exc}", source=source) from None
        _check_unique((lab.name for lab in labels), "label name", source)
        # a label added from a file once every key is taken has none: typed from the palette
        _check_unique((lab.hotkey.lower() for lab in labels if lab.hotkey), "hotkey", source)
        for lab in labels:
            if not _COLOUR.match(lab.colour):
                raise InputError(
                    f"label {lab.name}: colour {lab.colour!r} is not #rrggbb", source=source
                )
        return schema

    def to_dict(self) -> dict[str, Any]:
        """Return the JSON form of the schema."""
        return {
            "name": self.name,
            "labels": [
                {
                    "name": lab.name,
                    "colour": lab.colour,
                    "hotkey": lab.hotkey,
                    "guideline": lab.guideline,
                    "attributes": [
                        {"name": a.name, "kind": a.kind, "values": list(a.values)}
                        for a in lab.attributes
                    ],
                }
                for lab in self.labels
            ],
            "relations": [
                {"name": r.name, "heads": list(r.heads), "tails": list(r.tails)}
                for r in self.relations
            ],
        }


def _label(item: Mapping[str, Any]) -> Label:
    return Label(
        name=str(item["name"]),
        colour=str(item["colour"]),
        hotkey=str(item["hotkey"]),
        guideline=str(item.get("guideline", "")),
        attributes=tuple(
            AttributeSpec(str(a["name"]), str(a["kind"]), tuple(a.get("values", ())))
            for a in item.get("attributes", ())
        ),
    )


def _check_unique(values: Iterable[str], what: str, source: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise InputError(f"duplicate {what} {value!r} in label schema", source=source)
        seen.add(value)
