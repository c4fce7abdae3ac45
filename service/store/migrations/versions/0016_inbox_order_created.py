"""Inbox lists order tasks of the same due date (and undated tasks) by creation, then id

Until now ties were broken by id, a random UUID, so tasks without a due date came in shuffled
order (issue 13). The four list indexes are rebuilt with ``created_at`` before ``id``.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 03:40:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

UNASSIGNED = sa.text("assignee IS NULL")
LISTS: tuple[tuple[str, list[str], bool], ...] = (
    ("ix_human_tasks_queue", ["lane"], True),
    ("ix_human_tasks_unassigned", [], True),
    ("ix_human_tasks_assignee_due", ["assignee"], False),
    ("ix_human_tasks_open_due", [], False),
)


def _rebuild(tail: list[str]) -> None:
    postgresql = op.get_bind().dialect.name == "postgresql"
    order: list[str | sa.TextClause] = (
        ["due_at", *tail] if postgresql else [sa.text("(due_at IS NULL)"), "due_at", *tail]
    )
    for name, leading, partial in LISTS:
        op.drop_index(name, table_name="human_tasks")
        where = UNASSIGNED if partial else None
        op.create_index(name, "human_tasks", [*leading, *order], postgresql_where=where, sqlite_where=where)


def upgrade() -> None:
    _rebuild(["created_at", "id"])


def downgrade() -> None:
    _rebuild(["id"])
