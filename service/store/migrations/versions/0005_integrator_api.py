"""integrator API: idempotency keys, buffered messages, webhooks, rate limits, watermarks

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-29 14:59:03.794472
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "api_buffered_messages",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("message_name", sa.String(length=200), nullable=False),
        sa.Column("business_key", sa.String(length=200), nullable=True),
        sa.Column("instance_id", sa.String(length=36), nullable=True),
        sa.Column("correlation_keys", sa.JSON(), nullable=False),
        sa.Column("variables", sa.JSON(), nullable=False),
        sa.Column("sender_kind", sa.String(length=20), nullable=False),
        sa.Column("sender", sa.String(length=200), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("delivered_to", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_buffered_messages")),
    )
    with op.batch_alter_table("api_buffered_messages", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_buffered_messages_expires_at"), ["expires_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_api_buffered_messages_message_name_status"),
            ["message_name", "status"],
            unique=False,
        )

    op.create_table(
        "api_idempotency_keys",
        sa.Column("id", sa.Integer(), autoincrement=True, nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("operation", sa.String(length=100), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("instance_id", sa.String(length=36), nullable=True),
        sa.Column("response_status", sa.Integer(), nullable=False),
        sa.Column("response_body", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_idempotency_keys")),
        sa.UniqueConstraint("owner", "key", name=op.f("uq_api_idempotency_keys_owner_key")),
    )
    with op.batch_alter_table("api_idempotency_keys", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_idempotency_keys_expires_at"), ["expires_at"], unique=False)

    op.create_table(
        "api_rate_limits",
        sa.Column("bucket", sa.String(length=200), nullable=False),
        sa.Column("tat", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("bucket", name=op.f("pk_api_rate_limits")),
    )
    op.create_table(
        "api_watermarks",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_api_watermarks")),
    )
    op.create_table(
        "api_webhooks",
        sa.Column("id", sa.String(length=36), nullable=False),
        sa.Column("owner", sa.String(length=200), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=True),
        sa.Column("salt", sa.String(length=64), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_api_webhooks")),
    )
    with op.batch_alter_table("api_webhooks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_webhooks_owner"), ["owner"], unique=False)

    op.create_table(
        "api_webhook_events",
        sa.Column("webhook_id", sa.String(length=36), nullable=False),
        sa.Column("event_type", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["webhook_id"], ["api_webhooks.id"], name=op.f("fk_api_webhook_events_webhook_id_api_webhooks")
        ),
        sa.PrimaryKeyConstraint("webhook_id", "event_type", name=op.f("pk_api_webhook_events")),
    )
    with op.batch_alter_table("api_webhook_events", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_api_webhook_events_event_type"), ["event_type"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("api_webhook_events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_webhook_events_event_type"))

    op.drop_table("api_webhook_events")
    with op.batch_alter_table("api_webhooks", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_webhooks_owner"))

    op.drop_table("api_webhooks")
    op.drop_table("api_watermarks")
    op.drop_table("api_rate_limits")
    with op.batch_alter_table("api_idempotency_keys", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_idempotency_keys_expires_at"))

    op.drop_table("api_idempotency_keys")
    with op.batch_alter_table("api_buffered_messages", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_api_buffered_messages_message_name_status"))
        batch_op.drop_index(batch_op.f("ix_api_buffered_messages_expires_at"))

    op.drop_table("api_buffered_messages")
