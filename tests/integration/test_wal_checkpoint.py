"""SQLite's log is checkpointed by the service's own thread, not inside a trigger's commit."""

from __future__ import annotations

import gc
import sqlite3
import threading
import time
from pathlib import Path

from service.store import Database, make_engine
from service.store.checkpoint import WalCheckpointer


def _wait_for(condition: object, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():  # type: ignore[operator]
            return True
        time.sleep(0.02)
    return False


def test_the_thread_copies_the_log_into_the_database_file(tmp_path: Path) -> None:
    path = tmp_path / "wal.db"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA wal_autocheckpoint=0")  # only the thread may checkpoint
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY, body TEXT)")
    before = path.stat().st_size
    db.executemany("INSERT INTO t (body) VALUES (?)", [("x" * 1000,) for _ in range(400)])
    assert path.stat().st_size == before  # everything is still in the log

    checkpointer = WalCheckpointer(path, threshold_bytes=64 * 1024, interval=0.01)
    checkpointer.start()
    try:
        assert _wait_for(lambda: checkpointer.checkpoints > 0)
        assert _wait_for(lambda: path.stat().st_size > before + 300 * 1000)
    finally:
        checkpointer.stop()
    # Written again from the start of the log once it was all copied: the file stops growing.
    size = (tmp_path / "wal.db-wal").stat().st_size
    db.executemany("INSERT INTO t (body) VALUES (?)", [("y" * 1000,) for _ in range(10)])
    assert (tmp_path / "wal.db-wal").stat().st_size <= size
    assert db.execute("SELECT count(*) FROM t").fetchone() == (410,)
    db.close()


def test_a_small_log_is_left_alone(tmp_path: Path) -> None:
    path = tmp_path / "small.db"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("CREATE TABLE t (id INTEGER PRIMARY KEY)")
    checkpointer = WalCheckpointer(path, threshold_bytes=1024 * 1024)
    assert checkpointer.checkpoint_if_due(db) is False
    assert checkpointer.checkpoints == 0
    db.close()


def _checkpoint_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "rcp-wal-checkpoint"]


def test_a_database_starts_its_thread_on_the_first_write_and_stops_it_when_disposed(tmp_path: Path) -> None:
    before = len(_checkpoint_threads())
    database = Database(make_engine(f"sqlite:///{tmp_path / 'service.db'}"))
    assert database.checkpointer is not None
    with database.unit_of_work(readonly=True):
        pass
    assert len(_checkpoint_threads()) == before  # a reader alone writes no log
    with database.unit_of_work():
        pass
    assert len(_checkpoint_threads()) == before + 1
    database.dispose()
    assert len(_checkpoint_threads()) == before


def test_postgresql_gets_no_thread() -> None:
    assert Database(make_engine("postgresql://postgres@127.0.0.1:5432/nothing")).checkpointer is None


def test_a_database_dropped_without_dispose_stops_its_thread(tmp_path: Path) -> None:
    before = len(_checkpoint_threads())
    database = Database(make_engine(f"sqlite:///{tmp_path / 'dropped.db'}"))
    with database.unit_of_work():
        pass
    assert len(_checkpoint_threads()) == before + 1
    engine = database.engine
    del database
    gc.collect()
    assert _wait_for(lambda: len(_checkpoint_threads()) == before, seconds=5)
    engine.dispose()
