"""Documents, spans and relations as plain values shared by every layer."""

from __future__ import annotations

from collections.abc import Iterable
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


Fragments = tuple[tuple[int, int], ...]
"""The pieces of a discontinuous span: sorted, apart, each ``(start, end)``; empty when whole."""


class Span(NamedTuple):
    """A labelled ``[start, end)`` range of code points in a document's canonical text.

    A discontinuous span (a quote broken by "he said") keeps its covering range in
    ``start``/``end`` and its pieces in ``fragments``; a whole span has none.

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
    fragments: Fragments = ()
    """The pieces of a discontinuous span, the first starting at ``start`` and the last
    ending at ``end``; empty for a span in one piece."""

    def covers(self, offset: int) -> bool:
        """True when the character at ``offset`` is inside the span (not in a gap)."""
        if not self.start <= offset < self.end:
            return False
        return not self.fragments or any(s <= offset < e for s, e in self.fragments)

    @property
    def pieces(self) -> Fragments:
        """The ranges the span covers: its fragments, or its one range."""
        return self.fragments or ((self.start, self.end),)


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


def check_fragments(
    start: int, end: int, fragments: Iterable[Iterable[int]], *, name: str = "span"
) -> Fragments:
    """Return ``fragments`` as a tuple of ``(start, end)`` pairs, or raise ``SpanError``
    naming ``name`` unless they are the pieces of the range ``[start, end)``.

    Empty means a span in one piece. Otherwise there are at least two pieces, each a
    non-empty range of whole numbers, in order, with a gap between neighbours; the first
    starts at ``start`` and the last ends at ``end``.
    """
    pieces: list[tuple[int, int]] = []
    for piece in fragments:
        pair = tuple(piece) if isinstance(piece, (list, tuple)) else ()
        if len(pair) != 2 or not all(type(v) is int for v in pair):
            raise SpanError(f"{name}: a fragment must be two whole numbers, got {piece!r}")
        pieces.append((pair[0], pair[1]))
    if not pieces:
        return ()
    if len(pieces) == 1:
        raise SpanError(f"{name}: a discontinuous span needs at least two fragments")
    for (s, e), (next_start, _) in zip(pieces, [*pieces[1:], (None, None)], strict=True):
        if not s < e:
            raise SpanError(f"{name}: fragment [{s}, {e}) is empty")
        if next_start is not None and not e < next_start:
            raise SpanError(
                f"{name}: fragment [{s}, {e}) overlaps, touches or comes after the next one"
            )
    if pieces[0][0] != start or pieces[-1][1] != end:
        raise SpanError(
            f"{name}: fragments run from {pieces[0][0]} to {pieces[-1][1]},"
            f" not over the span [{start}, {end})"
        )
    return tuple(pieces)


def joined_pieces(pieces: Iterable[tuple[int, int]]) -> tuple[int, int, Fragments]:
    """The covering ``(start, end)`` and fragments of the characters of ``pieces`` (ranges
    in any order): overlapping or touching ranges become one piece, and a single piece
    gives no fragments. ``SpanError`` when there is no non-empty range."""
    merged: list[list[int]] = []
    for s, e in sorted(p for p in pieces if p[0] < p[1]):
        if merged and s <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], e)
        else:
            merged.append([s, e])
    if not merged:
        raise SpanError("a span needs at least one non-empty range")
    fragments = tuple((s, e) for s, e in merged) if len(merged) > 1 else ()
    return merged[0][0], merged[-1][1], fragments


def fragments_text(text: str, fragments: Fragments, start: int, end: int, *, gap: str = " ") -> str:
    """The span's characters with its gaps left out, pieces joined by ``gap`` (one space,
    as brat shows a discontinuous span); the covered text when it is in one piece."""
    if not fragments:
        return text[start:end]
    return gap.join(text[s:e] for s, e in fragments)


def moved_fragments(fragments: Fragments, start: int, end: int) -> Fragments:
    """A discontinuous span's fragments once its covering range becomes ``[start, end)``:
    pieces are cut to the new range, the first stretched to ``start`` and the last to
    ``end``; no fragments when one piece is left."""
    if not fragments:
        return ()
    kept = [(max(s, start), min(e, end)) for s, e in fragments if s < end and e > start]
    if not kept:
        return ()
    kept[0] = (start, kept[0][1])
    kept[-1] = (kept[-1][0], end)
    return joined_pieces(kept)[2]
