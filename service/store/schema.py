"""The database schema (SQLAlchemy Core); Alembic migrations are written from it."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    DateTime,
    Dialect,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.types import TypeDecorator

from service import ids


class UtcDateTime(TypeDecorator[datetime]):
    """Aware UTC datetimes in, aware UTC datetimes out, on SQLite and PostgreSQL alike."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetimes are not stored; pass an aware UTC datetime")
        value = value.astimezone(UTC)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)


metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
        "pk": "pk_%(table_name)s",
    }
)

ID = String(ids.ID_LENGTH)
OPEN_CASE_INDEX = "uq_process_instances_open_business_key"
FINISHED_STATUSES = ("completed", "cancelled")  # a case in these is closed; its business key is free
OPEN_CASE = text(
    f"business_key IS NOT NULL AND status NOT IN ({', '.join(repr(s) for s in FINISHED_STATUSES)})"
)

process_definitions = Table(
    "process_definitions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("key", String(200), nullable=False),
    Column("version", Integer, nullable=False),
    Column("name", String(300)),
    Column("content_hash", String(64), nullable=False),
    Column("source_name", String(300), nullable=False),
    Column("bpmn_xml", Text, nullable=False),
    Column("forms", JSON, nullable=False),
    Column("start_schema", JSON),
    Column("called_keys", JSON, nullable=False),
    Column("start_messages", JSON, nullable=False),
    Column("deployed_at", UtcDateTime, nullable=False),
    Column("deployed_by", String(200)),
    Column("note", Text),
    UniqueConstraint("key", "version"),
    Index(None, "key", "content_hash"),
)

process_instances = Table(
    "process_instances",
    metadata,
    Column("id", ID, primary_key=True),
    Column("definition_id", Integer, ForeignKey("process_definitions.id"), nullable=False, index=True),
    Column("process_key", String(200), nullable=False, index=True),
    Column("called_definitions", JSON, nullable=False),
    Column("business_key", String(200), index=True),
    Column("status", String(20), nullable=False, index=True),
    Column("suspended", Boolean, nullable=False, default=False),
    Column("has_incident", Boolean, nullable=False, default=False),
    # Written by every trigger (~5 KB JSON); PostgreSQL compresses it with LZ4 (migration 0020).
    Column("state", Text, nullable=False),
    Column("serializer_version", String(40), nullable=False),
    Column("version", Integer, nullable=False),
    Column("variables", JSON, nullable=False),
    Column("next_timer_due", UtcDateTime),  # indexed per database (below)
    # Earliest scheduled retry of a failed service task (background work, schema_jobs.py).
    Column("retry_at", UtcDateTime),  # indexed per database (below)
    # How many open tasks, subscriptions and timers the derived tables hold for the instance, so a
    # step that leaves none and found none skips their statements.
    Column("waits", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False, index=True),
    Column("completed_at", UtcDateTime),
    Column("started_by", String(200)),
    # One open case per business key and process: a second start is refused even when two race.
    Index(
        OPEN_CASE_INDEX,
        "process_key",
        "business_key",
        unique=True,
        sqlite_where=OPEN_CASE,
        postgresql_where=OPEN_CASE,
    ),
)

