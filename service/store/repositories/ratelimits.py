"""Per-token request budgets shared by every web process (the arithmetic is in service.api.ratelimit)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

from sqlalchemy import Connection, Interval, String, bindparam, insert, select, text, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from service.store.prepared import Prepared
from service.store.schema import UtcDateTime
from service.store.schema_api import api_rate_limits as t

# PostgreSQL: one request's spend in one statement, the generic cell rate algorithm as
# ``ratelimit.gcra`` computes it (and the Redis script): the arrival time moves on by ``interval``
# from itself or now, whichever is later, unless it stands more than ``tolerance`` ahead of now.
# ``spent`` is the new time (NULL when refused); ``current`` the time before (the outer SELECT sees
# the table as it was before the insert), from which a refusal's wait is computed.
_SPEND = Prepared(
    text(
        """
        WITH spent AS (
            INSERT INTO api_rate_limits AS r (bucket, tat) VALUES (:bucket, :now + :interval)
            ON CONFLICT (bucket) DO UPDATE SET tat = GREATEST(r.tat, :now) + :interval
            WHERE GREATEST(r.tat, :now) - :now <= :tolerance
            RETURNING r.tat
        )
        SELECT (SELECT tat FROM spent) AS spent,
               (SELECT tat FROM api_rate_limits WHERE bucket = :bucket) AS current
        """
    )
    .bindparams(
        bindparam("bucket", type_=String),
        bindparam("now", type_=UtcDateTime),
        bindparam("interval", type_=Interval),
        bindparam("tolerance", type_=Interval),
    )
    .columns(spent=UtcDateTime, current=UtcDateTime)
)
# A budget's update need not wait for the disk: a crash may lose the last few spends, which gives
# a client back a few requests of its budget and nothing else.
_NO_FLUSH_WAIT = Prepared(text("SET LOCAL synchronous_commit TO OFF"))


class RateLimitRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def spend(
        self, bucket: str, now: datetime, interval: timedelta, tolerance: timedelta
    ) -> Callable[[], tuple[datetime | None, datetime | None]]:
        """Ask to spend one request of the bucket (PostgreSQL); return what gives (spent, current).

        The statement travels with the COMMIT; what is returned gives its answer after it.
        """
        _NO_FLUSH_WAIT.send(self.conn, {})
        params = {"bucket": bucket, "now": now, "interval": interval, "tolerance": tolerance}
        wanted = _SPEND.prefetch(self.conn, params)
        if not wanted.queued:  # a watched connection queues nothing: spend now, in the transaction
            wanted.rows()

        def answer() -> tuple[datetime | None, datetime | None]:
            [row] = wanted.rows()
            return row["spent"], row["current"]

        return answer

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
