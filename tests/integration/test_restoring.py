"""Undoing a span's deletion after its entity was deleted too brings the span back unlinked."""

from __future__ import annotations

from app.services import Workspace


def test_a_restored_mention_of_a_deleted_entity_comes_back_unlinked(
    sample_workspace: Workspace,
) -> None:
    ws = sample_workspace
    document = ws.documents()[0].id
    text = ws.document(document).text
    word = text.split()[0]
    start = text.index(word)
    span = ws.add_span(document, start, start + len(word), "PERSON").added[0]
    entity = ws.create_entity("Somebody", "PERSON")
    ws.link_span(span.id, entity.id)
    linked = next(s for s in ws.spans(document) if s.id == span.id)
    assert linked.entity == entity.id

    deleted = ws.delete_span(span.id)
    ws.delete_entity(entity.id)
    ws.apply(deleted.inverse(), "undo")

    (restored,) = [s for s in ws.spans(document) if s.id == span.id]
    assert restored.entity is None
    assert restored._replace(entity=entity.id) == linked
