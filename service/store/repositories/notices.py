"""Issued notices: written once, never updated; read with the delivery state of their e-mail."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Connection, insert, select

from service.store.rows import NoticeListingRow, NoticeRow
from service.store.schema import outbox
from service.store.schema_program import notices as t
from service.store.typed import typed_row, typed_rows

DELIVERY = [outbox.c.status, outbox.c.attempts, outbox.c.sent_at, outbox.c.last_error]


class NoticeRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def add(self, notice: dict[str, Any]) -> None:
        """Write a notice (there is deliberately no way to change or delete one)."""
        self.conn.execute(insert(t).values(**notice))

    def get(self, notice_number: str) -> NoticeRow | None:
        return self._first(t.c.notice_number == notice_number)

    def for_step(self, step_key: str) -> NoticeRow | None:
        return self._first(t.c.step_key == step_key)

    def list(
        self,
        *,
        case_ref: str | None = None,
        instance_id: str | None = None,
        kind: str | None = None,
        notice_number: str | None = None,
        limit: int = 100,
    ) -> list[NoticeListingRow]:
        """Return notices (without their PDF bytes), newest last, with their e-mail's state."""
        columns = [c for c in t.c if c.name != "pdf"]
        query = (
            select(*columns, *[c.label(f"delivery_{c.name}") for c in DELIVERY])
            .select_from(t.outerjoin(outbox, outbox.c.key == t.c.step_key))
            .order_by(t.c.issued_at, t.c.notice_number)
            .limit(limit)
        )
        if case_ref is not None:
            query = query.where(t.c.case_ref == case_ref)
        if instance_id is not None:
            query = query.where(t.c.instance_id == instance_id)
        if kind is not None:
            query = query.where(t.c.kind == kind)
        if notice_number is not None:
            query = query.where(t.c.notice_number == notice_number)
        return typed_rows(NoticeListingRow, self.conn.execute(query))

    def _first(self, condition: Any) -> NoticeRow | None:
        return typed_row(NoticeRow, self.conn.execute(select(t).where(condition)).first())
