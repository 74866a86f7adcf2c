"""Reviewing annotations across a project: what to show (a ``ReviewQuery``) and one row of it.

A query is a plain value: filters that all have to hold, a column to sort by and a direction.
An empty filter lets everything through, so ``ReviewQuery()`` lists every span.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from enum import StrEnum

from app.core.annotations import Origin, Status

SPEAKER_RELATIONS = ("speaker", "claimant")
"""Relations from a QUOTE or CLAIM to who said or made it."""

CONTEXT_CHARS = 40
"""Code points of text shown on each side of a span."""


class Review(StrEnum):
    """A span's review state."""

    UNREVIEWED = "unreviewed"
    ACCEPTED = "accepted"
    REJECTED = "rejected"


REVIEW_MARKS = {Review.UNREVIEWED: "·", Review.ACCEPTED: "✓", Review.REJECTED: "✗"}
"""How the table shows each review state."""


class Column(StrEnum):
    """The review table's columns, in the order it shows them; each one sorts.

    Document sorts in the order documents were added, then by position in the text; label
    sorts by label, then review state, then as document does. Spans equal on a column come
    in the order they were made (by id), so the order is always the same.
    """

    DOCUMENT = "document"
    LABEL = "label"
    TEXT = "text"
    ANNOTATOR = "annotator"
    ORIGIN = "origin"
    REVIEW = "review"
    SPEAKER = "speaker"
    ENTITY = "entity"


@dataclass(frozen=True)
class ReviewQuery:
    """Which spans the review table lists, and in which order."""

    labels: frozenset[str] = frozenset()
    """Spans of these labels (empty: any)."""
    annotators: frozenset[str] = frozenset()
    """Spans by these annotators, by name (empty: anyone's)."""
    origins: frozenset[Origin] = frozenset()
    reviews: frozenset[Review] = frozenset()
    document_status: Status | None = None
    """Spans on documents their annotator has given this status (a document never opened
    counts as new)."""
    entity_id: int | None = None
    """Spans that mention this entity, and quotes and claims whose speaker mentions it."""
    entity: str = ""
    """Spans that mention an entity whose name contains this (any case)."""
    speaker: str = ""
    """Quotes and claims attributed to someone whose span text or entity name contains this
    (any case): "every quote attributed to X"."""
    text: str = ""
    """Spans whose text or document title contains this (any case)."""
    sort: Column = Column.DOCUMENT
    descending: bool = False
    ids: frozenset[int] = frozenset()
    """Only these spans (empty: no restriction)."""
    speaker_relations: frozenset[str] = frozenset(SPEAKER_RELATIONS)
    """The relation types that name who said a quote or made a claim (the schema's)."""

    def sorted_by(self, column: Column, *, descending: bool = False) -> ReviewQuery:
        """The same filters, another order."""
        return replace(self, sort=column, descending=descending)

    @property
    def is_filtered(self) -> bool:
        """True when some filter leaves spans out."""
        return bool(
            self.labels
            or self.annotators
            or self.origins
            or self.reviews
            or self.document_status is not None
            or self.entity_id is not None
            or self.entity.strip()
            or self.speaker.strip()
            or self.text.strip()
            or self.ids
        )


def claims_not_reviewed(claims: Iterable[str] = ("CLAIM",)) -> ReviewQuery:
    """Every claim (a span of the ``claims`` labels) nobody has reviewed yet."""
    return ReviewQuery(labels=frozenset(claims), reviews=frozenset({Review.UNREVIEWED}))


def quotes_attributed_to(speaker: str, quotes: Iterable[str] = ("QUOTE",)) -> ReviewQuery:
    """Every quote (a span of the ``quotes`` labels) whose speaker's text or entity name
    contains ``speaker``."""
    return ReviewQuery(labels=frozenset(quotes), speaker=speaker.strip())


@dataclass(frozen=True)
class ReviewRow:
    """One span as the review table shows it."""

    span_id: int
    document_id: int
    document_title: str
    start: int
    end: int
    label: str
    text: str
    left: str
    """Up to ``CONTEXT_CHARS`` code points of the document before the span."""
    right: str
    """Up to ``CONTEXT_CHARS`` code points after it."""
    annotator: str
    origin: Origin
    review: Review
    speaker: str = ""
    """The text of who said the quote or made the claim (several joined by " / ")."""
    entity: str = ""
    """The entity the span mentions, or for a quote or claim the entity of its speaker."""

    def value(self, column: Column) -> str:
        """What the table shows in ``column``."""
        match column:
            case Column.DOCUMENT:
                return self.document_title
            case Column.LABEL:
                return self.label
            case Column.TEXT:
                return self.in_context()
            case Column.ANNOTATOR:
                return self.annotator
            case Column.ORIGIN:
                return self.origin.value
            case Column.REVIEW:
                return REVIEW_MARKS[self.review]
            case Column.SPEAKER:
                return self.speaker
            case Column.ENTITY:
                return self.entity

    def in_context(self) -> str:
        """The span's text between its context, on one line: ``…before [text] after…``.

        Line breaks and runs of white space become one space; an ellipsis marks context cut
        short of the document's start or end.
        """
        left, right = _one_line(self.left), _one_line(self.right)
        if left and self.left[-1].isspace():
            left += " "
        if right and self.right[0].isspace():
            right = " " + right
        if left and self.start > len(self.left):
            left = "…" + left
        if right and len(self.right) == CONTEXT_CHARS:
            right += "…"
        return f"{left}[{_one_line(self.text)}]{right}"


def _one_line(text: str) -> str:
    return " ".join(text.split())
