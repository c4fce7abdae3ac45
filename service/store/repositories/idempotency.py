"""Idempotency keys of the integrator API: the first response to a keyed request, kept a while."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, insert, select, update

from service.store.rows import IdempotencyRow
from service.store.schema_api import api_idempotency_keys as t
from service.store.typed import typed_row


class IdempotencyRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def find(self, owner: str, key: str, now: datetime) -> IdempotencyRow | None:
        """Return the live record of ``key`` for ``owner`` (expired records count as absent)."""
        r = self.conn.execute(
            select(t).where(t.c.owner == owner, t.c.key == key, t.c.expires_at > now)
        ).first()
        return typed_row(IdempotencyRow, r)

    def claim(
        self, owner: str, key: str, operation: str, request_hash: str, now: datetime, expires_at: datetime
    ) -> int:
        """Insert the key before the work it guards, so a concurrent twin waits on the unique index.

        Raises ``IntegrityError`` when a live twin holds the key (``Database.run`` gives the caller
        ``Duplicate``, and it replays the twin's answer).
        """
        self.conn.execute(delete(t).where(t.c.owner == owner, t.c.key == key, t.c.expires_at <= now))
        result = self.conn.execute(
            insert(t).values(
                owner=owner,
                key=key,
                operation=operation,
                request_hash=request_hash,
                response_status=0,
                response_body={},
                created_at=now,
                expires_at=expires_at,
            )
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def complete(self, record_id: int, status: int, body: dict[str, Any], instance_id: str | None) -> None:
        self.conn.execute(
            update(t)
            .where(t.c.id == record_id)
            .values(response_status=status, response_body=body, instance_id=instance_id)
        )

    def purge(self, now: datetime, limit: int = 1000) -> int:
        """Delete up to ``limit`` expired keys; return how many."""
        ids = list(self.conn.execute(select(t.c.id).where(t.c.expires_at <= now).limit(limit)).scalars())
        if ids:
            self.conn.execute(delete(t).where(t.c.id.in_(ids)))
        return len(ids)
