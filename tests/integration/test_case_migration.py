"""Supervisors move running cases to a later version when what they wait at is unchanged."""

from __future__ import annotations

from datetime import timedelta

import pytest

from service.actions import lifecycle, migration, starting, tasks, timers
from service.actions.deployment import DiagramSet, deploy
from service.clock import MovableClock
from service.engine.values import DiagramSource
from service.errors import Forbidden
from service.services import Services
from service.store.rows import TaskFilter
from service.views import instances, open_tasks
from service.views import migration as migration_views
from tests.support import ANALYST, FIXTURES, INTEGRATOR, REVIEWER, SUPERVISOR, Switchboard, processes

SMOKE = (FIXTURES / "processes" / "smoke.bpmn").read_text()
START_VARS = {"application_number": "A-1", "received_on": "2026-01-05"}


def _deploy(services: Services, xml: str, note: str = "change") -> None:
    base = processes()
    deploy(
        services,
        DiagramSet([DiagramSource("smoke.bpmn", xml.encode())], base.forms, base.start_schemas),
        ANALYST,
        note,
    )


def _later_steps_changed(xml: str = SMOKE) -> str:
    """Version 2: the echo step is renamed and the one-day wait becomes two days."""
    return xml.replace('name="Echo"', 'name="Echo v2"').replace('"P1D"', '"P2D"')


def _start(services: Services, key: str = "A-1") -> str:
    return starting.start(
        services, "smoke", {**START_VARS, "application_number": key}, INTEGRATOR, business_key=key
    ).instance_id


def _review_task(services: Services, instance_id: str) -> dict:
    [task] = open_tasks.tasks(services, REVIEWER, TaskFilter(instance_id=instance_id))
    return task


@pytest.fixture
def on_v1(services: Services) -> Services:
    _deploy(services, SMOKE, "first")
    return services


def test_a_case_at_an_unchanged_task_moves_and_then_runs_the_new_version(
    on_v1: Services, clock: MovableClock
) -> None:
    case = _start(on_v1)
    task = _review_task(on_v1, case)
    tasks.claim(on_v1, task["id"], REVIEWER)
    _deploy(on_v1, _later_steps_changed())

    report = migration_views.check(on_v1, "smoke", 1, SUPERVISOR)
    assert report["toVersion"] == 2
    assert [(c["id"], c["movable"], c["reasons"]) for c in report["cases"]] == [(case, True, [])]

    result = migration.migrate(on_v1, "smoke", 1, SUPERVISOR)

    assert [(r["id"], r["migrated"]) for r in result["results"]] == [(case, True)]
    view = instances.instance(on_v1, case)
    assert view["definitionVersion"] == 2
    moved = _review_task(on_v1, case)
    assert (moved["id"], moved["assignee"], moved["due"]) == (task["id"], "rita", task["due"])
    with on_v1.db.unit_of_work(readonly=True) as uow:
        [record] = uow.case_migrations.for_instance(case)
    assert (record["from_version"], record["to_version"], record["migrated_by"]) == (1, 2, "user:sam")
    history = [(e["action"], e["outcome"], e["data"]) for e in instances.history(on_v1, case)]
    assert ("migrate", "ok", {"processKey": "smoke", "fromVersion": 1, "toVersion": 2}) in history

    after = tasks.complete(on_v1, task["id"], {"decision": "ok"}, REVIEWER)
    assert after.wait.next_timer_due == clock.now() + timedelta(days=2), "the case runs version 2's timer"


def test_a_case_waiting_at_a_changed_timer_stays_and_the_check_says_why(
    on_v1: Services, clock: MovableClock
) -> None:
    case = _start(on_v1)
    tasks.complete(on_v1, _review_task(on_v1, case)["id"], {"decision": "ok"}, REVIEWER)
    _deploy(on_v1, _later_steps_changed())

    [report] = migration_views.check(on_v1, "smoke", 1, SUPERVISOR)["cases"]
    assert report["movable"] is False
    assert [(r["elementId"], r["reason"]) for r in report["reasons"]] == [
        ("wait_day", "is changed in the target version (event definition)")
    ]

    result = migration.migrate(on_v1, "smoke", 1, SUPERVISOR)

    assert [(r["id"], r["migrated"]) for r in result["results"]] == [(case, False)]
    assert result["results"][0]["reasons"][0]["elementId"] == "wait_day"
    assert instances.instance(on_v1, case)["definitionVersion"] == 1
    refused = [e for e in instances.history(on_v1, case) if e["action"] == "migrate"]
    assert [e["outcome"] for e in refused] == ["refused"]
    clock.advance(days=1, seconds=1)
    assert timers.fire_due(on_v1) == 1, "the case keeps version 1's one-day timer"


