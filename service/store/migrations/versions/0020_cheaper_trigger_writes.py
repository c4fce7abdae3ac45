"""PostgreSQL writes less per trigger: the state compressed with LZ4, fewer index entries

Every trigger writes its instance's state (~5 KB of JSON, stored compressed inline at ~1.5 KB):
pglz costs the server ~20 µs per write, LZ4 a fraction of that for about the same size. Only
PostgreSQL 14 and later built with LZ4 can; elsewhere nothing changes. Values already stored keep
pglz until their instance is next saved (no table rewrite). A pg_dump archive names the method:
restore it into a server without LZ4 with ``pg_restore --no-toast-compression``.

A PostgreSQL index holds an entry for every row, NULL included, and each instance insert or
non-HOT update writes one into every index of the table. Due timers and retries are only ever
looked up by ``column <= now`` or ``min(column)``, which never match NULL, and most instances have
neither: their indexes keep only the rows that have one. ``ix_human_tasks_due_at`` duplicates the
lead of PostgreSQL's ``ix_human_tasks_open_due`` (due_at, created_at, id) and goes. SQLite keeps
its indexes as they were (its inbox indexes lead with "undated"; ``schema.py`` says why).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-06 07:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

DUE_WORK = ("next_timer_due", "retry_at")  # process_instances columns found by "<= now"


def _postgresql() -> bool:
    return bool(op.get_bind().dialect.name == "postgresql")


def _lz4_available() -> bool:
    """Say whether the server can compress columns with LZ4 (PostgreSQL 14+ built with it)."""
    methods = (
        op.get_bind()
        .execute(sa.text("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'"))
        .scalar()
    )
    return methods is not None and "lz4" in methods


def _due_work_indexes(*, partial: bool) -> None:
    for column in DUE_WORK:
        name = f"ix_process_instances_{column}"
        where = sa.text(f"{column} IS NOT NULL") if partial else None
        op.drop_index(name, table_name="process_instances")
        op.create_index(name, "process_instances", [column], postgresql_where=where)


def upgrade() -> None:
    if not _postgresql():
        return
    if _lz4_available():
        op.execute("ALTER TABLE process_instances ALTER COLUMN state SET COMPRESSION lz4")
    _due_work_indexes(partial=True)
    op.drop_index("ix_human_tasks_due_at", table_name="human_tasks")


def downgrade() -> None:
    if not _postgresql():
        return
    op.create_index("ix_human_tasks_due_at", "human_tasks", ["due_at"])
    _due_work_indexes(partial=False)
    if _lz4_available():
        op.execute("ALTER TABLE process_instances ALTER COLUMN state SET COMPRESSION default")
