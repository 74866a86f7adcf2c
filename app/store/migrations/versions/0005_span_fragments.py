"""the pieces of a discontinuous span, as JSON text on its row (NULL for a span in one piece)

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # a nullable ADD COLUMN: no table copy on SQLite, no rewrite on PostgreSQL
    op.add_column("spans", sa.Column("fragments", sa.Text(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("spans") as batch:
        batch.drop_column("fragments")
