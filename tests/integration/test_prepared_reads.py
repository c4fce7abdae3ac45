"""The instance view's compiled reads return exactly what the repositories' Core queries return."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest

from service.actions import retries, starting
from service.actions.deployment import deploy
from service.clock import MovableClock
from service.services import Services
from service.store import UnitOfWork, prepared_reads
from service.store.rows import TaskFilter
from tests.support import INTEGRATOR, Switchboard, processes


@pytest.fixture
def deployed(services: Services) -> Services:
    deploy(services, processes(), INTEGRATOR)
    return services


def _both_ways(uow: UnitOfWork, instance_id: str) -> list[tuple[Any, Any]]:
    """Return (compiled read, repository read) pairs for every read of the instance view.

    The compiled reads are asked for together first (as the view asks), then read.
    """
    reads = prepared_reads.InstanceReads(uow, instance_id)
    return [
        (reads.summary(), uow.instances.summary(instance_id)),
        (reads.open_incidents(), uow.incidents.open_for(instance_id)),
        (reads.service_calls(), uow.calls.for_instance(instance_id)),
        (reads.open_tasks(), uow.tasks.list(TaskFilter(instance_id=instance_id, limit=1000))),
        (reads.subscriptions(), uow.subscriptions.for_instance(instance_id)),
        (reads.timers(), uow.timers.for_instance(instance_id)),
    ]


def test_cases_with_tasks_and_timers_read_the_same_both_ways(deployed: Services, clock: MovableClock) -> None:
    variables = {"application_number": "A-1", "received_on": "2026-01-05"}
    with_task = starting.start(deployed, "smoke", variables, INTEGRATOR, business_key="A-1").instance_id
    fire_at = (clock.now() + timedelta(days=15)).isoformat()
    with_timer = starting.start(
        deployed, "timer_only", {"fire_at": fire_at}, INTEGRATOR, business_key="T-1"
    ).instance_id

    for readonly in (True, False):  # a page's read, and a trigger's answer (PostgreSQL: queued)
        with deployed.db.unit_of_work(readonly=readonly) as uow:
            task_pairs, timer_pairs = _both_ways(uow, with_task), _both_ways(uow, with_timer)
        for compiled, core in task_pairs + timer_pairs:
            assert compiled == core
    summary = task_pairs[0][0]
    assert summary is not None and summary["variables"]["application_number"] == "A-1"
    assert task_pairs[3][0] and timer_pairs[5][0]  # rows were compared, not only empty lists


def test_a_case_with_an_incident_and_failed_calls_reads_the_same_both_ways(
    deployed: Services, board: Switchboard, clock: MovableClock
) -> None:
    board.failures_left = 99
    instance_id = starting.start(deployed, "flaky_lookup", {}, INTEGRATOR, business_key="R-1").instance_id
    for wait in (30, 60):
        clock.advance(seconds=wait)
        assert retries.retry_due(deployed) == 1

    with deployed.db.unit_of_work(readonly=True) as uow:
        pairs = _both_ways(uow, instance_id)

    for compiled, core in pairs:
        assert compiled == core
    assert len(pairs[1][0]) == 1 and len(pairs[2][0]) == 3  # one incident, three failed tries


def test_an_unknown_instance_has_no_summary(deployed: Services) -> None:
    with deployed.db.unit_of_work(readonly=True) as uow:
        assert prepared_reads.InstanceReads(uow, "00000000-0000-4000-8000-000000000000").summary() is None
