"""The audit log is a hash chain: ``rcp audit verify`` passes on an untouched log and names the
first entry an SQL edit, delete or reordering broke, on SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
import os
import re
import threading
import uuid
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import Engine, insert, select, text

from service.actions import starting, tasks
from service.actions.deployment import deploy
from service.cli import main
from service.errors import InvalidData
from service.services import Services
from service.store.audit_chain import entry_hash
from service.store.db import Database, make_engine
from service.store.migrate import upgrade
from service.store.rows import TaskFilter
from service.store.schema import audit_log
from service.views import open_tasks
from tests.conftest import PG_ADMIN, service_missing
from tests.support import INTEGRATOR, REVIEWER, START, processes

START_VARS = {"application_number": "A-1", "received_on": "2026-01-05"}


@pytest.fixture
def scenario(services: Services, db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> int:
    """Deploy, start two cases, refuse one completion, complete a task; return the entries written."""
    deploy(services, processes(), INTEGRATOR)
    first = starting.start(services, "smoke", START_VARS, INTEGRATOR, business_key="A-1")
    starting.start(services, "smoke", {**START_VARS, "application_number": "A-2"}, INTEGRATOR)
    [task] = open_tasks.tasks(services, REVIEWER, TaskFilter(instance_id=first.instance_id))
    with pytest.raises(InvalidData):
        tasks.complete(services, task["id"], {"decision": "maybe"}, REVIEWER)  # audited as refused
    tasks.complete(services, task["id"], {"decision": "ok"}, REVIEWER)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("RCP_INSTANCE_DIR", str(tmp_path))
    with services.db.unit_of_work(readonly=True) as uow:
        return uow.audit.count()


@pytest.fixture
def sql(db_url: str) -> Iterator[Engine]:
    engine = make_engine(db_url)
    yield engine
    engine.dispose()


def verify(capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, str]:
    """Run ``rcp audit verify``; return its exit code and stdout."""
    code = main(["audit", "verify", *options])
    return code, capsys.readouterr().out.strip()


def test_an_untouched_audit_log_verifies_entry_by_entry(
    scenario: int, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out = verify(capsys, "--batch", "2")  # small batches: the walk crosses batch borders

    assert scenario >= 5
    assert code == 0
    assert re.fullmatch(
        rf"audit chain intact: {scenario} entries \(last seq {scenario}, hash [0-9a-f]{{64}}\)", out
    )


def test_the_chain_numbers_entries_without_gaps_each_linked_to_the_one_before(
    scenario: int, sql: Engine
) -> None:
    with sql.connect() as conn:
        rows = conn.execute(text("SELECT seq, prev_hash, hash FROM audit_log ORDER BY seq")).all()

    assert [r.seq for r in rows] == list(range(1, scenario + 1))
    assert rows[0].prev_hash == "0" * 64
    assert [r.prev_hash for r in rows[1:]] == [r.hash for r in rows[:-1]]


@pytest.mark.parametrize("change", ["detail = 'nothing happened'", "actor = 'mallory'"])
def test_an_entry_edited_with_sql_breaks_the_chain_at_that_entry(
    scenario: int, sql: Engine, capsys: pytest.CaptureFixture[str], change: str
) -> None:
    with sql.begin() as conn:
        entry_id = conn.execute(text("SELECT id FROM audit_log WHERE seq = 3")).scalar_one()
        conn.execute(text(f"UPDATE audit_log SET {change} WHERE seq = 3"))

    code, out = verify(capsys)

    assert code == 1
    assert out.startswith(
        f"audit chain broken at seq 3 (id {entry_id}, 2026-01-05T09:00:00+00:00): content changed"
    )
    assert out.endswith("; 2 entries before it hold")


def test_an_edit_whose_hash_is_recomputed_breaks_the_link_of_the_next_entry(
    scenario: int, sql: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    with sql.begin() as conn:
        conn.execute(text("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3"))
    with sql.connect() as conn:  # the forger knows the rule and rehashes
        forged = conn.execute(select(audit_log).where(audit_log.c.seq == 3)).mappings().one()
    with sql.begin() as conn:
        rehashed = entry_hash(forged, forged["prev_hash"])
        conn.execute(text("UPDATE audit_log SET hash = :h WHERE seq = 3"), {"h": rehashed})

    code, out = verify(capsys)

    assert code == 1
    assert out.startswith("audit chain broken at seq 4 ")
    assert "order changed: the entry does not follow entry seq 3" in out


def test_a_deleted_entry_is_named_as_the_gap_before_the_next(
    scenario: int, sql: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    with sql.begin() as conn:
        conn.execute(text("DELETE FROM audit_log WHERE seq = 2"))

    code, out = verify(capsys)

    assert code == 1
    assert out.startswith("audit chain broken at seq 3 ")
    assert "entry missing: seq 2 not found before this entry; 1 entries before it hold" in out


def test_two_entries_swapped_are_named_as_an_order_change(
    scenario: int, sql: Engine, capsys: pytest.CaptureFixture[str]
) -> None:
    with sql.begin() as conn:
        conn.execute(text("UPDATE audit_log SET seq = -1 WHERE seq = 2"))
        conn.execute(text("UPDATE audit_log SET seq = 2 WHERE seq = 3"))
        conn.execute(text("UPDATE audit_log SET seq = 3 WHERE seq = -1"))

    code, out = verify(capsys)

    assert code == 1
    assert out.startswith("audit chain broken at seq 2 ")
    assert "order changed: the entry does not follow entry seq 1" in out


def test_an_empty_audit_log_is_intact(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("RCP_INSTANCE_DIR", str(tmp_path))

    assert verify(capsys) == (0, "audit chain intact: 0 entries")


WRITERS = 12


@pytest.mark.parametrize(
    "db_url", [pytest.param("postgres", marks=pytest.mark.postgres), "sqlite"], indirect=True
)
def test_concurrent_triggers_append_to_one_unbroken_chain(
    services: Services,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    deploy(services, processes(), INTEGRATOR)
    barrier = threading.Barrier(WRITERS)
    failures: list[BaseException] = []

    def case(n: int) -> None:
        try:
            barrier.wait()
            started = starting.start(
                services, "smoke", {**START_VARS, "application_number": f"A-{n}"}, INTEGRATOR
            )
            [task] = open_tasks.tasks(services, REVIEWER, TaskFilter(instance_id=started.instance_id))
            with contextlib.suppress(InvalidData):
                tasks.complete(services, task["id"], {"decision": "maybe"}, REVIEWER)  # a refusal
            tasks.complete(services, task["id"], {"decision": "ok"}, REVIEWER)
        except BaseException as exc:  # reported below: a thread's failure must fail the test
            failures.append(exc)

    threads = [threading.Thread(target=case, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("RCP_INSTANCE_DIR", str(tmp_path))

    code, out = verify(capsys)

    assert failures == []
    with services.db.unit_of_work(readonly=True) as uow:
        assert uow.audit.count(action="complete") == 2 * WRITERS
        entries = uow.audit.count()
    assert (code, out.split(" (")[0]) == (0, f"audit chain intact: {entries} entries")


@pytest.fixture(params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def fresh_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """An empty database (no migrations yet) on SQLite or PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'fresh.db'}"
        return
    server = PG_ADMIN.rsplit("/", 1)[0]
    try:
        admin = psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        service_missing("PostgreSQL", str(exc).strip())
    name = f"rcp_audit_{os.getpid()}_{uuid.uuid4().hex[:6]}"
    admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_the_migration_chains_the_entries_already_in_the_log_and_new_ones_follow(
    fresh_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    upgrade(fresh_url, "0009")  # the schema before the chain
    engine = make_engine(fresh_url)
    with engine.begin() as conn:
        for n, (actor, at) in enumerate([("rita", "09:00"), ("fred", "08:00"), ("sam", "10:00")]):
            conn.execute(
                insert(audit_log)
                .values(
                    at=datetime.fromisoformat(f"2026-01-05T{at}:00+00:00"), actor_kind="user", actor=actor
                )
                .values(action="claim", outcome="ok", data={"n": n, "note": "é"}, detail=None)
            )
    upgrade(fresh_url)
    with engine.connect() as conn:
        chained = conn.execute(text("SELECT actor, seq FROM audit_log ORDER BY seq")).all()
    assert [tuple(r) for r in chained] == [("rita", 1), ("fred", 2), ("sam", 3)]  # in id order
    database = Database(engine)
    with database.unit_of_work() as uow:
        uow.audit.append(at=START, actor_kind="user", actor="ana", action="deploy", outcome="ok")
        uow.commit()
    engine.dispose()
    monkeypatch.setenv("DATABASE_URL", fresh_url)
    monkeypatch.setenv("RCP_INSTANCE_DIR", str(tmp_path))

    code, out = verify(capsys)

    assert (code, out.split(" (")[0]) == (0, "audit chain intact: 4 entries")
