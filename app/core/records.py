"""Documents as they travel through files: the native JSONL record and its parts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class SpanRecord:
    """A span in a file: offsets in code points of the record's text."""

    id: str
    start: int
    end: int
    label: str
    text: str
    annotator: str = ""
    origin: str = "imported"
    attributes: dict[str, Any] = field(default_factory=dict)
    entity: str = ""
    """The id of the entity this span mentions, in the file's entity table; empty when none."""


@dataclass(frozen=True)
class RelationRecord:
    """A relation in a file, naming its head and tail spans by their record ids."""

    id: str
    head: str
    tail: str
    label: str
    annotator: str = ""


@dataclass(frozen=True)
class DocumentRecord:
    """One document with its annotations, as read from or written to a file."""

    id: str
    text: str
    meta: dict[str, Any] = field(default_factory=dict)
    spans: tuple[SpanRecord, ...] = ()
    relations: tuple[RelationRecord, ...] = ()
    source: str = ""
    """Where the record came from (``file`` or ``file:line``), for messages."""
    line: int | None = None

    @property
    def title(self) -> str:
        """The record's title from ``meta``, or empty."""
        return str(self.meta.get("title", "") or "")


@dataclass(frozen=True)
class EntityRecord:
    """A cross-document entity in a file's entity table; spans name it by ``id``."""

    id: str
    name: str
    type: str
    aliases: tuple[str, ...] = ()
    external_id: str = ""
