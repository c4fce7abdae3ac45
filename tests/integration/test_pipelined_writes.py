"""PostgreSQL's write-behind queue changes when statements travel, never what a transaction does.

Writes sent with ``Prepared.send`` go out with the next statement that needs an answer; these
tests hold that a queued write's failure still fails the transaction before its commit, that a
savepoint still takes back exactly its block, that Core statements see queued writes, and that
nothing queued outlives its transaction.
"""

from __future__ import annotations

from contextlib import nullcontext

import pytest
from sqlalchemy import bindparam, delete, func, insert, select, text
from sqlalchemy.exc import DBAPIError, IntegrityError

from service.errors import Conflict
from service.store import pending
from service.store.db import Database
from service.store.prepared import Prepared
from service.store.schema import process_definitions as pd
from tests.store_rows import definition_row

pytestmark = pytest.mark.postgres
_ADD = Prepared.insert(pd)
_KEYS = Prepared(select(pd.c.key).order_by(pd.c.id))
_DROP = Prepared(delete(pd).where(pd.c.key == bindparam("key")))


@pytest.fixture
def db(pg_database: Database) -> Database:
    with pg_database.unit_of_work() as uow:  # the shared database: other tests' cases go too
        uow.conn.execute(text("TRUNCATE process_definitions RESTART IDENTITY CASCADE"))
        uow.commit()
    return pg_database


def _keys(db: Database) -> list[str]:
    with db.unit_of_work(readonly=True) as uow:
        return [r["key"] for r in _KEYS.rows(uow.conn)]


def test_sent_writes_commit_with_the_transaction_and_reads_in_it_see_them(db: Database) -> None:
    with db.unit_of_work() as uow:
        _ADD.send(uow.conn, definition_row(1, "a"))
        _ADD.send(uow.conn, [definition_row(2, "b"), definition_row(3, "c")])
        queue = pending.of(uow.conn)
        assert queue is not None and len(queue.queued) == 3  # BEGIN, then the two sends, all unsent
        assert [r["key"] for r in _KEYS.rows(uow.conn)] == ["a", "b", "c"]  # a Prepared read
        _DROP.send(uow.conn, {"key": "b"})
        assert uow.conn.execute(select(func.count()).select_from(pd)).scalar_one() == 2  # a Core read
        uow.commit()
    assert _keys(db) == ["a", "c"]


def test_a_sent_write_that_fails_fails_the_commit_and_nothing_is_kept(db: Database) -> None:
    with pytest.raises(IntegrityError), db.unit_of_work() as uow:
        _ADD.send(uow.conn, definition_row(1, "a"))
        _ADD.send(uow.conn, definition_row(2, "a"))  # the same key and version: refused at the server
        uow.commit()
    assert _keys(db) == []


def test_a_failed_check_stops_the_commit(db: Database) -> None:
    def refuse(count: int) -> None:
        raise Conflict(f"touched {count}")

    with pytest.raises(Conflict, match="touched 0"), db.unit_of_work() as uow:
        _ADD.send(uow.conn, definition_row(1, "a"))
        _DROP.send(uow.conn, {"key": "nobody"}, check=refuse)
        uow.commit()
    assert _keys(db) == []


def test_a_savepoint_takes_back_its_block_and_keeps_what_came_before(db: Database) -> None:
    with db.unit_of_work() as uow:
        _ADD.send(uow.conn, definition_row(1, "before"))
        with pytest.raises(DBAPIError), uow.savepoint():
            _ADD.send(uow.conn, definition_row(2, "inside"))
            _ADD.send(uow.conn, definition_row(3, "inside"))  # a clash, found when the block's writes go out
        with pytest.raises(RuntimeError), uow.savepoint():
            _ADD.send(uow.conn, definition_row(3, "unsent"))  # never leaves the queue
            raise RuntimeError("the handler failed")
        with uow.savepoint():
            _ADD.send(uow.conn, definition_row(4, "kept"))
        _ADD.send(uow.conn, definition_row(5, "after"))
        uow.commit()
    assert _keys(db) == ["before", "kept", "after"]


