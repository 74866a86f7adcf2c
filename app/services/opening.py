"""Reading a document to open it: its text, spans and relations as of one moment.

Opening reads several things (the text, the spans of the layers on show, the relations,
who annotated it); read one by one, a colleague's commit between two of them could show a
relation whose span is not there. So they are read in one snapshot. This runs on a worker
thread in the window: it touches nothing but the database.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from app.core.annotations import Document, Relation, Span
from app.services.workspace import Workspace


@dataclass(frozen=True)
class DocumentSnapshot:
    """A document as read at one moment, with the spans of the layers asked for."""

    document: Document
    spans: tuple[Span, ...]
    """The spans of the annotators asked for (every span when none were named), by start."""
    relations: tuple[Relation, ...]
    """Every relation of the document, whoever made it."""
    annotators: tuple[str, ...]
    """Everyone with a span in the document, sorted."""


def read_document(
    workspace: Workspace, document_id: int, annotators: Collection[str] | None = None
) -> DocumentSnapshot:
    """The document ``document_id`` with the spans of ``annotators`` (all when None), its
    relations and who annotated it, in one snapshot. ``NotFoundError`` when it is gone,
    ``StorageError`` when the database cannot be read."""
    with workspace.database.snapshot() as uow:
        document = uow.documents.get(document_id)
        if annotators is None:
            spans = uow.spans.of_document(document_id)
        else:
            spans = uow.annotator_work.spans_of(document_id, annotators)
        relations = uow.spans.relations_of_document(document_id)
        names = uow.annotator_work.annotators_of(document_id)
    return DocumentSnapshot(document, tuple(spans), tuple(relations), tuple(names))
