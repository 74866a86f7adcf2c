"""Which span a relation most likely goes to: the order in which linking offers partners.

A quote's speaker and cue stand next to it, outside it ("…," said Khoury); a name inside
the quote is someone it talks about. So the spans outside the head come first, nearest
first, and the spans inside it (or overlapping it) last.
"""

from __future__ import annotations

from collections.abc import Iterable

from app.core.annotations import Span


def ranked_partners(head: Span, candidates: Iterable[Span]) -> list[int]:
    """Ids of ``candidates`` (the head left out) in the order to offer them: outside the
    head before inside, then by the characters between them and the head, then by start."""

    def rank(span: Span) -> tuple[bool, int, int]:
        inside = span.start < head.end and head.start < span.end
        gap = span.start - head.end if span.start >= head.end else head.start - span.end
        return inside, max(gap, 0), span.start

    return [span.id for span in sorted(candidates, key=rank) if span.id != head.id]
