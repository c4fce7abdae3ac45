"""The transactional outbox: side effects written with the step that causes them, sent later."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from service.observe import context
from service.store.rows import OutboxRow
from service.store.schema import outbox as t
from service.store.typed import typed_row, typed_rows


class OutboxRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def enqueue(
        self,
        *,
        key: str,
        kind: str,
        payload: dict[str, Any],
        now: datetime,
        instance_id: str | None = None,
        max_attempts: int = 5,
    ) -> bool:
        """Add a message unless one with ``key`` exists; True when added.

        The message keeps the id of the request in hand, so its delivery logs under the same id.
        """
        exists = self.conn.execute(select(t.c.id).where(t.c.key == key)).first()
        if exists:
            return False
        self.conn.execute(
            insert(t).values(
                key=key,
                kind=kind,
                instance_id=instance_id,
                payload=payload,
                status="pending",
                attempts=0,
                max_attempts=max_attempts,
                next_attempt_at=now,
                created_at=now,
                request_id=context.current(),
            )
        )
        return True

    def lease_due(self, kinds: list[str], now: datetime, lease: timedelta, limit: int) -> list[OutboxRow]:
        """Take up to ``limit`` due messages for ``lease`` (another worker skips them meanwhile)."""
        query = (
            select(t)
            .where(t.c.status == "pending", t.c.kind.in_(kinds), t.c.next_attempt_at <= now)
            .order_by(t.c.next_attempt_at, t.c.id)
            .limit(limit)
        )
        if self.conn.dialect.name == "postgresql":
            query = query.with_for_update(skip_locked=True)
        rows = typed_rows(OutboxRow, self.conn.execute(query))
        if rows:
            self.conn.execute(
                update(t).where(t.c.id.in_([r["id"] for r in rows])).values(next_attempt_at=now + lease)
            )
        return rows

    def mark_sent(self, message_id: int, now: datetime, response: str | None) -> None:
        self.conn.execute(
            update(t)
            .where(t.c.id == message_id)
            .values(
                status="sent",
                sent_at=now,
                attempts=t.c.attempts + 1,
                last_response=response,
                next_attempt_at=None,
            )
        )

    def mark_failed_attempt(
        self, message_id: int, now: datetime, error: str, retry_at: datetime | None
    ) -> None:
        """Record a failed attempt; without ``retry_at`` the message is given up (status failed)."""
        self.conn.execute(
            update(t)
            .where(t.c.id == message_id)
            .values(
                attempts=t.c.attempts + 1,
                last_error=error[:4000],
                status="pending" if retry_at else "failed",
                next_attempt_at=retry_at,
            )
        )

    def get(self, message_id: int) -> OutboxRow | None:
        r = self.conn.execute(select(t).where(t.c.id == message_id)).first()
        return typed_row(OutboxRow, r)

    def list(
        self,
        *,
        instance_id: str | None = None,
        kind: str | None = None,
        status: str | None = None,
        limit: int = 100,
    ) -> list[OutboxRow]:
        query = select(t).order_by(t.c.id)
        if instance_id is not None:
            query = query.where(t.c.instance_id == instance_id)
        if kind is not None:
            query = query.where(t.c.kind == kind)
        if status is not None:
            query = query.where(t.c.status == status)
        return typed_rows(OutboxRow, self.conn.execute(query.limit(limit)))

    def count(self, **equal: Any) -> int:
        query = select(func.count()).select_from(t)
        for name, value in equal.items():
            query = query.where(t.c[name] == value)
        return int(self.conn.execute(query).scalar_one())