def test_a_renamed_active_task_blocks_the_move(on_v1: Services) -> None:
    case = _start(on_v1)
    _deploy(on_v1, SMOKE.replace('name="Review"', 'name="Review the application"'))

    [report] = migration_views.check(on_v1, "smoke", 1, SUPERVISOR)["cases"]

    assert [(r["elementId"], r["reason"]) for r in report["reasons"]] == [
        ("review", "is changed in the target version (name)")
    ]
    assert report["id"] == case


def test_a_waiting_timer_keeps_its_due_time_when_the_case_moves(on_v1: Services, clock: MovableClock) -> None:
    case = _start(on_v1)
    tasks.complete(on_v1, _review_task(on_v1, case)["id"], {"decision": "ok"}, REVIEWER)
    due = clock.now() + timedelta(days=1)
    clock.advance(seconds=12 * 3600)
    _deploy(on_v1, SMOKE.replace('name="Information received"', 'name="Information arrived"'))

    result = migration.migrate(on_v1, "smoke", 1, SUPERVISOR)

    assert result["migrated"] == 1
    view = instances.instance(on_v1, case)
    assert view["definitionVersion"] == 2
    assert [t["due"] for t in view["deadlines"] if t["kind"] == "timer"] == [due.isoformat()]
    clock.advance(seconds=12 * 3600 + 1)
    assert timers.fire_due(on_v1) == 1
    assert [m["messageName"] for m in instances.instance(on_v1, case)["waitingMessages"]] == [
        "information_received"
    ]


def test_only_supervisors_check_or_move_cases(on_v1: Services, board: Switchboard) -> None:
    _start(on_v1)
    _deploy(on_v1, _later_steps_changed())

    for who in (ANALYST, REVIEWER, INTEGRATOR):
        with pytest.raises(Forbidden):
            migration_views.check(on_v1, "smoke", 1, who)
        with pytest.raises(Forbidden):
            migration.migrate(on_v1, "smoke", 1, who)
    assert instances.instance(on_v1, _start(on_v1, "A-2"))["definitionVersion"] == 2


def test_a_suspended_case_is_reported_and_left_alone(on_v1: Services) -> None:
    case = _start(on_v1)
    lifecycle.suspend(on_v1, case, SUPERVISOR, "hold")
    _deploy(on_v1, _later_steps_changed())

    [report] = migration_views.check(on_v1, "smoke", 1, SUPERVISOR)["cases"]
    result = migration.migrate(on_v1, "smoke", 1, SUPERVISOR)

    assert report["movable"] is False
    assert "suspended" in report["reasons"][0]["reason"]
    assert result["migrated"] == 0
    assert instances.instance(on_v1, case)["definitionVersion"] == 1


def test_only_the_named_cases_move(on_v1: Services) -> None:
    first, second = _start(on_v1, "A-1"), _start(on_v1, "A-2")
    _deploy(on_v1, _later_steps_changed())

    result = migration.migrate(on_v1, "smoke", 1, SUPERVISOR, instance_ids=[first, "no-such-case"])

    assert [(r["id"], r["migrated"]) for r in result["results"]] == [(first, True), ("no-such-case", False)]
    assert "does not exist" in result["results"][1]["reasons"][0]["reason"]
    assert instances.instance(on_v1, first)["definitionVersion"] == 2
    assert instances.instance(on_v1, second)["definitionVersion"] == 1
    again = migration.migrate(on_v1, "smoke", 1, SUPERVISOR, instance_ids=[first])
    assert again["results"][0]["migrated"] is False, "a case already on version 2 is not moved again"
