"""modeler: analysts' diagram drafts, per-case migration records

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-29 15:02:31
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "diagram_drafts",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner", sa.String(length=100), nullable=False),
        sa.Column("title", sa.String(length=300), nullable=False),
        sa.Column("process_key", sa.String(length=200), nullable=True),
        sa.Column("base_definition_id", sa.Integer(), nullable=True),
        sa.Column("bpmn_xml", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["base_definition_id"],
            ["process_definitions.id"],
            name=op.f("fk_diagram_drafts_base_definition_id_process_definitions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_diagram_drafts")),
    )
    with op.batch_alter_table("diagram_drafts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_diagram_drafts_owner_updated_at"), ["owner", "updated_at"], unique=False
        )

    op.create_table(
        "case_migrations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("instance_id", sa.String(length=36), nullable=False),
        sa.Column("process_key", sa.String(length=200), nullable=False),
        sa.Column("from_definition_id", sa.Integer(), nullable=False),
        sa.Column("to_definition_id", sa.Integer(), nullable=False),
        sa.Column("from_version", sa.Integer(), nullable=False),
        sa.Column("to_version", sa.Integer(), nullable=False),
        sa.Column("instance_version", sa.Integer(), nullable=False),
        sa.Column("migrated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("migrated_by", sa.String(length=200), nullable=False),
        sa.ForeignKeyConstraint(
            ["from_definition_id"],
            ["process_definitions.id"],
            name=op.f("fk_case_migrations_from_definition_id_process_definitions"),
        ),
        sa.ForeignKeyConstraint(
            ["instance_id"],
            ["process_instances.id"],
            name=op.f("fk_case_migrations_instance_id_process_instances"),
        ),
        sa.ForeignKeyConstraint(
            ["to_definition_id"],
            ["process_definitions.id"],
            name=op.f("fk_case_migrations_to_definition_id_process_definitions"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_case_migrations")),
    )
    with op.batch_alter_table("case_migrations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_case_migrations_instance_id"), ["instance_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_case_migrations_to_definition_id"), ["to_definition_id"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("case_migrations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_case_migrations_to_definition_id"))
        batch_op.drop_index(batch_op.f("ix_case_migrations_instance_id"))

    op.drop_table("case_migrations")
    with op.batch_alter_table("diagram_drafts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_diagram_drafts_owner_updated_at"))

    op.drop_table("diagram_drafts")
