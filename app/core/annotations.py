"""Documents, spans and relations as plain values shared by every layer."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, NamedTuple

from app.core.errors import SpanError


class Origin(StrEnum):
    """Where a span came from."""

    MANUAL = "manual"
    IMPORTED = "imported"
    SUGGESTED = "suggested"


class Status(StrEnum):
    """An annotator's progress on one document."""

    NEW = "new"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class Span(NamedTuple):
    """A labelled ``[start, end)`` range of code points in a document's canonical text.

    A named tuple rather than a dataclass: a long article loads tens of thousands of them,
    and tuples are built several times faster and take less memory.
    """

    id: int
    document_id: int
    start: int
    end: int
    label: str
    annotator: str
    origin: Origin = Origin.MANUAL
    attributes: dict[str, Any] = {}  # noqa: RUF012 - never mutated; replaced with _replace
    entity: int | None = None
    """The cross-document entity this span mentions (PERSON, ORG and LOC spans only)."""

    def covers(self, offset: int) -> bool:
        """True when the character at ``offset`` is inside the span."""
        return self.start <= offset < self.end


@dataclass(frozen=True)
class Relation:
    """A labelled link from a head span to a tail span of the same document."""

    id: int
    document_id: int
    head: int
    tail: int
    label: str
    annotator: str


@dataclass(frozen=True)
class DocumentSummary:
    """What a document list shows, without the text."""

    id: int
    title: str
    length: int
    span_count: int
    status: Status
    seconds_spent: int = 0
    """This annotator's active time on the document, idle time excluded."""
    reviewed: bool = False
    """A reviewer accepted or rejected at least one span of the document."""
    own_span_count: int = 0
    """How many of ``span_count`` are this annotator's own."""


@dataclass(frozen=True)
class Document:
    """A document with its canonical text and metadata."""

    id: int
    title: str
    text: str
    sha256: str
    meta: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


def check_span(text: str, start: int, end: int, span_text: str | None = None) -> None:
    """Raise ``SpanError`` unless ``[start, end)`` is a non-empty range of ``text``.

    When ``span_text`` is given it must equal ``text[start:end]``.
    """
    if not isinstance(start, int) or not isinstance(end, int):
        raise SpanError(f"offsets must be whole numbers, got {start!r}, {end!r}")
    if not 0 <= start < end <= len(text):
        raise SpanError(f"span [{start}, {end}) is outside the text (length {len(text)})")
    if span_text is not None and text[start:end] != span_text:
        raise SpanError(f"span [{start}, {end}) covers {text[start:end]!r} but says {span_text!r}")
