"""The background runner's code paths on SQLite and PostgreSQL: sweeps running side by side, lock
waits users never see, a broken instance that cannot block the queue, the scheduler's leader."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import text

from service import jobs
from service.actions import starting, tasks, timers
from service.actions.deployment import deploy
from service.clock import MovableClock
from service.jobs.embedded import EmbeddedRunner
from service.jobs.scheduler import Scheduler
from service.services import Services
from service.store.rows import TaskFilter
from service.views import instances, open_tasks
from tests.support import INTEGRATOR, REVIEWER, processes


@pytest.fixture
def deployed(services: Services) -> Services:
    deploy(services, processes(), INTEGRATOR)
    return services


def _timers(services: Services, clock: MovableClock, n: int) -> list[str]:
    fire_at = (clock.now() + timedelta(days=15)).isoformat()
    return [
        starting.start(
            services, "timer_only", {"fire_at": fire_at}, INTEGRATOR, business_key=f"T-{i}"
        ).instance_id
        for i in range(n)
    ]


def _timer_audits(services: Services) -> list[str]:
    """Return the instances whose timers fired (one entry per firing)."""
    with services.db.unit_of_work(readonly=True) as uow:
        rows = uow.conn.execute(
            text("SELECT instance_id FROM audit_log WHERE action = 'timer' AND outcome = 'ok'")
        )
        return [r[0] for r in rows]


def test_sweeps_running_side_by_side_fire_each_due_timer_exactly_once(
    deployed: Services, clock: MovableClock
) -> None:
    started = _timers(deployed, clock, 30)
    clock.advance(days=15, seconds=1)

    threads = [threading.Thread(target=jobs.sweep, args=(deployed,)) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    fired = _timer_audits(deployed)
    assert sorted(fired) == sorted(started)
    assert {instances.instance(deployed, i)["status"] for i in started} == {"completed"}


def test_a_step_meeting_an_instance_a_worker_holds_waits_and_then_succeeds(deployed: Services) -> None:
    outcome = starting.start(
        deployed, "smoke", {"application_number": "A-1", "received_on": "2026-01-05"}, INTEGRATOR
    )
    [task] = open_tasks.tasks(deployed, REVIEWER, TaskFilter(instance_id=outcome.instance_id))
    result: list[object] = []

    with deployed.db.unit_of_work() as held:
        held.instances.get(outcome.instance_id, lock=True)
        user = threading.Thread(
            target=lambda: result.append(tasks.complete(deployed, task["id"], {"decision": "ok"}, REVIEWER))
        )
        user.start()
        time.sleep(0.4)
        assert user.is_alive(), "the step waits for the lock instead of failing"
        held.commit()
    user.join(timeout=30)

    assert [r.status for r in result] == ["waiting"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("db_url", [pytest.param("postgres", marks=pytest.mark.postgres)], indirect=True)
def test_a_due_timer_on_an_instance_a_user_holds_is_skipped_not_waited_for(
    deployed: Services, clock: MovableClock
) -> None:
    busy, free = _timers(deployed, clock, 2)
    clock.advance(days=15, seconds=1)

    with deployed.db.unit_of_work() as held:
        held.instances.get(busy, lock=True)
        began = time.monotonic()
        assert timers.fire_due(deployed) == 1
        assert time.monotonic() - began < 2, "SKIP LOCKED: the runner did not wait for the user"
        assert _timer_audits(deployed) == [free]
        held.commit()

    assert timers.fire_due(deployed) == 1
    assert sorted(_timer_audits(deployed)) == sorted([busy, free])


def test_an_instance_that_cannot_be_processed_gets_an_incident_and_does_not_block_the_others(
    deployed: Services, clock: MovableClock
) -> None:
    broken, *healthy = _timers(deployed, clock, 3)
    with deployed.db.unit_of_work() as uow:
        # Another process wrote a state this one cannot read (its newer version skips any cache).
        corrupt = "UPDATE process_instances SET state = '{}', version = version + 1 WHERE id = :i"
        uow.conn.execute(text(corrupt), {"i": broken})
        uow.commit()
    clock.advance(days=15, seconds=1)

    jobs.sweep(deployed)

    assert sorted(_timer_audits(deployed)) == sorted(healthy)
    view = instances.instance(deployed, broken)
    assert view["status"] == "error"
    [incident] = view["incidents"]
    assert incident["element"] == "(timer)"
    assert "timer could not run" in incident["message"]
    assert timers.fire_due(deployed) == 0, "a quarantined instance is not taken again"


class FakeQueue:
    """A dispatcher that counts what the scheduler queues."""

    def __init__(self) -> None:
        self.queued = 0
        self.sent = 0

    def waiting(self) -> int:
        return self.queued

    def dispatch(self, copies: int) -> None:
        self.queued += copies
        self.sent += copies


def test_one_scheduler_leads_and_keeps_the_queue_topped_up_while_work_is_due(
    deployed: Services, clock: MovableClock
) -> None:
    _timers(deployed, clock, 1)
    first, second = FakeQueue(), FakeQueue()
    leader = Scheduler(deployed, first, target=2)
    standby = Scheduler(deployed, second, target=2)

    assert leader.tick() == pytest.approx(0.5)  # leads; nothing due yet: wait at most ``poll``
    assert standby.tick() > 1 and not standby.leading
    clock.advance(days=15, seconds=1)
    leader.tick()
    leader.tick()
    assert (first.sent, second.sent) == (2, 0), "topped up to the target, never beyond"

    leader.resign()
    standby.tick()
    assert standby.leading and second.sent == 2
    first.queued = 0
    leader.tick()
    assert first.sent == 2, "the old leader now stands by"


def test_the_embedded_runner_fires_a_timer_when_it_comes_due(deployed: Services, clock: MovableClock) -> None:
    [instance] = _timers(deployed, clock, 1)
    runner = EmbeddedRunner(deployed, interval=0.05).start()
    try:
        time.sleep(0.2)
        assert _timer_audits(deployed) == []
        clock.advance(days=15, seconds=1)
        runner.wake()
        ends = time.monotonic() + 10
        while not _timer_audits(deployed) and time.monotonic() < ends:
            time.sleep(0.05)
    finally:
        runner.stop()
    assert _timer_audits(deployed) == [instance]
