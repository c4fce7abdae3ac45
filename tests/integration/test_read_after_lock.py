"""Two reads in one round trip (``Prepared.rows_then``): the second still sees what the lock waited for.

A completion locks its case and reads its task in one PostgreSQL round trip. The task read must
run after the lock is granted, with its own snapshot: a completion of the same task that held
the lock and committed meanwhile has removed the task row, and the waiting one must see that.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import bindparam, delete, select, text, update

from service.store.db import Database, make_engine
from service.store.prepared import Prepared
from service.store.schema import process_definitions as pd
from tests.store_rows import definition_row

pytestmark = pytest.mark.postgres
_LOCK = Prepared(select(pd.c.key, pd.c.source_name).where(pd.c.key == bindparam("key")).with_for_update())
_KEYS = Prepared(select(pd.c.key).order_by(pd.c.id))


@pytest.fixture
def dbs(pg_url: str) -> Iterator[tuple[Database, Database]]:
    first, second = Database(make_engine(pg_url, pool_size=1)), Database(make_engine(pg_url, pool_size=1))
    try:
        with first.unit_of_work() as uow:  # the shared database: other tests' cases go too
            uow.conn.execute(text("TRUNCATE process_definitions RESTART IDENTITY CASCADE"))
            uow.conn.execute(pd.insert(), [definition_row(1, "case"), definition_row(2, "task")])
            uow.commit()
        yield first, second
    finally:
        first.dispose()
        second.dispose()


def test_the_read_after_a_lock_sees_the_commit_the_lock_waited_for(dbs: tuple[Database, Database]) -> None:
    waiter, holder = dbs
    locked = threading.Event()

    def complete_first() -> None:
        with holder.unit_of_work() as uow:
            uow.conn.execute(update(pd).where(pd.c.key == "case").values(source_name="moved.bpmn"))
            locked.set()
            time.sleep(0.5)  # the waiter's locking read is queued behind this transaction
            uow.conn.execute(delete(pd).where(pd.c.key == "task"))
            uow.commit()

    other = threading.Thread(target=complete_first)
    other.start()
    assert locked.wait(10)
    with waiter.unit_of_work() as uow:
        case, keys = _LOCK.rows_then(uow.conn, {"key": "case"}, _KEYS, {})
        uow.commit()
    other.join(10)

    assert [dict(r) for r in case] == [{"key": "case", "source_name": "moved.bpmn"}]
    assert [r["key"] for r in keys] == ["case"], "the second read ran after the lock, on a fresh snapshot"
