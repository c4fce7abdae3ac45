"""The append-only audit log: every trigger, who or what, when, with what data, and the outcome.

Entries are hash-chained (``service.store.audit_chain``). ``append`` keeps an entry until the
unit of work commits; ``flush`` then chains and writes them as the transaction's last statements,
so the chain's lock (PostgreSQL; SQLite's writers are serialised already) is held only until the
commit that follows. No entry is appended inside a savepoint, so none outlives a rolled-back one.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Text, bindparam, func, insert, literal_column, select, true

from service.store import audit_chain
from service.store.prepared import Prepared
from service.store.rows import AuditRow
from service.store.schema import audit_log as t
from service.store.typed import typed_row, typed_rows

_LOCK = Prepared(select(func.pg_advisory_xact_lock(literal_column(str(audit_chain.LOCK_KEY)))))
_ENTRY = audit_chain.CONTENT  # what an entry holds besides its place in the chain


def _chained_insert() -> Prepared:
    """Insert an entry after the chain's head, which the statement reads and hashes itself.

    ``before`` and ``after`` are the entry's hashed text around its ``prev_hash``
    (``audit_chain.hashed_around``): the hash is SHA-256 of before || head's hash || after, the
    same text ``audit_chain.entry_hash`` hashes, so ``verify`` checks it like any other entry.
    """
    # Constants are written into the SQL, not bound: PostgreSQL's cached generic plan then knows
    # the LIMIT is 1 and costs the same as a custom one, so it is kept and each execution skips
    # planning (with LIMIT $n the generic plan looked dearer, and every bind planned anew).
    head = select(t.c.seq, t.c.hash).order_by(t.c.seq.desc()).limit(_sql("1")).subquery("head")
    prev = func.coalesce(head.c.hash, _sql(f"'{audit_chain.GENESIS}'"))
    text = bindparam("before", type_=Text) + prev + bindparam("after", type_=Text)
    digest = func.encode(func.sha256(func.convert_to(text, _sql("'UTF8'"))), _sql("'hex'"))
    one = select(_sql("1").label("one")).subquery("one")
    source = select(
        *(bindparam(name, type_=t.c[name].type) for name in _ENTRY),
        func.coalesce(head.c.seq, _sql("0")) + _sql("1"),
        prev,
        digest,
    ).select_from(one.outerjoin(head, true()))
    return Prepared(insert(t).from_select([*_ENTRY, "seq", "prev_hash", "hash"], source))


def _sql(constant: str) -> Any:
    """Return a constant as SQL text (an integer, or a quoted string of safe characters)."""
    return literal_column(constant)


# An entry's write needs no answer and reads no head first: on PostgreSQL it travels with the
# COMMIT; SQLite runs it with the functions audit_chain.install_sqlite_functions gives it.
_CHAINED = _chained_insert()


class AuditRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._pending: list[dict[str, Any]] = []  # appended in this transaction, written by flush

    def append(
        self,
        *,
        at: datetime,
        actor_kind: str,
        actor: str,
        action: str,
        outcome: str,
        instance_id: str | None = None,
        task_id: str | None = None,
        task_name: str | None = None,
        data: Any = None,
        detail: str | None = None,
    ) -> None:
        """Add an entry to this transaction's audit log (written, chained, at commit)."""
        self._pending.append(
            {
                "at": at,
                "actor_kind": actor_kind,
                "actor": actor,
                "action": action,
                "outcome": outcome,
                "instance_id": instance_id,
                "task_id": task_id,
                "task_name": task_name,
                "data": audit_chain.stored_json(data),
                "detail": detail,
            }
        )

    def flush(self) -> None:
        """Chain and write the entries appended so far: the last statements before the commit."""
        if not self._pending:
            return
        if self.conn.dialect.name == "postgresql":
            # Held until the commit: concurrent appenders chain in turn. Queued, it travels with
            # the inserts (and the COMMIT), yet stays a statement of its own: each insert's
            # snapshot is taken after the lock is granted, so it sees the last appender's commit,
            # and each entry's insert sees the one before it. (SQLite serialises writers already.)
            _LOCK.send(self.conn, {})
        entries = [
            {**e, **dict(zip(("before", "after"), audit_chain.hashed_around(e), strict=True))}
            for e in self._pending
        ]
        _CHAINED.send(self.conn, entries if len(entries) > 1 else entries[0])
        self._pending.clear()

    def chain(self, after: int, limit: int) -> list[dict[str, Any]]:
        """Return up to ``limit`` entries after position ``after``, in chain order (for verifying)."""
        rows = self.conn.execute(select(t).where(t.c.seq > after).order_by(t.c.seq).limit(limit)).mappings()
        return [dict(r) for r in rows]

    def verify(self, batch: int = 1000) -> audit_chain.ChainVerdict:
        """Walk the whole chain ``batch`` entries at a time; name the first entry that breaks it."""
        return audit_chain.walk(self.chain, batch)

    def for_instance(self, instance_id: str) -> list[AuditRow]:
        self.flush()  # a read in the appending transaction sees its entries
        rows = self.conn.execute(select(t).where(t.c.instance_id == instance_id).order_by(t.c.id))
        return typed_rows(AuditRow, rows)

    def completed_task(self, task_id: str) -> AuditRow | None:
        """Return the audit entry that completed ``task_id``, if any."""
        self.flush()
        r = self.conn.execute(
            select(t)
            .where(t.c.task_id == task_id, t.c.action == "complete", t.c.outcome.in_(("ok", "incident")))
            .order_by(t.c.id.desc())
            .limit(1)
        ).first()
        return typed_row(AuditRow, r)

    def count(self, **equal: Any) -> int:
        self.flush()
        query = select(func.count()).select_from(t)
        for name, value in equal.items():
            query = query.where(t.c[name] == value)
        return int(self.conn.execute(query).scalar_one())
