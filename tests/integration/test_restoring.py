"""Undoing a span's deletion after its entity was deleted too brings the span back unlinked."""

from __future__ import annotations

from app.services import Workspace, applying, documents, entities, spans


def test_a_restored_mention_of_a_deleted_entity_comes_back_unlinked(
    sample_workspace: Workspace,
) -> None:
    ws = sample_workspace
    document = documents.documents(ws)[0].id
    text = documents.document(ws, document).text
    word = text.split()[0]
    start = text.index(word)
    span = spans.add_span(ws, document, start, start + len(word), "PERSON").added[0]
    entity = entities.create_entity(ws, "Somebody", "PERSON")
    entities.link_span(ws, span.id, entity.id)
    linked = next(s for s in spans.spans(ws, document) if s.id == span.id)
    assert linked.entity == entity.id

    deleted = spans.delete_span(ws, span.id)
    entities.delete_entity(ws, entity.id)
    applying.apply(ws, deleted.inverse(), "undo")

    (restored,) = [s for s in spans.spans(ws, document) if s.id == span.id]
    assert restored.entity is None
    assert restored._replace(entity=entity.id) == linked
