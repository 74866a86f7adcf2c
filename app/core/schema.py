"""Label schema: which span labels exist, their colours, hotkeys and guidelines."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from app.core.errors import InputError

_COLOUR = re.compile(r"^#[0-9a-fA-F]{6}$")

LABEL_ROLES = ("entity", "quote", "claim", "cue")
"""What a label's spans are to Glossa: mentions linked to entities, quotes, claims, cues."""
RELATION_ROLES = ("speaker", "cue")
"""What a relation type says: who said a quote or made a claim, or which words cue it."""

_NEWS_ROLES = {
    "PERSON": "entity",
    "ORG": "entity",
    "LOC": "entity",
    "QUOTE": "quote",
    "CLAIM": "claim",
    "CUE": "cue",
    "speaker": "speaker",
    "claimant": "speaker",
    "cue": "cue",
}
"""The roles of the news schema's names, for schemas stored before roles were named."""


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
    role: str = ""
    """One of ``LABEL_ROLES``, or "" for a label Glossa gives no meaning of its own."""


@dataclass(frozen=True)
class RelationType:
    """A relation label and which span labels it may join (head -> tail)."""

    name: str
    heads: tuple[str, ...]
    tails: tuple[str, ...]
    role: str = ""
    """One of ``RELATION_ROLES``, or ""."""


@dataclass(frozen=True)
class LabelSchema:
    """The labels and relation types of a project."""

    name: str
    labels: tuple[Label, ...]
    relations: tuple[RelationType, ...] = field(default=())

    def label(self, name: str) -> Label | None:
        """Return the label called ``name``, if the schema has it."""
        return next((lab for lab in self.labels if lab.name == name), None)

    def labels_with_role(self, role: str) -> tuple[str, ...]:
        """The names of the labels that play ``role`` ("entity", "quote", ...)."""
        return tuple(lab.name for lab in self.labels if lab.role == role)

    def relations_with_role(self, role: str) -> tuple[str, ...]:
        """The names of the relation types that play ``role`` ("speaker", "cue")."""
        return tuple(kind.name for kind in self.relations if kind.role == role)

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
                RelationType(
                    r["name"], tuple(r["heads"]), tuple(r["tails"]), str(r.get("role", ""))
                )
                for r in data.get("relations", ())
            )
            schema = cls(str(data["name"]), labels, relations)
            if not any("role" in item for item in (*data["labels"], *data.get("relations", ()))):
                schema = _with_news_roles(schema)
        except (KeyError, TypeError) as exc:
            raise InputError(f"label schema is missing {exc}", source=source) from None
        _check_unique((lab.name for lab in labels), "label name", source)
        # a label added from a file once every key is taken has none: typed from the palette
        _check_unique((lab.hotkey.lower() for lab in labels if lab.hotkey), "hotkey", source)
        for lab in labels:
            if lab.role and lab.role not in LABEL_ROLES:
                raise InputError(
                    f"label {lab.name}: role {lab.role!r} is not one of {', '.join(LABEL_ROLES)}",
                    source=source,
                )
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
                    "role": lab.role,
                }
                for lab in self.labels
            ],
            "relations": [
                {"name": r.name, "heads": list(r.heads), "tails": list(r.tails), "role": r.role}
                for r in self.relations
            ],
        }


def _with_news_roles(schema: LabelSchema) -> LabelSchema:
    """``schema`` with the news schema's roles given to the names that have them."""
    return LabelSchema(
        schema.name,
        tuple(replace(lab, role=_NEWS_ROLES.get(lab.name, "")) for lab in schema.labels),
        tuple(replace(kind, role=_NEWS_ROLES.get(kind.name, "")) for kind in schema.relations),
    )


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
        role=str(item.get("role", "")),
    )


def _check_unique(values: Iterable[str], what: str, source: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise InputError(f"duplicate {what} {value!r} in label schema", source=source)
        seen.add(value)
