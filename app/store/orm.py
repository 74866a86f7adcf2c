"""Tables of a Glossa database, as SQLAlchemy 2 typed ORM classes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


def now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Project(Base):
    __tablename__ = "projects"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    schema: Mapped[dict[str, Any]] = mapped_column(JSON)
    schema_version: Mapped[int] = mapped_column(Integer, default=1, server_default="1")
    """Counts the schema's edits: an edit made from an older version is refused."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class Annotator(Base):
    __tablename__ = "annotators"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200), unique=True)
    resume: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """Where this annotator stopped: document id and scroll position."""


class DocumentRow(Base):
    __tablename__ = "documents"
    __table_args__ = (UniqueConstraint("project_id", "sha256", name="project_sha256"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    external_id: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(500))
    meta: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    sha256: Mapped[str] = mapped_column(String(64))
    length: Mapped[int] = mapped_column(Integer)
    position: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class DocumentText(Base):
    """The canonical text, apart so that document lists never load it."""

    __tablename__ = "document_texts"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    text: Mapped[str] = mapped_column(Text)


class SpanRow(Base):
    __tablename__ = "spans"
    __table_args__ = (
        CheckConstraint("start >= 0", name="start_not_negative"),
        CheckConstraint('"end" > start', name="end_after_start"),
        Index("ix_spans_document_start", "document_id", "start"),
        # the review table filters and sorts a whole project's spans by these
        Index("ix_spans_label_review", "label", "review", "document_id", "start"),
        Index("ix_spans_review", "review"),
        Index("ix_spans_origin", "origin"),
        Index("ix_spans_annotator", "annotator_id"),
        Index("ix_spans_entity", "entity_id"),
        {"sqlite_autoincrement": True},  # ids never reused, so undo restores the same id
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    label: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    """The covered text when the span was made; ``check`` compares it with the document."""
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"))
    origin: Mapped[str] = mapped_column(String(20), default="manual")
    review: Mapped[str] = mapped_column(String(20), default="unreviewed")
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    entity_id: Mapped[int | None] = mapped_column(
        ForeignKey("entities.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    fragments: Mapped[str | None] = mapped_column(Text, nullable=True)
    """A discontinuous span's pieces as JSON text, ``[[start, end], ...]``; NULL when whole.

    Text rather than JSON: rows are read as the driver's plain tuples, and NULL (most
    spans) needs no decoding at all."""


class RelationRow(Base):
    __tablename__ = "relations"
    __table_args__ = (
        Index("ix_relations_document", "document_id"),
        Index("ix_relations_head", "head_id"),
        Index("ix_relations_tail", "tail_id"),
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    head_id: Mapped[int] = mapped_column(ForeignKey("spans.id", ondelete="CASCADE"))
    tail_id: Mapped[int] = mapped_column(ForeignKey("spans.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(100))
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"))


class EntityRow(Base):
    __tablename__ = "entities"

    id: Mapped[int] = mapped_column(primary_key=True)
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"))
    name: Mapped[str] = mapped_column(String(500))
    type: Mapped[str] = mapped_column(String(100))
    aliases: Mapped[list[str]] = mapped_column(JSON, default=list)
    external_id: Mapped[str] = mapped_column(String(200), default="")


class DocumentState(Base):
    """One annotator's progress on one document."""

    __tablename__ = "document_states"

    document_id: Mapped[int] = mapped_column(
        ForeignKey("documents.id", ondelete="CASCADE"), primary_key=True
    )
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"), primary_key=True)
    status: Mapped[str] = mapped_column(String(20), default="new")
    seconds_spent: Mapped[int] = mapped_column(Integer, default=0)
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class SuggestionRow(Base):
    """One proposed span of a pending suggestion; the rows of one suggestion share a group,
    part 0 being the suggestion itself (a quote) and the others its cue, speaker, ..."""

    __tablename__ = "suggestions"
    __table_args__ = (
        CheckConstraint("start >= 0", name="start_not_negative"),
        CheckConstraint('"end" > start', name="end_after_start"),
        Index("ix_suggestions_document_start", "document_id", "start"),
        Index("ix_suggestions_group", "group_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    group_key: Mapped[str] = mapped_column(String(64))
    part: Mapped[int] = mapped_column(Integer, default=0)
    role: Mapped[str] = mapped_column(String(50), default="")
    label: Mapped[str] = mapped_column(String(100))
    start: Mapped[int] = mapped_column(Integer)
    end: Mapped[int] = mapped_column(Integer)
    suggester: Mapped[str] = mapped_column(String(100))
    confidence: Mapped[float] = mapped_column(Float)
    entity_id: Mapped[int | None] = mapped_column(
        ForeignKey("entities.id", ondelete="SET NULL"), nullable=True
    )
    attributes: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    """The part's own attributes (a quote's kind); part 0 also holds the provenance (rule,
    version) and the relations to make on acceptance."""
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class RejectedSuggestion(Base):
    """An annotator rejected ``label`` for ``text`` (casefolded) in a document: it is not
    proposed there again."""

    __tablename__ = "rejected_suggestions"
    __table_args__ = (UniqueConstraint("document_id", "label", "text", name="document_label_text"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    document_id: Mapped[int] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    label: Mapped[str] = mapped_column(String(100))
    text: Mapped[str] = mapped_column(Text)
    annotator_id: Mapped[int] = mapped_column(ForeignKey("annotators.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)


class Event(Base):
    """Audit log: one row per user action."""

    __tablename__ = "events"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=now)
    annotator: Mapped[str] = mapped_column(String(200))
    action: Mapped[str] = mapped_column(String(50))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