human_tasks = Table(
    "human_tasks",
    metadata,
    Column("id", ID, primary_key=True),
    Column("instance_id", ID, ForeignKey("process_instances.id"), nullable=False, index=True),
    Column("name", String(200), nullable=False),
    Column("title", String(300)),
    # Lane and assignee lead wider indexes (below, and the inbox's in schema_inbox.py).
    Column("lane", String(100)),
    Column("assignee", String(200)),
    Column("form", String(300)),
    Column("ui_form", String(300)),
    Column("due_at", UtcDateTime),  # indexed per database (below)
    Column("due_citation", String(200)),
    Column("instructions", Text),
    Column("process_key", String(200), nullable=False),
    Column("business_key", String(200), index=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("claimed_at", UtcDateTime),
    Index(None, "lane", "assignee", "due_at"),
)

# Indexes declared in each database's own form (reflection cannot compare a partial index's
# condition). On PostgreSQL an index writes an entry for every row, NULL or not, and every
# trigger inserts or rewrites an instance row and its open-task rows:
# - due timers and retries are found by ``column <= now`` (and ``min(column)``), which never
#   match NULL, and most instances have neither: PostgreSQL indexes only the rows that have one;
# - PostgreSQL's inbox index ``ix_human_tasks_open_due`` (due_at, created_at, id) serves every
#   query on an open task's due date (SQLite's leads with "undated", so SQLite keeps its own).
PER_DIALECT_INDEXES = [
    "ix_process_instances_next_timer_due",
    "ix_process_instances_retry_at",
    "ix_human_tasks_due_at",
]


def _due_work_index(column: Column[Any]) -> None:
    """Index a due-work column: every row on SQLite, only rows that have a value on PostgreSQL."""
    name = f"ix_process_instances_{column.name}"
    Index(name, column).ddl_if(dialect="sqlite")
    Index(name, column, postgresql_where=column.is_not(None)).ddl_if(dialect="postgresql")


_due_work_index(process_instances.c.next_timer_due)
_due_work_index(process_instances.c.retry_at)
Index("ix_human_tasks_due_at", human_tasks.c.due_at).ddl_if(dialect="sqlite")


message_subscriptions = Table(
    "message_subscriptions",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("instance_id", ID, ForeignKey("process_instances.id"), nullable=False, index=True),
    Column("message_name", String(200), nullable=False),
    Column("business_key", String(200)),
    Column("correlation", JSON, nullable=False),
    Column("task_id", ID, nullable=False),
    Column("task_name", String(200), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Index(None, "message_name", "business_key"),
)

pending_timers = Table(
    "pending_timers",
    metadata,
    Column("task_id", ID, primary_key=True),
    Column("instance_id", ID, ForeignKey("process_instances.id"), nullable=False, index=True),
    Column("task_name", String(200), nullable=False),
    Column("title", String(300)),
    Column("due_at", UtcDateTime, nullable=False, index=True),
    Column("documentation", Text),
)

incidents = Table(
    "incidents",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("instance_id", ID, ForeignKey("process_instances.id"), nullable=False, index=True),
    Column("task_id", ID, nullable=False),
    Column("task_name", String(200), nullable=False),
    Column("message", Text, nullable=False),
    Column("detail", Text),
    Column("attempts", Integer, nullable=False, default=1),
    Column("created_at", UtcDateTime, nullable=False),
    Column("resolved_at", UtcDateTime),
    Column("resolved_by", String(200)),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", UtcDateTime, nullable=False),
    Column("instance_id", ID, index=True),
    Column("task_id", ID, index=True),
    Column("task_name", String(200)),
    Column("actor_kind", String(20), nullable=False),
    Column("actor", String(200), nullable=False),
    Column("action", String(40), nullable=False),
    Column("data", JSON),
    Column("outcome", String(20), nullable=False),
    Column("detail", Text),
    # The hash chain (service/store/audit_chain.py): position, the previous entry's hash, this one's.
    Column("seq", Integer, nullable=False, index=True, unique=True),
    Column("prev_hash", String(64), nullable=False),
    Column("hash", String(64), nullable=False),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", String(16), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("secret_hash", String(64), nullable=False),
    Column("scopes", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("revoked_at", UtcDateTime),
    Column("last_used_at", UtcDateTime),
)
# A name is unique among active tokens only: a revoked token's name can be given again.
_ACTIVE_TOKEN = api_tokens.c.revoked_at.is_(None)
Index(
    "ix_api_tokens_active_name",
    api_tokens.c.name,
    unique=True,
    sqlite_where=_ACTIVE_TOKEN,
    postgresql_where=_ACTIVE_TOKEN,
)

users = Table(
    "users",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(100), nullable=False, unique=True),
    Column("display_name", String(200), nullable=False),
    Column("email", String(300)),
    Column("password_hash", String(300), nullable=False),
    Column("active", Boolean, nullable=False, default=True),
    Column("created_at", UtcDateTime, nullable=False),
    # local: signs in with a password; oidc: through the identity provider, as ``subject``.
    Column("source", String(20), nullable=False, server_default="local"),
    Column("subject", String(300)),
    Index("ix_users_source_subject", "source", "subject", unique=True),
)

user_groups = Table(
    "user_groups",
    metadata,
    Column("user_id", Integer, ForeignKey("users.id"), primary_key=True),
    Column("group_name", String(100), primary_key=True),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    # Same key, same message: a retried step can never enqueue a second notice or webhook.
    Column("key", String(300), nullable=False, unique=True),
    Column("kind", String(40), nullable=False),
    Column("instance_id", ID, index=True),
    Column("payload", JSON, nullable=False),
    Column("status", String(20), nullable=False),  # pending | sent | failed
    Column("attempts", Integer, nullable=False, default=0),
    Column("max_attempts", Integer, nullable=False, default=5),
    Column("next_attempt_at", UtcDateTime, index=True),
    Column("last_error", Text),
    Column("last_response", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Column("sent_at", UtcDateTime),
    # The request that caused the message (X-Request-ID): its delivery logs under the same id.
    Column("request_id", String(128)),
)
