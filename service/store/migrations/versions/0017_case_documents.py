"""Case documents: the metadata of the records attached to a case (issue 17)

The bytes live in the configured blob store (the instance folder or S3-compatible storage),
named by their SHA-256; this table says which case, who, when, what it answers, and leaves a
tombstone when a supervisor deletes one or its retention period ends.

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 05:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

ID = sa.String(36)
WHEN = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "case_documents",
        sa.Column("id", ID, primary_key=True),
        sa.Column("business_key", sa.String(200), nullable=False),
        sa.Column("instance_id", ID, sa.ForeignKey("process_instances.id"), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("media_type", sa.String(100), nullable=False),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("uploaded_by", sa.String(200), nullable=False),
        sa.Column("uploaded_at", WHEN, nullable=False),
        sa.Column("answers", sa.String(200)),
        sa.Column("task_id", ID),
        sa.Column("supersedes", ID, sa.ForeignKey("case_documents.id")),
        sa.Column("deleted_at", WHEN),
        sa.Column("deleted_by", sa.String(200)),
        sa.Column("deleted_reason", sa.String(500)),
    )
    op.create_index(
        "ix_case_documents_business_key_uploaded_at_id",
        "case_documents",
        ["business_key", "uploaded_at", "id"],
    )
    op.create_index("ix_case_documents_sha256", "case_documents", ["sha256"])


def downgrade() -> None:
    op.drop_table("case_documents")
