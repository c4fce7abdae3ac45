"""Webhook subscriptions of integrators, their deliveries (outbox rows), and scan watermarks."""

from __future__ import annotations

from datetime import datetime
from typing import cast

from sqlalchemy import Connection, RowMapping, bindparam, delete, insert, literal_column, select, update

from service.store.prepared import Prefetched, Prepared
from service.store.rows import OutboxRow, TaskRow, WebhookRow, WebhookWithEventsRow
from service.store.schema import api_tokens as tk
from service.store.schema import human_tasks as ht
from service.store.schema import outbox as ob
from service.store.schema_api import api_watermarks as wm
from service.store.schema_api import api_webhook_events as ev
from service.store.schema_api import api_webhooks as t
from service.store.typed import typed, typed_row, typed_rows

DELIVERY_PREFIX = "webhook:"


def delivery_key(webhook_id: str, event_key: str) -> str:
    """Return the outbox key of one event for one webhook (unique: an event is sent once)."""
    return f"{DELIVERY_PREFIX}{webhook_id}:{event_key}"


# Built once: every step that creates a task or ends a case asks it.
_SUBSCRIBERS = Prepared(
    select(t)
    .join(ev, ev.c.webhook_id == t.c.id)
    .join(tk, tk.c.name == t.c.owner)
    .where(ev.c.event_type == bindparam("event_type"), t.c.active.is_(True), tk.c.revoked_at.is_(None))
    .order_by(t.c.id)
)


# The events a trigger's step may publish (service.trigger.events): asked for at its start.
TRIGGER_EVENTS = ("task.created", "instance.completed", "incident.created")
_TRIGGER_SUBSCRIBERS = Prepared(
    select(t, ev.c.event_type)
    .join(ev, ev.c.webhook_id == t.c.id)
    .join(tk, tk.c.name == t.c.owner)
    .where(
        ev.c.event_type.in_([literal_column(f"'{name}'") for name in TRIGGER_EVENTS]),
        t.c.active.is_(True),
        tk.c.revoked_at.is_(None),
    )
    .order_by(t.c.id)
)


class WebhookRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._expected: Prefetched | None = None

    def expect(self) -> None:
        """Ask now for the subscribers of the events a trigger's step may publish.

        On PostgreSQL they come back with the trigger's first read (its lock), not in a round trip
        of their own later.
        """
        if self._expected is None:
            self._expected = _TRIGGER_SUBSCRIBERS.prefetch(self.conn)

    def add(
        self,
        *,
        webhook_id: str,
        owner: str,
        url: str,
        description: str | None,
        salt: str,
        events: list[str],
        now: datetime,
    ) -> None:
        self.conn.execute(
            insert(t).values(
                id=webhook_id,
                owner=owner,
                url=url,
                description=description,
                salt=salt,
                active=True,
                created_at=now,
            )
        )
        self.conn.execute(
            insert(ev), [{"webhook_id": webhook_id, "event_type": e} for e in sorted(set(events))]
        )

    def get(self, webhook_id: str) -> WebhookWithEventsRow | None:
        r = self.conn.execute(select(t).where(t.c.id == webhook_id, t.c.active.is_(True))).first()
        return self._with_events(r._mapping) if r else None

    def active(self, owner: str | None = None) -> list[WebhookWithEventsRow]:
        query = select(t).where(t.c.active.is_(True)).order_by(t.c.created_at, t.c.id)
        if owner is not None:
            query = query.where(t.c.owner == owner)
        return [self._with_events(r._mapping) for r in self.conn.execute(query)]

    def remove(self, webhook_id: str, now: datetime) -> bool:
        """Deactivate a webhook (kept so its deliveries stay explainable); True if it was active."""
        result = self.conn.execute(
            update(t).where(t.c.id == webhook_id, t.c.active.is_(True)).values(active=False, deleted_at=now)
        )
        self.conn.execute(delete(ev).where(ev.c.webhook_id == webhook_id))
        return result.rowcount == 1

    def subscribers(self, event_type: str) -> list[WebhookRow]:
        """Return active webhooks for ``event_type`` whose owner's token is not revoked."""
        if self._expected is not None and event_type in TRIGGER_EVENTS:
            rows = [r for r in self._expected.rows() if r["event_type"] == event_type]
            return [cast(WebhookRow, {k: v for k, v in r.items() if k != "event_type"}) for r in rows]
        return cast(list[WebhookRow], _SUBSCRIBERS.rows(self.conn, {"event_type": event_type}))

    def sendable(self, webhook_id: str) -> WebhookRow | None:
        """Return the webhook if it is active and its owner's token is not revoked."""
        r = self.conn.execute(
            select(t)
            .join(tk, tk.c.name == t.c.owner)
            .where(t.c.id == webhook_id, t.c.active.is_(True), tk.c.revoked_at.is_(None))
        ).first()
        return typed_row(WebhookRow, r)

    def deliveries(self, webhook_id: str, limit: int) -> list[OutboxRow]:
        """Return the webhook's outbox rows, newest first."""
        query = (
            select(ob)
            .where(ob.c.kind == "webhook", ob.c.key.like(delivery_key(webhook_id, "") + "%"))
            .order_by(ob.c.id.desc())
            .limit(limit)
        )
        return typed_rows(OutboxRow, self.conn.execute(query))

    def tasks_due_between(self, after: datetime, until: datetime, limit: int = 1000) -> list[TaskRow]:
        """Return open tasks whose due time lies in (``after``, ``until``], earliest first."""
        query = (
            select(ht)
            .where(ht.c.due_at > after, ht.c.due_at <= until)
            .order_by(ht.c.due_at, ht.c.id)
            .limit(limit)
        )
        return [TaskRow.of(r._mapping) for r in self.conn.execute(query)]

    def watermark(self, name: str) -> datetime | None:
        """Return how far the scan ``name`` has come, locking it until commit (PostgreSQL)."""
        query = select(wm.c.at).where(wm.c.name == name)
        if self.conn.dialect.name == "postgresql":
            query = query.with_for_update()
        return self.conn.execute(query).scalar()

    def set_watermark(self, name: str, at: datetime) -> None:
        if self.conn.execute(update(wm).where(wm.c.name == name).values(at=at)).rowcount == 0:
            self.conn.execute(insert(wm).values(name=name, at=at))

    def _with_events(self, row: RowMapping) -> WebhookWithEventsRow:
        events = self.conn.execute(
            select(ev.c.event_type).where(ev.c.webhook_id == row["id"]).order_by(ev.c.event_type)
        )
        return typed(WebhookWithEventsRow, {**row, "events": list(events.scalars())})
