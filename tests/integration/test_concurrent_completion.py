"""Two (or eight) people completing the same task at once: exactly one succeeds."""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from service.actions import starting, tasks
from service.actions.deployment import deploy
from service.errors import Conflict, ServiceError
from service.services import Services
from service.store.rows import TaskFilter
from service.views import instances, open_tasks
from tests.support import INTEGRATOR, REVIEWER, Switchboard, processes

THREADS = 8


def _complete_from_many_threads_at_once(services: Services, task_id: str) -> list[str]:
    """Release THREADS completions of one task together and return each outcome ("ok" or a status)."""
    barrier = threading.Barrier(THREADS)
    results: list[str] = []
    lock = threading.Lock()

    def attempt() -> None:
        barrier.wait()
        try:
            tasks.complete(services, task_id, {"decision": "ok"}, REVIEWER)
            result = "ok"
        except Conflict:
            result = "409"
        except ServiceError as exc:
            result = f"{exc.status}"
        with lock:
            results.append(result)

    threads = [threading.Thread(target=attempt) for _ in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


@pytest.mark.parametrize(
    "db_url", [pytest.param("postgres", marks=pytest.mark.postgres), "sqlite"], indirect=True
)
def test_concurrent_completions_of_one_task_succeed_exactly_once(
    services: Services, board: Switchboard
) -> None:
    deploy(services, processes(), INTEGRATOR)
    outcome = starting.start(
        services,
        "smoke",
        {"application_number": "A-7", "received_on": "2026-01-05"},
        INTEGRATOR,
        business_key="A-7",
    )
    [task] = open_tasks.tasks(services, REVIEWER, TaskFilter(instance_id=outcome.instance_id))
    results = _complete_from_many_threads_at_once(services, task["id"])

    assert Counter(results) == {"ok": 1, "409": THREADS - 1}
    view = instances.instance(services, outcome.instance_id)
    assert view["version"] == 2, "the instance advanced exactly once"
    assert [c[0] for c in board.calls] == ["echo"], "the service task after the user task ran once"
    with services.db.unit_of_work(readonly=True) as uow:
        assert uow.audit.count(action="complete", outcome="ok") == 1
        assert uow.audit.count(action="complete", outcome="refused") == THREADS - 1
