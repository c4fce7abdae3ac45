"""drop the human_tasks indexes on lane and on assignee alone: wider indexes lead with them

Every completed task deletes one open-task row and inserts another, and each index costs both
writes a page. ``ix_human_tasks_lane_assignee_due_at`` leads with lane and
``ix_human_tasks_assignee_due`` with assignee, so the two single-column indexes served no query.

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-29 17:55:00.000000
"""

from __future__ import annotations

from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("human_tasks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_human_tasks_lane"))
        batch_op.drop_index(batch_op.f("ix_human_tasks_assignee"))


def downgrade() -> None:
    with op.batch_alter_table("human_tasks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_human_tasks_assignee"), ["assignee"], unique=False)
        batch_op.create_index(batch_op.f("ix_human_tasks_lane"), ["lane"], unique=False)
