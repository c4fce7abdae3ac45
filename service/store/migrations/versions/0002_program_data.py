"""program data: recordkeepers, applications, audits, demands, notices, appeals

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-29 15:07:22.732421
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "audits",
        sa.Column("audit_number", sa.String(length=60), nullable=False),
        sa.Column("auditee_name", sa.String(length=300), nullable=False),
        sa.Column("auditee_email", sa.String(length=300), nullable=True),
        sa.Column("auditee_address", sa.Text(), nullable=True),
        sa.Column("estimated_termination_on", sa.Date(), nullable=True),
        sa.Column("actual_termination_on", sa.Date(), nullable=True),
        sa.Column("closing_conference_held", sa.Boolean(), nullable=False),
        sa.Column("closing_conference_on", sa.Date(), nullable=True),
        sa.Column("closing_conference_place", sa.Text(), nullable=True),
        sa.Column("petition_received_on", sa.Date(), nullable=True),
        sa.Column("petition_status", sa.String(length=30), nullable=True),
        sa.Column("investigation_commenced_on", sa.Date(), nullable=True),
        sa.Column("report_completed_on", sa.Date(), nullable=True),
        sa.Column("report_title", sa.String(length=300), nullable=True),
        sa.Column("report_copy_sent_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("audit_number", name=op.f("pk_audits")),
    )
    op.create_table(
        "deadline_misses",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("case_ref", sa.String(length=60), nullable=False),
        sa.Column("instance_id", sa.String(length=36), nullable=True),
        sa.Column("rule", sa.String(length=60), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("what", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("lifted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_deadline_misses")),
    )
    with op.batch_alter_table("deadline_misses", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_deadline_misses_case_ref"), ["case_ref"], unique=False)
        batch_op.create_index(batch_op.f("ix_deadline_misses_instance_id"), ["instance_id"], unique=False)

    op.create_table(
        "notices",
        sa.Column("notice_number", sa.String(length=60), nullable=False),
        sa.Column("step_key", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("case_ref", sa.String(length=60), nullable=False),
        sa.Column("instance_id", sa.String(length=36), nullable=True),
        sa.Column("recipient_name", sa.String(length=300), nullable=False),
        sa.Column("recipient_email", sa.String(length=300), nullable=True),
        sa.Column("recipient_address", sa.Text(), nullable=True),
        sa.Column("issued_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("issued_on", sa.Date(), nullable=False),
        sa.Column("rule_cited", sa.String(length=200), nullable=False),
        sa.Column("subject", sa.String(length=300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("pdf", sa.LargeBinary(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("facts", sa.JSON(), nullable=False),
        sa.PrimaryKeyConstraint("notice_number", name=op.f("pk_notices")),
        sa.UniqueConstraint("step_key", name=op.f("uq_notices_step_key")),
    )
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_notices_case_ref"), ["case_ref"], unique=False)
        batch_op.create_index(batch_op.f("ix_notices_instance_id"), ["instance_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_notices_kind"), ["kind"], unique=False)

    op.create_table(
        "program_counters",
        sa.Column("series", sa.String(length=60), nullable=False),
        sa.Column("value", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("series", name=op.f("pk_program_counters")),
    )
    op.create_table(
        "recordkeepers",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("importer_number", sa.String(length=60), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("email", sa.String(length=300), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("recordkeeper_class", sa.String(length=60), nullable=True),
        sa.Column("bond_status", sa.String(length=20), nullable=False),
        sa.Column("certification_status", sa.String(length=30), nullable=False),
        sa.Column("certification_number", sa.String(length=60), nullable=True),
        sa.Column("certified_on", sa.Date(), nullable=True),
        sa.Column("certification_conditions", sa.JSON(), nullable=True),
        sa.Column("removal_effective_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_recordkeepers")),
        sa.UniqueConstraint("importer_number", name=op.f("uq_recordkeepers_importer_number")),
    )
    op.create_table(
        "appeals",
        sa.Column("appeal_number", sa.String(length=60), nullable=False),
        sa.Column("notice_number", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("appellant", sa.String(length=300), nullable=False),
        sa.Column("grounds", sa.Text(), nullable=True),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("window_closes_on", sa.Date(), nullable=False),
        sa.Column("timely", sa.Boolean(), nullable=False),
        sa.Column("decision_due_on", sa.Date(), nullable=True),
        sa.Column("delays", sa.JSON(), nullable=False),
        sa.Column("decision", sa.String(length=20), nullable=True),
        sa.Column("decision_reasons", sa.Text(), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["notice_number"], ["notices.notice_number"], name=op.f("fk_appeals_notice_number_notices")
        ),
        sa.PrimaryKeyConstraint("appeal_number", name=op.f("pk_appeals")),
    )
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_appeals_notice_number"), ["notice_number"], unique=False)

    op.create_table(
        "applications",
        sa.Column("application_number", sa.String(length=60), nullable=False),
        sa.Column("recordkeeper_id", sa.String(length=36), nullable=False),
        sa.Column("received_on", sa.Date(), nullable=False),
        sa.Column("recordkeeper_class", sa.String(length=60), nullable=True),
        sa.Column("showing", sa.JSON(), nullable=False),
        sa.Column("business", sa.JSON(), nullable=False),
        sa.Column("alternative_program", sa.Text(), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("onsite_findings", sa.JSON(), nullable=True),
        sa.Column("decision", sa.String(length=20), nullable=True),
        sa.Column("decided_on", sa.Date(), nullable=True),
        sa.Column("denial_grounds", sa.JSON(), nullable=True),
        sa.Column("denial_reasons", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recordkeeper_id"],
            ["recordkeepers.id"],
            name=op.f("fk_applications_recordkeeper_id_recordkeepers"),
        ),
        sa.PrimaryKeyConstraint("application_number", name=op.f("pk_applications")),
    )
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_applications_recordkeeper_id"), ["recordkeeper_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_applications_status"), ["status"], unique=False)

    op.create_table(
        "demands",
        sa.Column("demand_number", sa.String(length=60), nullable=False),
        sa.Column("recordkeeper_id", sa.String(length=36), nullable=False),
        sa.Column("record_description", sa.Text(), nullable=False),
        sa.Column("releases", sa.JSON(), nullable=False),
        sa.Column("demanded_on", sa.Date(), nullable=False),
        sa.Column("due_on", sa.Date(), nullable=False),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recordkeeper_id"], ["recordkeepers.id"], name=op.f("fk_demands_recordkeeper_id_recordkeepers")
        ),
        sa.PrimaryKeyConstraint("demand_number", name=op.f("pk_demands")),
    )
    with op.batch_alter_table("demands", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_demands_recordkeeper_id"), ["recordkeeper_id"], unique=False)

    op.create_table(
        "removals",
        sa.Column("removal_number", sa.String(length=60), nullable=False),
        sa.Column("recordkeeper_id", sa.String(length=36), nullable=False),
        sa.Column("grounds", sa.JSON(), nullable=False),
        sa.Column("statement", sa.Text(), nullable=False),
        sa.Column("immediate_basis", sa.String(length=40), nullable=True),
        sa.Column("notice_number", sa.String(length=60), nullable=True),
        sa.Column("status", sa.String(length=30), nullable=False),
        sa.Column("effective_on", sa.Date(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recordkeeper_id"], ["recordkeepers.id"], name=op.f("fk_removals_recordkeeper_id_recordkeepers")
        ),
        sa.PrimaryKeyConstraint("removal_number", name=op.f("pk_removals")),
    )
    with op.batch_alter_table("removals", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_removals_recordkeeper_id"), ["recordkeeper_id"], unique=False)

    op.create_table(
        "suspension_periods",
        sa.Column("request_number", sa.String(length=60), nullable=False),
        sa.Column("application_number", sa.String(length=60), nullable=False),
        sa.Column("information_needed", sa.Text(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=True),
        sa.Column("days", sa.Integer(), nullable=True),
        sa.Column("reminders_sent", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["application_number"],
            ["applications.application_number"],
            name=op.f("fk_suspension_periods_application_number_applications"),
        ),
        sa.PrimaryKeyConstraint("request_number", name=op.f("pk_suspension_periods")),
    )
    with op.batch_alter_table("suspension_periods", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_suspension_periods_application_number"), ["application_number"], unique=False
        )

    op.create_table(
        "violations",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("recordkeeper_id", sa.String(length=36), nullable=False),
        sa.Column("demand_number", sa.String(length=60), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("culpability", sa.String(length=20), nullable=True),
        sa.Column("repeat", sa.Boolean(), nullable=False),
        sa.Column("notice_number", sa.String(length=60), nullable=True),
        sa.Column("ceilings", sa.JSON(), nullable=True),
        sa.Column("ceiling_total", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("penalty_case_number", sa.String(length=60), nullable=True),
        sa.Column("corrective_action", sa.Text(), nullable=True),
        sa.Column("corrective_action_on", sa.Date(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["demand_number"], ["demands.demand_number"], name=op.f("fk_violations_demand_number_demands")
        ),
        sa.ForeignKeyConstraint(
            ["recordkeeper_id"],
            ["recordkeepers.id"],
            name=op.f("fk_violations_recordkeeper_id_recordkeepers"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_violations")),
    )
    with op.batch_alter_table("violations", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_violations_recordkeeper_id"), ["recordkeeper_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("violations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_violations_recordkeeper_id"))

    op.drop_table("violations")
    with op.batch_alter_table("suspension_periods", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_suspension_periods_application_number"))

    op.drop_table("suspension_periods")
    with op.batch_alter_table("removals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_removals_recordkeeper_id"))

    op.drop_table("removals")
    with op.batch_alter_table("demands", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_demands_recordkeeper_id"))

    op.drop_table("demands")
    with op.batch_alter_table("applications", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_applications_status"))
        batch_op.drop_index(batch_op.f("ix_applications_recordkeeper_id"))

    op.drop_table("applications")
    with op.batch_alter_table("appeals", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_appeals_notice_number"))

    op.drop_table("appeals")
    op.drop_table("recordkeepers")
    op.drop_table("program_counters")
    with op.batch_alter_table("notices", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_notices_kind"))
        batch_op.drop_index(batch_op.f("ix_notices_instance_id"))
        batch_op.drop_index(batch_op.f("ix_notices_case_ref"))

    op.drop_table("notices")
    with op.batch_alter_table("deadline_misses", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_deadline_misses_instance_id"))
        batch_op.drop_index(batch_op.f("ix_deadline_misses_case_ref"))

    op.drop_table("deadline_misses")
    op.drop_table("audits")
