"""DMN decision tables: deployed decision versions, the versions each process version pins, decisions taken

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-06 05:20:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

WHEN = sa.DateTime(timezone=True)  # migrations are frozen history: no imports from the service


def upgrade() -> None:
    op.create_table(
        "decision_definitions",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(300)),
        sa.Column("content_hash", sa.String(64), nullable=False),
        sa.Column("source_name", sa.String(300), nullable=False),
        sa.Column("dmn_xml", sa.Text(), nullable=False),
        sa.Column("deployed_at", WHEN, nullable=False),
        sa.Column("deployed_by", sa.String(200), nullable=False),
        sa.Column("note", sa.Text()),
        sa.UniqueConstraint("key", "version"),
    )
    op.create_table(
        "definition_decisions",
        sa.Column("definition_id", sa.Integer(), sa.ForeignKey("process_definitions.id"), primary_key=True),
        sa.Column("decision_key", sa.String(200), primary_key=True),
        sa.Column(
            "decision_definition_id", sa.Integer(), sa.ForeignKey("decision_definitions.id"), nullable=False
        ),
    )
    op.create_table(
        "decision_evaluations",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("instance_id", sa.String(36), sa.ForeignKey("process_instances.id"), nullable=False),
        sa.Column("process_key", sa.String(200), nullable=False),
        sa.Column("task_name", sa.String(200), nullable=False),
        sa.Column("decision_key", sa.String(200), nullable=False),
        sa.Column("decision_version", sa.Integer()),
        sa.Column("inputs", sa.JSON(), nullable=False),
        sa.Column("rule_id", sa.String(200)),
        sa.Column("rule_index", sa.Integer()),
        sa.Column("annotation", sa.Text()),
        sa.Column("outputs", sa.JSON(), nullable=False),
        sa.Column("evaluated_at", WHEN, nullable=False),
    )
    op.create_index("ix_decision_evaluations_instance_id", "decision_evaluations", ["instance_id"])


def downgrade() -> None:
    op.drop_index("ix_decision_evaluations_instance_id", table_name="decision_evaluations")
    op.drop_table("decision_evaluations")
    op.drop_table("definition_decisions")
    op.drop_table("decision_definitions")
