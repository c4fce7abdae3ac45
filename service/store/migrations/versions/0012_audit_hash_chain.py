"""audit_log.seq, prev_hash and hash: the audit log becomes a hash chain

Entries already in the log are chained here, in the order of their ids, starting from the
genesis hash, so ``rcp audit verify`` covers the whole log, not only what is written after the
upgrade. The chain's rule lives in ``service.store.audit_chain`` (one home: verifying uses it).

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 02:50:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from service.store import audit_chain
from service.store.schema import UtcDateTime

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None

BATCH = 1000

_log = sa.table(
    "audit_log",
    sa.column("id", sa.Integer),
    sa.column("at", UtcDateTime()),
    *(sa.column(name, sa.String) for name in audit_chain.CONTENT if name not in ("at", "data")),
    sa.column("data", sa.JSON),
    sa.column("seq", sa.Integer),
    sa.column("prev_hash", sa.String),
    sa.column("hash", sa.String),
)


def upgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.add_column(sa.Column("seq", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("prev_hash", sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column("hash", sa.String(length=64), nullable=True))
    _chain_existing(op.get_bind())
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.alter_column("seq", existing_type=sa.Integer(), nullable=False)
        batch_op.alter_column("prev_hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.alter_column("hash", existing_type=sa.String(length=64), nullable=False)
        batch_op.create_index("ix_audit_log_seq", ["seq"], unique=True)


def _chain_existing(conn: sa.Connection) -> None:
    seq, prev, last_id = 0, audit_chain.GENESIS, -1
    while True:
        query = sa.select(_log).where(_log.c.id > last_id).order_by(_log.c.id).limit(BATCH)
        rows = [dict(r) for r in conn.execute(query).mappings()]
        if not rows:
            return
        updates = []
        for row in rows:
            seq, digest = seq + 1, audit_chain.entry_hash(row, prev)
            updates.append({"row_id": row["id"], "seq": seq, "prev_hash": prev, "hash": digest})
            prev, last_id = digest, row["id"]
        conn.execute(
            _log.update()
            .where(_log.c.id == sa.bindparam("row_id"))
            .values(seq=sa.bindparam("seq"), prev_hash=sa.bindparam("prev_hash"), hash=sa.bindparam("hash")),
            updates,
        )


def downgrade() -> None:
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index("ix_audit_log_seq")
        batch_op.drop_column("hash")
        batch_op.drop_column("prev_hash")
        batch_op.drop_column("seq")
