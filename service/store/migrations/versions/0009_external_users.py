"""users.source and users.subject: staff who sign in through the agency's identity provider

``source`` is ``local`` (a password made with ``rcp user create``) or ``oidc`` (provisioned on
sign-in, with the provider's ``sub`` as ``subject``; no usable password).

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-06 02:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.add_column(sa.Column("source", sa.String(length=20), server_default="local", nullable=False))
        batch_op.add_column(sa.Column("subject", sa.String(length=300), nullable=True))
        batch_op.create_index("ix_users_source_subject", ["source", "subject"], unique=True)


def downgrade() -> None:
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index("ix_users_source_subject")
        batch_op.drop_column("subject")
        batch_op.drop_column("source")
