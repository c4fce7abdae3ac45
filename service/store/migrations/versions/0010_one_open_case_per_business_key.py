"""process_instances: one open case per process and business key (a partial unique index)

A start retried without ``Idempotency-Key`` used to make a second case (and a second letter).
Existing duplicates must be closed first: the migration names them rather than pick one.

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-06 02:55:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

INDEX = "uq_process_instances_open_business_key"
OPEN = "business_key IS NOT NULL AND status NOT IN ('completed', 'cancelled')"
TWINS = (
    "SELECT process_key, business_key, count(*) FROM process_instances"
    " WHERE business_key IS NOT NULL AND status NOT IN ('completed', 'cancelled')"
    " GROUP BY process_key, business_key HAVING count(*) > 1"
)


def upgrade() -> None:
    twins = op.get_bind().execute(sa.text(TWINS))
    found = [f"{key} {business_key!r} ({n} open)" for key, business_key, n in twins]
    if found:
        raise RuntimeError(
            "several open cases share a business key; cancel all but one of each, then migrate again: "
            + "; ".join(found)
        )
    op.create_index(
        INDEX,
        "process_instances",
        ["process_key", "business_key"],
        unique=True,
        sqlite_where=sa.text(OPEN),
        postgresql_where=sa.text(OPEN),
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="process_instances")
