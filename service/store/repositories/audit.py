"""The append-only audit log: every trigger, who or what, when, with what data, and the outcome."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from service.store.prepared import Prepared
from service.store.rows import AuditRow
from service.store.schema import audit_log as t
from service.store.typed import typed_row, typed_rows

_INSERT = Prepared.insert(t)  # built once: every trigger appends


class AuditRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

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
        _INSERT.run(
            self.conn,
            {
                "at": at,
                "actor_kind": actor_kind,
                "actor": actor,
                "action": action,
                "outcome": outcome,
                "instance_id": instance_id,
                "task_id": task_id,
                "task_name": task_name,
                "data": data,
                "detail": detail,
            },
        )

    def for_instance(self, instance_id: str) -> list[AuditRow]:
        rows = self.conn.execute(select(t).where(t.c.instance_id == instance_id).order_by(t.c.id))
        return typed_rows(AuditRow, rows)

    def completed_task(self, task_id: str) -> AuditRow | None:
        """Return the audit entry that completed ``task_id``, if any."""
        r = self.conn.execute(
            select(t)
            .where(t.c.task_id == task_id, t.c.action == "complete", t.c.outcome.in_(("ok", "incident")))
            .order_by(t.c.id.desc())
            .limit(1)
        ).first()
        return typed_row(AuditRow, r)

    def count(self, **equal: Any) -> int:
        query = select(func.count()).select_from(t)
        for name, value in equal.items():
            query = query.where(t.c[name] == value)
        return int(self.conn.execute(query).scalar_one())
