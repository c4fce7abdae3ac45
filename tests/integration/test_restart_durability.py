"""Nothing is lost between requests or restarts: a case driven across fresh service objects ends
exactly as one driven without interruption."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from service.actions import messages, starting, tasks, timers
from service.actions.deployment import deploy
from service.clock import MovableClock
from service.services import Services
from service.store.rows import TaskFilter
from service.views import instances, open_tasks
from tests.conftest import _truncate
from tests.support import INTEGRATOR, REVIEWER, START, Switchboard, make_services, processes

Step = Callable[[Services, dict[str, Any]], None]


def _start(services: Services, memo: dict[str, Any]) -> None:
    deploy(services, processes(), INTEGRATOR)
    outcome = starting.start(
        services,
        "smoke",
        {"application_number": "A-9", "received_on": "2026-01-05"},
        INTEGRATOR,
        business_key="A-9",
    )
    memo["id"] = outcome.instance_id


def _complete(services: Services, memo: dict[str, Any]) -> None:
    [task] = open_tasks.tasks(services, REVIEWER, TaskFilter(instance_id=memo["id"]))
    tasks.complete(services, task["id"], {"decision": "ok", "reviewed_on": "2026-01-06"}, REVIEWER)


def _wait_a_day(services: Services, memo: dict[str, Any]) -> None:
    assert isinstance(services.clock, MovableClock)
    services.clock.advance(days=1, seconds=5)
    assert timers.fire_due(services) == 1


def _information(services: Services, memo: dict[str, Any]) -> None:
    messages.deliver(
        services,
        "information_received",
        INTEGRATOR,
        business_key="A-9",
        correlation_keys={"application_number": "A-9"},
        variables={"pages": 12},
    )


STEPS: list[Step] = [_start, _complete, _wait_a_day, _information]


def _end_state(services: Services, memo: dict[str, Any]) -> dict[str, Any]:
    view = instances.instance(services, memo["id"])
    history = [(e["action"], e["outcome"], e["data"]) for e in instances.history(services, memo["id"])]
    return {
        "status": view["status"],
        "version": view["version"],
        "variables": view["variables"],
        "activeTasks": view["activeTasks"],
        "waiting": view["waitingMessages"],
        "history": history,
    }


def _run(db_url: str, tmp: Path, clock: MovableClock, restart_between_steps: bool) -> dict[str, Any]:
    board = Switchboard()
    memo: dict[str, Any] = {}
    services = make_services(db_url, tmp, clock, board)
    for step in STEPS:
        step(services, memo)
        if restart_between_steps:
            services.close()  # a new process: fresh engine, catalog, connections; same database
            services = make_services(db_url, tmp, clock, board)
    state = _end_state(services, memo)
    services.close()
    return state


def test_restarting_between_every_step_reaches_the_same_end_state(
    db_url: str, sqlite_template: Path, tmp_path: Path
) -> None:
    restarted = _run(db_url, tmp_path, MovableClock(START), restart_between_steps=True)
    other_db = _fresh_db(db_url, sqlite_template, tmp_path / "uninterrupted")
    uninterrupted = _run(
        other_db, tmp_path / "uninterrupted", MovableClock(START), restart_between_steps=False
    )

    assert restarted["status"] == "completed"
    assert restarted == uninterrupted


def _fresh_db(db_url: str, template: Path, folder: Path) -> str:
    folder.mkdir()
    if db_url.startswith("sqlite"):
        shutil.copy(template, folder / "rcp.db")
        return f"sqlite:///{folder / 'rcp.db'}"
    # One PostgreSQL database per test session: the second run starts from a cleared one.
    _truncate(db_url)
    return db_url
