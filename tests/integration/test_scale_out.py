"""Scale-out on this machine's Redis and PostgreSQL: ``rcp worker`` processes fire timers exactly once.

The timers of many instances come due at the same wall-clock moment; real Celery workers (each
with its pool and a scheduler beside it) take them from the database with SKIP LOCKED.
"""

from __future__ import annotations

import signal
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import text

from service.actions import starting
from service.actions.deployment import deploy
from service.clock import SystemClock
from service.services import Services
from service.store.db import application_name
from tests.conftest import service_missing
from tests.scaleout import Cluster, redis_reachable
from tests.support import INTEGRATOR, Switchboard, make_services, processes

pytestmark = [pytest.mark.slow, pytest.mark.postgres, pytest.mark.redis]

N = 1000


@pytest.fixture
def wall_services(pg_url: str, tmp_path: Path) -> Iterator[Services]:
    from tests.conftest import _truncate

    _truncate(pg_url)
    built = make_services(pg_url, tmp_path, SystemClock(), Switchboard())
    deploy(built, processes(), INTEGRATOR)
    yield built
    built.close()


@pytest.fixture
def cluster(pg_url: str, tmp_path: Path) -> Iterator[Cluster]:
    why = redis_reachable()
    if why is not None:
        service_missing("Redis", why)
    started = Cluster(pg_url, tmp_path)
    yield started
    started.stop()


def _start_timers(services: Services, n: int, *, spread: float = 0.0) -> datetime:
    """Start ``n`` instances whose timers come due together (or one after another over ``spread`` s).

    The first is due only once every instance waits, even on a busy machine.
    """
    first = datetime.now(UTC) + timedelta(seconds=3 + n / 100)
    for i in range(n):
        variables = {"fire_at": (first + timedelta(seconds=spread * i / n)).isoformat()}
        starting.start(services, "timer_only", variables, INTEGRATOR, business_key=f"T-{i}")
    assert datetime.now(UTC) < first, "the instances were not all waiting before their timers came due"
    return first


def _fired(services: Services) -> tuple[int, int]:
    with services.db.unit_of_work(readonly=True) as uow:
        total, distinct = uow.conn.execute(
            text("SELECT count(*), count(DISTINCT instance_id) FROM audit_log WHERE action = 'timer'")
        ).one()
    return int(total), int(distinct)


def _wait_for(services: Services, count: int, timeout: float, cluster: Cluster) -> None:
    ends = time.monotonic() + timeout
    while _fired(services)[0] < count:
        assert time.monotonic() < ends, f"only {_fired(services)} fired; worker logs:\n{cluster.log_text()}"
        time.sleep(0.05)


def _assert_each_fired_once_and_nothing_left(services: Services, n: int) -> None:
    time.sleep(1.5)  # any duplicate firing would land now
    assert _fired(services) == (n, n)
    with services.db.unit_of_work(readonly=True) as uow:
        q = uow.conn.execute
        assert q(text("SELECT status, version, count(*) FROM process_instances GROUP BY 1, 2")).all() == [
            ("completed", 2, n)
        ]
        waiting = q(text("SELECT count(*) FROM process_instances WHERE next_timer_due IS NOT NULL"))
        assert waiting.scalar() == 0
        assert q(text("SELECT count(*) FROM pending_timers")).scalar() == 0
        assert q(text("SELECT count(*) FROM incidents")).scalar() == 0
        fired = q(text("SELECT outcome, count(*) FROM deadline_history GROUP BY 1")).all()
        assert fired == [("fired", n)]


def _connections_of(services: Services, pids: set[int]) -> list[tuple[str, str, str]]:
    """Return (application_name, state, query) of each connection the processes ``pids`` hold."""
    with services.db.unit_of_work(readonly=True) as uow:
        rows = uow.conn.execute(
            text(
                "SELECT application_name, state, query FROM pg_stat_activity"
                " WHERE datname = current_database() AND application_name = ANY(:names)"
            ),
            {"names": [application_name(pid) for pid in sorted(pids)]},
        )
        return [tuple(row) for row in rows]


def _assert_nothing_left_locked(services: Services, killed: set[int]) -> None:
    """The killed processes hold no connection, no transaction idles on, no instance row is locked."""
    assert _connections_of(services, killed) == []
    with services.db.unit_of_work() as uow:
        q = uow.conn.execute
        # The live workers keep sweeping, so a transaction of theirs may be caught between two
        # statements; one idle for seconds would be held open by mistake.
        idle = q(
            text(
                "SELECT application_name, now() - state_change, query FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                " AND state LIKE 'idle in transaction%' AND state_change < now() - interval '5 seconds'"
            )
        )
        assert idle.all() == []
        # NOWAIT fails at once if any worker still held a row lock.
        locked = q(text("SELECT id FROM process_instances FOR UPDATE NOWAIT")).all()
        assert len(locked) == N


def test_two_workers_fire_a_thousand_timers_due_together_exactly_once(
    wall_services: Services, cluster: Cluster
) -> None:
    cluster.start_worker()
    cluster.start_worker()
    cluster.wait_ready(2)
    _start_timers(wall_services, N)

    _wait_for(wall_services, N, timeout=90, cluster=cluster)

    _assert_each_fired_once_and_nothing_left(wall_services, N)


def test_a_worker_killed_mid_batch_leaves_nothing_locked_or_half_written(
    wall_services: Services, cluster: Cluster
) -> None:
    doomed = cluster.start_worker()
    cluster.start_worker()
    cluster.wait_ready(2)
    # Due over 4 seconds, so the workers are busy firing when one of them is killed.
    _start_timers(wall_services, N, spread=4)
    _wait_for(wall_services, 100, timeout=60, cluster=cluster)

    killed = cluster.group_pids(doomed)
    assert len(killed) >= 3, "the worker, its pool processes and its scheduler"
    assert _connections_of(wall_services, killed), "the doomed worker was working on the database"
    cluster.kill(doomed, signal.SIGKILL)
    assert _fired(wall_services)[0] < N, "the kill must land in the middle of the batch"
    cluster.start_worker()
    _wait_for(wall_services, N, timeout=90, cluster=cluster)

    _assert_each_fired_once_and_nothing_left(wall_services, N)
    _assert_nothing_left_locked(wall_services, killed)