def test_a_savepoint_that_sent_its_writes_then_fails_takes_them_back(db: Database) -> None:
    with db.unit_of_work() as uow:
        with pytest.raises(RuntimeError), uow.savepoint():
            _ADD.send(uow.conn, definition_row(1, "sent"))
            assert _KEYS.rows(uow.conn) == [{"key": "sent"}]  # the read sent it
            _ADD.send(uow.conn, definition_row(2, "queued"))
            raise RuntimeError("the handler failed")
        _ADD.send(uow.conn, definition_row(3, "after"))
        uow.commit()
    assert _keys(db) == ["after"]


def test_nothing_queued_outlives_a_rolled_back_transaction(db: Database) -> None:
    with db.unit_of_work() as uow:
        _ADD.send(uow.conn, definition_row(1, "dropped"))
    with db.unit_of_work() as uow:
        queue = pending.of(uow.conn)
        assert queue is not None and [s.sql for s in queue.queued] == ["BEGIN"]
        uow.conn.execute(insert(pd).values(**definition_row(2, "next")))
        uow.commit()
    assert _keys(db) == ["next"]


@pytest.mark.parametrize("ending", ["commit", "failed commit", "rollback"])
def test_a_connection_goes_back_to_the_pool_out_of_autocommit(db: Database, ending: str) -> None:
    refused = pytest.raises(IntegrityError) if ending == "failed commit" else nullcontext()
    with refused, db.unit_of_work() as uow:
        _ADD.send(uow.conn, definition_row(1, "a"))
        if ending == "failed commit":
            _ADD.send(uow.conn, definition_row(2, "a"))
        if ending != "rollback":
            uow.commit()
    with db.engine.connect() as conn:  # a plain connection: its statements are in a transaction
        conn.execute(insert(pd).values(**definition_row(3, "b")))
        conn.rollback()
    assert _keys(db) == (["a"] if ending == "commit" else [])


def test_a_prefetched_read_rides_the_next_round_trip_and_sees_what_was_sent_before_it(db: Database) -> None:
    with db.unit_of_work() as uow:
        queue = pending.of(uow.conn)
        assert queue is not None
        _ADD.send(uow.conn, definition_row(1, "a"))
        early = _KEYS.prefetch(uow.conn)  # queued after the insert: it sees the insert
        sends = queue.sends
        _ADD.send(uow.conn, definition_row(2, "b"))
        assert [r["key"] for r in _KEYS.rows(uow.conn)] == ["a", "b"]  # one round trip for all
        assert queue.sends == sends + 1
        assert [r["key"] for r in early.rows()] == ["a"]  # came back with it: nothing sent again
        assert queue.sends == sends + 1
        uow.commit()


def test_a_prefetched_read_wanted_before_any_other_is_sent_then(db: Database) -> None:
    with db.unit_of_work() as uow:
        _ADD.send(uow.conn, definition_row(1, "a"))
        early = _KEYS.prefetch(uow.conn)
        assert [r["key"] for r in early.rows()] == ["a"]
        uow.commit()


def test_a_prefetched_read_dropped_with_a_savepoint_is_read_when_wanted(db: Database) -> None:
    with db.unit_of_work() as uow:
        wanted = None
        with pytest.raises(RuntimeError), uow.savepoint():
            wanted = _KEYS.prefetch(uow.conn)
            raise RuntimeError("the block fails before anything went out")
        _ADD.send(uow.conn, definition_row(1, "a"))
        assert wanted is not None and [r["key"] for r in wanted.rows()] == ["a"]
        uow.commit()


def test_a_savepoint_whose_block_ran_nothing_is_never_sent(db: Database) -> None:
    with db.unit_of_work() as uow:
        queue = pending.of(uow.conn)
        assert queue is not None
        _ADD.send(uow.conn, definition_row(1, "a"))
        sends, queued = queue.sends, list(queue.queued)
        with uow.savepoint():
            pass  # a handler that only computed
        assert (queue.sends, queue.queued) == (sends, queued)  # no round trip, no SAVEPOINT left
        with uow.savepoint():
            _ADD.send(uow.conn, definition_row(2, "b"))  # a handler that wrote: checked at RELEASE
        assert queue.sends == sends + 1 and not queue.queued
        uow.commit()
    assert _keys(db) == ["a", "b"]
