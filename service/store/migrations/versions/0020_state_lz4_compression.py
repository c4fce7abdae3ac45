"""PostgreSQL compresses an instance's saved state with LZ4 instead of pglz

Every trigger writes the instance's state (~5 KB of JSON, stored compressed inline at ~1.5 KB):
pglz costs the server ~20 µs per write, LZ4 a fraction of that for about the same size. Only
PostgreSQL 14 and later built with LZ4 can; elsewhere (and on SQLite) nothing changes. Values
already stored keep pglz until their instance is next saved (no table rewrite, no long lock).
A pg_dump archive names the method: restore it into a server without LZ4 with
``pg_restore --no-toast-compression``.

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


def _lz4_available() -> bool:
    """Say whether the server can compress columns with LZ4 (PostgreSQL 14+ built with it)."""
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return False
    methods = bind.execute(
        sa.text("SELECT enumvals FROM pg_settings WHERE name = 'default_toast_compression'")
    ).scalar()
    return methods is not None and "lz4" in methods


def upgrade() -> None:
    if _lz4_available():
        op.execute("ALTER TABLE process_instances ALTER COLUMN state SET COMPRESSION lz4")


def downgrade() -> None:
    if _lz4_available():
        op.execute("ALTER TABLE process_instances ALTER COLUMN state SET COMPRESSION default")
