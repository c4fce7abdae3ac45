"""Tables and indexes of the staff web inbox: saved filters, task drafts, sign-in throttling.

The inbox reads the engine's ``human_tasks`` rows; the indexes below let every inbox list take
its first page straight off an index in due-date order (no sort of the whole queue), so a page
costs the same with ten thousand cases as with a hundred thousand.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    UniqueConstraint,
    func,
)

from service.store.schema import ID, UtcDateTime, human_tasks, metadata

ht = human_tasks
# The one inbox order: due date ascending, undated tasks last, then id. PostgreSQL's ascending
# index already keeps NULLs last; SQLite keeps them first, so its indexes lead with "undated".
_SQLITE_ORDER = (ht.c.due_at.is_(None), ht.c.due_at, ht.c.created_at, ht.c.id)
_PG_ORDER = (ht.c.due_at, ht.c.created_at, ht.c.id)


# Declared once per database, in that database's form (reflection cannot compare these).
PER_DIALECT_INDEXES = [
    "ix_human_tasks_queue",
    "ix_human_tasks_unassigned",
    "ix_human_tasks_assignee_due",
    "ix_human_tasks_open_due",
    "ix_human_tasks_business_key_nocase",
    "ix_human_tasks_business_key_lower",
]


def _list_index(name: str, *leading: Any, unassigned: bool = False) -> None:
    """Declare an inbox list index in each database's form of the inbox order."""
    where = ht.c.assignee.is_(None) if unassigned else None
    Index(name, *leading, *_SQLITE_ORDER, sqlite_where=where).ddl_if(dialect="sqlite")
    Index(name, *leading, *_PG_ORDER, postgresql_where=where).ddl_if(dialect="postgresql")


saved_filters = Table(
    "saved_filters",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("username", String(100), nullable=False, index=True),
    Column("name", String(100), nullable=False),
    Column("query", String(1000), nullable=False),
    Column("kind", String(20), nullable=False, server_default="tasks"),  # tasks | cases: the list it filters
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("username", "name"),
)

task_drafts = Table(
    "task_drafts",
    metadata,
    # A draft lives as long as its open task: completing the task removes the row, and with it
    # the draft, in the same transaction.
    Column("task_id", ID, ForeignKey("human_tasks.id", ondelete="CASCADE"), primary_key=True),
    Column("username", String(100), primary_key=True),
    Column("fields", JSON, nullable=False),
    Column("saved_at", UtcDateTime, nullable=False),
)

# Failed sign-ins per (account, address), per address ("" account) and per account ("" address):
# each counter throttles with its own growing delay (service.identity.throttle).
sign_in_failures = Table(
    "sign_in_failures",
    metadata,
    Column("username", String(100), primary_key=True),
    Column("address", String(64), primary_key=True),
    Column("failures", Integer, nullable=False),
    Column("last_failed_at", UtcDateTime, nullable=False),
    Column("blocked_until", UtcDateTime),
    # A refused attempt of the current delay is in the audit log: later ones are not (no flooding).
    Column("refusal_noted", Boolean, nullable=False, default=False),
)

_list_index("ix_human_tasks_queue", ht.c.lane, unassigned=True)  # a lane's group queue
_list_index("ix_human_tasks_unassigned", unassigned=True)  # supervisors' queue: every lane
_list_index("ix_human_tasks_assignee_due", ht.c.assignee)  # "My tasks"
_list_index("ix_human_tasks_open_due")  # "All open"
# Case-insensitive business-key prefix search: LIKE on SQLite (case-insensitive for ASCII) needs a
# NOCASE index; PostgreSQL needs lower() with the pattern operator class whatever the collation.
Index("ix_human_tasks_business_key_nocase", ht.c.business_key.collate("NOCASE")).ddl_if(dialect="sqlite")
Index(
    "ix_human_tasks_business_key_lower",
    func.lower(ht.c.business_key).label("business_key_lower"),
    postgresql_ops={"business_key_lower": "varchar_pattern_ops"},
).ddl_if(dialect="postgresql")
