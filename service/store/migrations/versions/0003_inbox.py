"""staff web inbox: saved filters, task drafts, login throttling, inbox indexes on human tasks

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-29 16:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

UNASSIGNED = sa.text("assignee IS NULL")
SQLITE_ORDER: list[str | sa.TextClause] = [sa.text("(due_at IS NULL)"), "due_at", "id"]


def upgrade() -> None:
    op.create_table(
        "saved_filters",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("query", sa.String(length=1000), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_saved_filters")),
        sa.UniqueConstraint("username", "name", name=op.f("uq_saved_filters_username_name")),
    )
    op.create_index(op.f("ix_saved_filters_username"), "saved_filters", ["username"])
    op.create_table(
        "task_drafts",
        sa.Column("task_id", sa.String(length=36), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("fields", sa.JSON(), nullable=False),
        sa.Column("saved_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["task_id"],
            ["human_tasks.id"],
            name=op.f("fk_task_drafts_task_id_human_tasks"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("task_id", "username", name=op.f("pk_task_drafts")),
    )
    op.create_table(
        "login_failures",
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("failures", sa.Integer(), nullable=False),
        sa.Column("first_failed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("locked_until", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("username", name=op.f("pk_login_failures")),
    )
    postgresql = op.get_bind().dialect.name == "postgresql"
    # The inbox order is due date ascending, undated last, then id. PostgreSQL's ascending index
    # keeps NULLs last already; SQLite keeps them first, so its indexes lead with "undated".
    order = ["due_at", "id"] if postgresql else SQLITE_ORDER
    for name, leading in (("ix_human_tasks_queue", ["lane"]), ("ix_human_tasks_unassigned", [])):
        # Partial: the queues hold unassigned tasks only.
        op.create_index(
            name, "human_tasks", [*leading, *order], postgresql_where=UNASSIGNED, sqlite_where=UNASSIGNED
        )
    op.create_index("ix_human_tasks_assignee_due", "human_tasks", ["assignee", *order])
    op.create_index("ix_human_tasks_open_due", "human_tasks", order)
    if postgresql:
        op.create_index(
            "ix_human_tasks_business_key_lower",
            "human_tasks",
            [sa.text("lower(business_key) varchar_pattern_ops")],
        )
    else:
        op.create_index(
            "ix_human_tasks_business_key_nocase", "human_tasks", [sa.text("business_key COLLATE NOCASE")]
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_human_tasks_business_key_lower", table_name="human_tasks")
    else:
        op.drop_index("ix_human_tasks_business_key_nocase", table_name="human_tasks")
    for name in (
        "ix_human_tasks_open_due",
        "ix_human_tasks_assignee_due",
        "ix_human_tasks_unassigned",
        "ix_human_tasks_queue",
    ):
        op.drop_index(name, table_name="human_tasks")
    op.drop_table("login_failures")
    op.drop_table("task_drafts")
    op.drop_index(op.f("ix_saved_filters_username"), table_name="saved_filters")
    op.drop_table("saved_filters")
