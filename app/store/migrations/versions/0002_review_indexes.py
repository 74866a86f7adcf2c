"""index spans and relations for the review table

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

SPAN_INDEXES = {
    "ix_spans_label_review": ["label", "review", "document_id", "start"],
    "ix_spans_review": ["review"],
    "ix_spans_origin": ["origin"],
    "ix_spans_annotator": ["annotator_id"],
    "ix_spans_entity": ["entity_id"],
}
RELATION_INDEXES = {
    "ix_relations_head": ["head_id"],
    "ix_relations_tail": ["tail_id"],
}


def upgrade() -> None:
    # plain CREATE INDEX: a batch operation would copy the whole spans table on SQLite
    for name, columns in SPAN_INDEXES.items():
        op.create_index(name, "spans", columns)
    for name, columns in RELATION_INDEXES.items():
        op.create_index(name, "relations", columns)


def downgrade() -> None:
    for name in RELATION_INDEXES:
        op.drop_index(name, table_name="relations")
    for name in SPAN_INDEXES:
        op.drop_index(name, table_name="spans")
