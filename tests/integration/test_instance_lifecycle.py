"""A case runs from start to end through the service layer, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import timedelta

import pytest

from service.actions import messages, starting, tasks, timers
from service.actions.deployment import deploy
from service.clock import MovableClock
from service.errors import Conflict, InvalidData, NotFound
from service.services import Services
from service.store.rows import TaskFilter
from service.views import instances, open_tasks
from tests.support import AUDITOR, INTEGRATOR, REVIEWER, Switchboard, processes

START_VARS = {"application_number": "A-1", "received_on": "2026-01-05"}


@pytest.fixture
def deployed(services: Services) -> Services:
    deploy(services, processes(), INTEGRATOR)
    return services


def _open_task(services: Services, instance_id: str) -> dict:
    found = open_tasks.tasks(services, REVIEWER, TaskFilter(instance_id=instance_id))
    assert len(found) == 1
    return found[0]


def test_a_started_case_waits_in_the_reviewers_queue_with_its_due_date(deployed: Services) -> None:
    outcome = starting.start(deployed, "smoke", START_VARS, INTEGRATOR, business_key="A-1")

    task = _open_task(deployed, outcome.instance_id)
    assert task["candidateGroup"] == "reviewers"
    assert task["businessKey"] == "A-1"
    assert task["due"] == "2026-01-20T23:59:59+00:00"
    assert task["dueCitation"] == "§163.11(b)"
    view = instances.instance(deployed, outcome.instance_id)
    assert view["status"] == "waiting"
    assert view["version"] == 1
    assert view["definitionVersion"] == 1


def test_start_variables_are_checked_against_the_start_schema(deployed: Services) -> None:
    with pytest.raises(InvalidData) as refused:
        starting.start(deployed, "smoke", {"received_on": "yesterday"}, INTEGRATOR)

    fields = {e.field for e in refused.value.errors}
    assert fields == {"application_number", "received_on"}


def test_invalid_form_data_is_refused_and_changes_nothing(deployed: Services, board: Switchboard) -> None:
    outcome = starting.start(deployed, "smoke", START_VARS, INTEGRATOR, business_key="A-1")
    task = _open_task(deployed, outcome.instance_id)

    with pytest.raises(InvalidData) as refused:
        tasks.complete(deployed, task["id"], {"decision": "maybe"}, REVIEWER)

    assert [e.field for e in refused.value.errors] == ["decision"]
    view = instances.instance(deployed, outcome.instance_id)
    assert view["version"] == 1
    assert [t["id"] for t in view["activeTasks"]] == [task["id"]]
    assert board.calls == []


def test_a_user_of_another_group_cannot_see_or_complete_the_task(deployed: Services) -> None:
    outcome = starting.start(deployed, "smoke", START_VARS, INTEGRATOR, business_key="A-1")
    task = _open_task(deployed, outcome.instance_id)

    assert open_tasks.tasks(deployed, AUDITOR, TaskFilter(instance_id=outcome.instance_id)) == []
    with pytest.raises(NotFound):
        tasks.complete(deployed, task["id"], {"decision": "ok"}, AUDITOR)


def test_the_case_runs_through_service_call_timer_and_message_to_its_end(
    deployed: Services, clock: MovableClock, board: Switchboard
) -> None:
    outcome = starting.start(deployed, "smoke", START_VARS, INTEGRATOR, business_key="A-1")
    task = _open_task(deployed, outcome.instance_id)

    after = tasks.complete(deployed, task["id"], {"decision": "ok"}, REVIEWER)

    assert [c[0:2] for c in board.calls] == [("echo", {"text": "ok"})]
    assert board.calls[0][2].business_key == "A-1"
    assert after.status == "waiting"
    assert after.wait.next_timer_due == clock.now() + timedelta(days=1)
    assert timers.fire_due(deployed) == 0  # not due yet

    clock.advance(days=1, seconds=1)
    assert timers.fire_due(deployed) == 1
    view = instances.instance(deployed, outcome.instance_id)
    assert [m["messageName"] for m in view["waitingMessages"]] == ["information_received"]
    assert view["waitingMessages"][0]["correlation"] == {"application_number": "A-1"}

    done = messages.deliver(
        deployed,
        "information_received",
        INTEGRATOR,
        business_key="A-1",
        correlation_keys={"application_number": "A-1"},
        variables={"pages": 3},
    )

    assert done.status == "completed"
    final = instances.instance(deployed, outcome.instance_id)
    assert final["variables"]["information"] == {"pages": 3, "application_number": "A-1"}
    assert final["variables"]["echoed"] == {"echo": "ok"}
    actions = [(e["action"], e["outcome"]) for e in instances.history(deployed, outcome.instance_id)]
    assert actions == [("start", "ok"), ("complete", "ok"), ("timer", "ok"), ("message", "ok")]


def test_a_message_for_another_application_number_reaches_no_instance(
    deployed: Services, clock: MovableClock
) -> None:
    outcome = starting.start(deployed, "smoke", START_VARS, INTEGRATOR, business_key="A-1")
    tasks.complete(deployed, _open_task(deployed, outcome.instance_id)["id"], {"decision": "ok"}, REVIEWER)
    clock.advance(days=2)
    timers.fire_due(deployed)

    with pytest.raises(NotFound):
        messages.deliver(
            deployed,
            "information_received",
            INTEGRATOR,
            business_key="A-1",
            correlation_keys={"application_number": "A-2"},
        )
    assert instances.instance(deployed, outcome.instance_id)["status"] == "waiting"


def test_completing_an_already_completed_task_is_a_conflict(deployed: Services) -> None:
    outcome = starting.start(deployed, "smoke", START_VARS, INTEGRATOR, business_key="A-1")
    task = _open_task(deployed, outcome.instance_id)
    tasks.complete(deployed, task["id"], {"decision": "ok"}, REVIEWER)

    with pytest.raises(Conflict, match="already completed by rita"):
        tasks.complete(deployed, task["id"], {"decision": "ok"}, REVIEWER)


def test_a_stale_instance_version_is_a_conflict(deployed: Services) -> None:
    outcome = starting.start(deployed, "smoke", START_VARS, INTEGRATOR, business_key="A-1")
    task = _open_task(deployed, outcome.instance_id)

    with pytest.raises(Conflict):
        tasks.complete(deployed, task["id"], {"decision": "ok"}, REVIEWER, expected_version=7)
    assert instances.instance(deployed, outcome.instance_id)["version"] == 1
