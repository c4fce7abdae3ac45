"""Tables of the integrator API: idempotency keys, buffered messages, webhooks, rate limits."""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
)

from service.store.schema import ID, UtcDateTime, metadata

# A start with an Idempotency-Key: the first response, kept so a repeat returns it unchanged.
api_idempotency_keys = Table(
    "api_idempotency_keys",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("owner", String(200), nullable=False),  # the token's name: keys are scoped per token
    Column("key", String(200), nullable=False),
    Column("operation", String(100), nullable=False),
    Column("request_hash", String(64), nullable=False),
    Column("instance_id", ID),
    Column("response_status", Integer, nullable=False),
    Column("response_body", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False, index=True),
    UniqueConstraint("owner", "key"),
)

# A message nobody waited for yet, kept until a matching subscription appears or it expires.
api_buffered_messages = Table(
    "api_buffered_messages",
    metadata,
    Column("id", ID, primary_key=True),
    Column("message_name", String(200), nullable=False),
    Column("business_key", String(200)),
    Column("instance_id", ID),
    Column("correlation_keys", JSON, nullable=False),
    Column("variables", JSON, nullable=False),
    Column("sender_kind", String(20), nullable=False),
    Column("sender", String(200), nullable=False),
    Column("status", String(20), nullable=False),  # pending | delivered | expired
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False, index=True),
    Column("delivered_at", UtcDateTime),
    Column("delivered_to", ID),
    Index(None, "message_name", "status"),
)

api_webhooks = Table(
    "api_webhooks",
    metadata,
    Column("id", ID, primary_key=True),
    Column("owner", String(200), nullable=False, index=True),
    Column("url", Text, nullable=False),
    Column("description", String(300)),
    # The signing secret is derived from SECRET_KEY and this salt; the database never holds it.
    Column("salt", String(64), nullable=False),
    Column("active", Boolean, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("deleted_at", UtcDateTime),
)

api_webhook_events = Table(
    "api_webhook_events",
    metadata,
    Column("webhook_id", ID, ForeignKey("api_webhooks.id"), primary_key=True),
    Column("event_type", String(40), primary_key=True, index=True),
)

# Generic cell rate algorithm: one row per token, the theoretical arrival time of its next request.
api_rate_limits = Table(
    "api_rate_limits",
    metadata,
    Column("bucket", String(200), primary_key=True),
    Column("tat", UtcDateTime, nullable=False),
)

# How far a periodic scan has come (e.g. deadlines already reported as missed).
api_watermarks = Table(
    "api_watermarks",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("at", UtcDateTime, nullable=False),
)
