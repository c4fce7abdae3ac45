"""Case documents keep the order they were attached in (several attached at one instant)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-06 06:15:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Rows attached before keep 0: their order stays what it was (time, then id).
    with op.batch_alter_table("case_documents", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=False, server_default="0"))


def downgrade() -> None:
    with op.batch_alter_table("case_documents", schema=None) as batch_op:
        batch_op.drop_column("seq")
