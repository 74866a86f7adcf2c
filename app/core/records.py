"""Documents as they travel through files: the native JSONL record and its parts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, NamedTuple


class SpanRecord(NamedTuple):
    """A span in a file: offsets in code points of the record's text.

    A named tuple, as ``app.core.annotations.Span`` is: an export builds one per span and a
    tuple is built in one call, where a frozen dataclass sets its fields one by one. Its
    fields, in order, are the keys of the span's JSON object in the native format.
    ``attributes`` is never changed in place (records made without attributes share the
    default's empty dict): make a new record with ``_replace``.
    """

    id: str
    start: int
    end: int
    label: str
    text: str
    annotator: str = ""
    origin: str = "imported"
    attributes: dict[str, Any] = {}  # noqa: RUF012 - never mutated; replaced with _replace
    entity: str = ""
    """The id of the entity this span mentions, in the file's entity table; empty when none."""
    fragments: tuple[tuple[int, int], ...] = ()
    """The pieces of a discontinuous span (``start``/``end`` cover them all, ``text`` is the
    covered text, gaps included); empty for a span in one piece."""

    @property
    def pieces(self) -> tuple[tuple[int, int], ...]:
        """The ranges the span covers: its fragments, or its one range."""
        return self.fragments or ((self.start, self.end),)


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
