"""background work: service-call attempts, retry_at, deadline history, scheduler leases

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-29 15:02:00.663996
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "job_leases",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("holder", sa.String(length=200), nullable=False),
        sa.Column("acquired_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_job_leases")),
    )
    op.create_table(
        "deadline_history",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("instance_id", sa.String(length=36), nullable=False),
        sa.Column("process_key", sa.String(length=200), nullable=False),
        sa.Column("business_key", sa.String(length=200), nullable=True),
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("element", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=True),
        sa.Column("rule", sa.String(length=40), nullable=False),
        sa.Column("citation", sa.String(length=200), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("closed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("on_time", sa.Boolean(), nullable=True),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["instance_id"],
            ["process_instances.id"],
            name=op.f("fk_deadline_history_instance_id_process_instances"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_history")),
    )
    with op.batch_alter_table("deadline_history", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_deadline_history_closed_at_rule"), ["closed_at", "rule"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_deadline_history_instance_id"), ["instance_id"], unique=False)

    op.create_table(
        "service_calls",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("instance_id", sa.String(length=36), nullable=False),
        sa.Column("task_id", sa.String(length=36), nullable=False),
        sa.Column("task_name", sa.String(length=200), nullable=False),
        sa.Column("operation", sa.String(length=200), nullable=False),
        sa.Column("attempt", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("retry_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["instance_id"],
            ["process_instances.id"],
            name=op.f("fk_service_calls_instance_id_process_instances"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_calls")),
    )
    with op.batch_alter_table("service_calls", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_calls_instance_id_task_id"), ["instance_id", "task_id"], unique=False
        )

    with op.batch_alter_table("process_instances", schema=None) as batch_op:
        batch_op.add_column(sa.Column("retry_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f("ix_process_instances_retry_at"), ["retry_at"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("process_instances", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_process_instances_retry_at"))
        batch_op.drop_column("retry_at")
    with op.batch_alter_table("service_calls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_calls_instance_id_task_id"))
    op.drop_table("service_calls")
    with op.batch_alter_table("deadline_history", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deadline_history_instance_id"))
        batch_op.drop_index(batch_op.f("ix_deadline_history_closed_at_rule"))
    op.drop_table("deadline_history")
    op.drop_table("job_leases")
