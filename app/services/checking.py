"""``check``: is every stored annotation consistent with its document?"""

from __future__ import annotations

from app.core.text import text_sha256
from app.services.entities import entity_link_problems
from app.services.relations import relation_refusal
from app.services.workspace import Workspace
from app.store.integrity import documents_with_spans, relation_ends, sqlite_problems
from app.store.repositories import Entities


def check(workspace: Workspace) -> list[str]:
    """Return one line per problem found; an empty list means all is well."""
    problems: list[str] = []
    with workspace.database.reading() as uow:
        if workspace.database.is_sqlite:
            problems += sqlite_problems(uow.session)
        for document_id, body, spans in documents_with_spans(uow.session):
            for span_id, start, end, stored in spans:
                where = f"document {document_id}, span {span_id} [{start}, {end})"
                if not 0 <= start < end <= len(body):
                    problems.append(f"{where}: outside the text (length {len(body)})")
                elif body[start:end] != stored:
                    problems.append(
                        f"{where}: text is {body[start:end]!r} but the span says {stored!r}"
                    )
        for relation, owner, head, head_doc, tail, tail_doc in relation_ends(uow.session):
            for end_name, span, span_doc in (("head", head, head_doc), ("tail", tail, tail_doc)):
                if span_doc is None:
                    problems.append(f"relation {relation}: {end_name} span {span} is missing")
                elif span_doc != owner:
                    problems.append(
                        f"relation {relation}: {end_name} span {span} is in document "
                        f"{span_doc}, not {owner}"
                    )
        for relation, document_id, label, head_label, tail_label in uow.spans.relation_end_labels():
            refusal = relation_refusal(workspace.schema, label, head_label, tail_label)
            if refusal is not None:
                problems.append(f"document {document_id}, relation {relation}: {refusal}")
        problems += entity_link_problems(Entities(uow.session))
    for summary in workspace.documents():
        document = workspace.document(summary.id)
        if text_sha256(document.text) != document.sha256:
            problems.append(f"document {summary.id}: text does not match its SHA-256")
    return problems
