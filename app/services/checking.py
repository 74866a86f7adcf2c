"""``check``: is the database file whole, and every stored annotation consistent with its
document?"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from app.core.annotations import check_fragments
from app.core.errors import SpanError
from app.core.text import text_sha256
from app.services import documents
from app.services.entities import entity_link_problems
from app.services.reanchoring_queue import queued_spans
from app.services.relations import relation_refusal
from app.services.workspace import Workspace
from app.store import default_database_url
from app.store.database import as_url
from app.store.integrity import documents_with_spans, relation_ends, sqlite_problems
from app.store.repositories import Entities
from app.store.sqlite_files import backups, damage, database_file, is_new


@dataclass(frozen=True)
class FileDamage:
    """What SQLite finds wrong in a database file, and the backup copies beside it."""

    path: Path
    problems: list[str]
    backups: list[Path]

    def lines(self) -> list[str]:
        """What a terminal shows: the problems, then what can be done."""
        lines = [f"{self.path}: the database file is damaged", *self.problems]
        if self.backups:
            lines.append("backup copies made before schema upgrades (newest first):")
            for backup in self.backups:
                made = datetime.fromtimestamp(backup.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
                lines.append(f"  {backup} (made {made})")
            lines.append(
                f"to go back to one, move {self.path.name} and its -wal/-shm files aside, "
                f"then copy the backup to {self.path.name} (work since then is not in it)"
            )
        else:
            lines.append(
                "no backup copy is beside it; the sqlite3 shell may save what is left: "
                f"sqlite3 {self.path} .recover | sqlite3 recovered.db"
            )
        return lines


def file_damage(target: str | None) -> FileDamage | None:
    """SQLite's own check of a database file, before Glossa opens it; None when it is whole.

    ``target`` is a path or URL as ``Workspace.open`` takes it (None: the user's database). A
    server database, or a file that does not exist yet, has nothing to check here. A damaged
    file may not even open, so this runs first and never through the store's engine.
    """
    path = database_file(as_url(target) if target else default_database_url())
    if path is None or is_new(path):
        return None
    problems = damage(path)
    return FileDamage(path, problems, backups(path)) if problems else None


def check(workspace: Workspace) -> list[str]:
    """Return one line per problem found; an empty list means all is well."""
    problems: list[str] = []
    with workspace.database.reading() as uow:
        if workspace.database.is_sqlite:
            problems += sqlite_problems(uow.session)
        for document_id, title, body, spans in documents_with_spans(uow.session):
            for span_id, start, end, stored, label, fragments in spans:
                where = f"document {document_id} {title!r}, span {span_id} {label} [{start}, {end})"
                problem = _fragments_problem(start, end, fragments)
                if problem:
                    problems.append(f"{where}: {problem}")
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
    problems += queued_problems(workspace)
    for summary in documents.documents(workspace):
        document = documents.document(workspace, summary.id)
        if text_sha256(document.text) != document.sha256:
            problems.append(f"document {summary.id}: text does not match its SHA-256")
    return problems


def _fragments_problem(start: int, end: int, raw: str | None) -> str:
    """What is wrong with a span's stored fragments; empty when nothing is."""
    if raw is None:
        return ""
    try:
        check_fragments(start, end, json.loads(raw), name="fragments")
    except (ValueError, TypeError, SpanError) as exc:
        return str(exc)
    return ""


def queued_problems(workspace: Workspace) -> list[str]:
    """One line per span waiting in a document's "Needs re-anchoring" queue: a revision could
    not place it, so the new version lacks it until someone places or drops it."""
    return [
        f"document {q.document_id} {q.title!r}, span {q.entry} {q.label} [{q.start}, {q.end}) "
        f"of an older version needs re-anchoring: {q.text!r} (by {q.annotator or 'unknown'})"
        for q in queued_spans(workspace, suggest=False)
    ]
