"""Finding every occurrence of some words in a text, and tagging many ranges at once."""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable
from typing import TYPE_CHECKING

from app.core.annotations import Span
from app.core.entities import entity_type_problem
from app.core.errors import NotFoundError, SpanError
from app.services.applying import started, write_change
from app.services.changes import ChangeSet
from app.services.project_schema import require_label, schema_in

if TYPE_CHECKING:
    from app.services.workspace import Workspace


def occurrences(
    text: str, query: str, *, case_sensitive: bool = False, whole_words: bool = False
) -> list[tuple[int, int]]:
    """Every non-overlapping ``[start, end)`` of ``query`` in ``text``, in code points.

    The search runs on the canonical text itself, so the offsets are those spans use.
    Without ``case_sensitive`` letters match in either case; ``whole_words`` only keeps
    matches with no letter, digit or underscore right before or after them.
    """
    if not query:
        return []
    pattern = re.escape(query)
    if whole_words:
        pattern = rf"(?<!\w){pattern}(?!\w)"
    flags = 0 if case_sensitive else re.IGNORECASE
    return [(m.start(), m.end()) for m in re.finditer(pattern, text, flags)]


class RangeCover:
    """Ranges, asked whether one of them contains a given range (fast for many questions)."""

    def __init__(self, ranges: Iterable[tuple[int, int]]) -> None:
        ordered = sorted(ranges)
        self.starts = [start for start, _ in ordered]
        self.furthest: list[int] = []  # the furthest end among the ranges up to each one
        for _, end in ordered:
            self.furthest.append(max(end, self.furthest[-1]) if self.furthest else end)

    def covers(self, start: int, end: int) -> bool:
        """True when a range starts at or before ``start`` and ends at or after ``end``."""
        before = bisect_right(self.starts, start)
        return before > 0 and self.furthest[before - 1] >= end


def add_spans(
    workspace: Workspace,
    document_id: int,
    ranges: Iterable[tuple[int, int]],
    label: str,
    entity: int | None = None,
) -> ChangeSet:
    """Tag each ``[start, end)`` of a document with ``label`` in one transaction, each new
    span a mention of ``entity`` when one is given.

    A range this annotator already tagged with ``label``, or lying inside one of their
    ``label`` spans (the "Kyiv" of a tagged "Kyiv Oblast"), is skipped, as is a repeated
    range; the ChangeSet names only the spans made. Any range outside the text, a label the
    schema lacks or an entity the spans cannot mention raises ``SpanError`` (or
    ``NotFoundError``) and nothing is stored.
    """
    wanted = list(ranges)
    with workspace.database.unit_of_work() as uow:
        schema = schema_in(workspace, uow)
        require_label(schema, label)
        if entity is not None:
            found = uow.entities.get(entity)
            if uow.entities.project_of(entity) != workspace.project_id:
                raise NotFoundError(f"no entity with id {entity} in this project")
            problem = entity_type_problem(found.type, label, schema.labels_with_role("entity"))
            if problem is not None:
                raise SpanError(problem)
        text = uow.documents.text(document_id)
        for start, end in wanted:
            if not 0 <= start < end <= len(text):
                raise SpanError(f"span [{start}, {end}) is outside the text (length {len(text)})")
        covered = RangeCover(
            (span.start, span.end)
            for span in uow.spans.of_document(document_id)
            if span.label == label and span.annotator == workspace.annotator
        )
        taken: set[tuple[int, int]] = set()
        added: list[Span] = []
        for start, end in wanted:
            if (start, end) in taken or covered.covers(start, end):
                continue
            taken.add((start, end))
            added.append(
                Span(0, document_id, start, end, label, workspace.annotator, entity=entity)
            )
        if not added:
            return ChangeSet(document_id)
        made = ChangeSet(document_id, added=tuple(added), entities=entity is not None)
        change = started(uow, workspace.annotator_id, made)
        written = write_change(
            uow, change, workspace.annotator, "add_spans", label=label, entity=entity
        )
        uow.commit()
    return written


def delete_spans(workspace: Workspace, document_id: int, span_ids: Iterable[int]) -> ChangeSet:
    """Delete spans of one document, and the relations that use them, in one transaction.

    ``NotFoundError`` when a span is gone, ``SpanError`` when one is in another document;
    either way nothing is deleted.
    """
    ids = list(dict.fromkeys(span_ids))
    with workspace.database.unit_of_work() as uow:
        removed = [uow.spans.get(span_id) for span_id in ids]
        for span in removed:
            if span.document_id != document_id:
                raise SpanError(f"span {span.id} is not in document {document_id}")
        change = ChangeSet(document_id, removed=tuple(removed))
        written = write_change(uow, change, workspace.annotator, "delete_spans")
        uow.commit()
    return written


__all__ = ["RangeCover", "add_spans", "delete_spans", "occurrences"]
