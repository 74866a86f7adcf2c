"""Finding every occurrence of some words in a text, and tagging many ranges at once."""

from __future__ import annotations

import re
from collections.abc import Iterable

from app.core.annotations import Span
from app.core.errors import SpanError
from app.core.schema import LabelSchema
from app.services.applying import started, write_change
from app.services.changes import ChangeSet
from app.services.project_schema import require_label, schema_in
from app.store import Database


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


class BulkSpans:
    """Tagging and untagging many ranges in one step; ``Workspace`` mixes this in."""

    database: Database
    annotator: str
    annotator_id: int
    project_id: int
    schema: LabelSchema
    schema_version: int

    def add_spans(
        self,
        document_id: int,
        ranges: Iterable[tuple[int, int]],
        label: str,
    ) -> ChangeSet:
        """Tag each ``[start, end)`` of a document with ``label`` in one transaction.

        A range already tagged with ``label`` at exactly those offsets is skipped, as is a
        repeated range; the ChangeSet names only the spans made. Any range outside the text, or
        a label the schema lacks, raises ``SpanError`` and nothing is stored.
        """
        wanted = list(ranges)
        with self.database.unit_of_work() as uow:
            require_label(schema_in(self, uow), label)
            text = uow.documents.text(document_id)
            for start, end in wanted:
                if not 0 <= start < end <= len(text):
                    raise SpanError(
                        f"span [{start}, {end}) is outside the text (length {len(text)})"
                    )
            taken = {
                (span.start, span.end)
                for span in uow.spans.of_document(document_id)
                if span.label == label
            }
            added: list[Span] = []
            for start, end in wanted:
                if (start, end) in taken:
                    continue
                taken.add((start, end))
                added.append(Span(0, document_id, start, end, label, self.annotator))
            if not added:
                return ChangeSet(document_id)
            change = started(uow, self.annotator_id, ChangeSet(document_id, added=tuple(added)))
            written = write_change(uow, change, self.annotator, "add_spans", label=label)
            uow.commit()
        return written

    def delete_spans(self, document_id: int, span_ids: Iterable[int]) -> ChangeSet:
        """Delete spans of one document, and the relations that use them, in one transaction.

        ``NotFoundError`` when a span is gone, ``SpanError`` when one is in another document;
        either way nothing is deleted.
        """
        ids = list(dict.fromkeys(span_ids))
        with self.database.unit_of_work() as uow:
            removed = [uow.spans.get(span_id) for span_id in ids]
            for span in removed:
                if span.document_id != document_id:
                    raise SpanError(f"span {span.id} is not in document {document_id}")
            change = ChangeSet(document_id, removed=tuple(removed))
            written = write_change(uow, change, self.annotator, "delete_spans")
            uow.commit()
        return written


__all__ = ["BulkSpans", "occurrences"]
