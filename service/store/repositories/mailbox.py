"""Buffered messages: sent before any instance waited for them, kept until one does or they expire."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, or_, select, text, update

from service.store.rows import BufferedMessageRow
from service.store.schema_api import api_buffered_messages as t
from service.store.typed import typed_row, typed_rows

_LOCK_CLASS = 41630  # first key of the advisory lock pair: "buffered message routing"


class MailboxRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def lock_names(self, names: Iterable[str], *, exclusive: bool) -> None:
        """Serialise buffering against subscribing, per message name, until commit (PostgreSQL).

        Without it a message buffered while an instance starts waiting could miss it: each
        transaction would look before the other committed. Subscribing triggers take the lock
        shared (they never wait for each other), buffering takes it exclusive. SQLite serialises
        writers anyway.
        """
        if self.conn.dialect.name != "postgresql":
            return
        function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
        for name in sorted(set(names)):
            self.conn.execute(
                text(f"SELECT {function}(:cls, hashtext(:name))"), {"cls": _LOCK_CLASS, "name": name}
            )

    def add(self, **values: Any) -> None:
        self.conn.execute(insert(t).values(**values))

    def get(self, message_id: str) -> BufferedMessageRow | None:
        r = self.conn.execute(select(t).where(t.c.id == message_id)).first()
        return typed_row(BufferedMessageRow, r)

    def pending_for(
        self, names: Iterable[str], business_key: str | None, instance_id: str, now: datetime
    ) -> list[BufferedMessageRow]:
        """Return live buffered messages an instance with this business key could take, oldest first."""
        query = (
            select(t)
            .where(
                t.c.message_name.in_(sorted(set(names))),
                t.c.status == "pending",
                t.c.expires_at > now,
                or_(t.c.instance_id.is_(None), t.c.instance_id == instance_id),
                or_(t.c.business_key.is_(None), t.c.business_key == business_key),
            )
            .order_by(t.c.created_at, t.c.id)
            .limit(100)
        )
        return typed_rows(BufferedMessageRow, self.conn.execute(query))

    def take(self, message_id: str, instance_id: str, now: datetime) -> bool:
        """Mark a pending message delivered to ``instance_id``; False when another took it first."""
        result = self.conn.execute(
            update(t)
            .where(t.c.id == message_id, t.c.status == "pending")
            .values(status="delivered", delivered_at=now, delivered_to=instance_id)
        )
        return result.rowcount == 1

    def expire(self, now: datetime, keep_until: datetime) -> int:
        """Mark overdue messages expired; delete finished ones older than ``keep_until``."""
        result = self.conn.execute(
            update(t).where(t.c.status == "pending", t.c.expires_at <= now).values(status="expired")
        )
        self.conn.execute(delete(t).where(t.c.status != "pending", t.c.expires_at < keep_until))
        return int(result.rowcount)

    def count(self, **equal: Any) -> int:
        query = select(func.count()).select_from(t)
        for name, value in equal.items():
            query = query.where(t.c[name] == value)
        return int(self.conn.execute(query).scalar_one())
