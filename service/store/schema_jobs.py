"""Tables of background work: service-call attempts, deadline history, scheduler leases.

``process_instances.retry_at`` (the earliest scheduled retry of an instance's failed service
tasks) lives with the engine's table in ``schema.py``; these tables hold the detail behind it.
"""

from __future__ import annotations

from sqlalchemy import Boolean, Column, ForeignKey, Index, Integer, String, Table, Text

from service.store.schema import ID, UtcDateTime, metadata

service_calls = Table(
    "service_calls",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("instance_id", ID, ForeignKey("process_instances.id"), nullable=False),
    Column("task_id", ID, nullable=False),
    Column("task_name", String(200), nullable=False),
    Column("operation", String(200), nullable=False),
    Column("attempt", Integer, nullable=False),
    Column("at", UtcDateTime, nullable=False),
    Column("outcome", String(20), nullable=False),  # failed | ok
    Column("error", Text),
    # When the next try of a failed attempt is due; None once tries ran out (an incident) or on success.
    Column("retry_at", UtcDateTime),
    Index(None, "instance_id", "task_id"),
)

deadline_history = Table(
    "deadline_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("instance_id", ID, ForeignKey("process_instances.id"), nullable=False, index=True),
    Column("process_key", String(200), nullable=False),
    Column("business_key", String(200)),
    Column("kind", String(10), nullable=False),  # task | timer
    Column("element", String(200), nullable=False),
    Column("title", String(300)),
    Column("rule", String(40), nullable=False),
    Column("citation", String(200)),
    Column("due_at", UtcDateTime, nullable=False),
    Column("closed_at", UtcDateTime, nullable=False),
    Column("outcome", String(20), nullable=False),  # met | late | fired | fired-late | withdrawn
    Column("on_time", Boolean),  # None: withdrawn before it was due (counts neither way)
    Column("action", String(40), nullable=False),
    Index(None, "closed_at", "rule"),
)

job_leases = Table(
    "job_leases",
    metadata,
    Column("name", String(100), primary_key=True),
    Column("holder", String(200), nullable=False),
    Column("acquired_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
)
