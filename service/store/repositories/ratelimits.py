"""Per-token request budgets shared by every web process (the arithmetic is in service.ratelimit)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Connection, insert, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from service.store.schema_api import api_rate_limits as t


class RateLimitRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def lock(self, bucket: str, now: datetime) -> datetime:
        """Return the bucket's theoretical arrival time, locked until commit (created at ``now``)."""
        dialect = self.conn.dialect.name
        if dialect == "postgresql":
            self.conn.execute(pg_insert(t).values(bucket=bucket, tat=now).on_conflict_do_nothing())
        elif dialect == "sqlite":
            self.conn.execute(sqlite_insert(t).values(bucket=bucket, tat=now).on_conflict_do_nothing())
        elif self.conn.execute(select(t.c.bucket).where(t.c.bucket == bucket)).first() is None:
            self.conn.execute(insert(t).values(bucket=bucket, tat=now))
        query = select(t.c.tat).where(t.c.bucket == bucket)
        if dialect == "postgresql":
            query = query.with_for_update()
        tat: datetime = self.conn.execute(query).scalar_one()
        return tat

    def set(self, bucket: str, tat: datetime) -> None:
        self.conn.execute(update(t).where(t.c.bucket == bucket).values(tat=tat))
