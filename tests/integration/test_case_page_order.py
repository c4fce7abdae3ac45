"""The case page lists the diagram's elements in the order the case ran, and timeline tasks by name."""

from __future__ import annotations

import pytest

from service.actions import messages, starting, tasks, timers
from service.actions.deployment import deploy
from service.clock import MovableClock
from service.services import Services
from service.views import casefile, inbox
from tests.support import INTEGRATOR, REVIEWER, SUPERVISOR, processes


@pytest.fixture
def deployed(services: Services) -> Services:
    deploy(services, processes(), INTEGRATOR)
    return services


def test_the_element_table_follows_the_case_and_the_timeline_names_its_tasks(
    deployed: Services, clock: MovableClock
) -> None:
    start = {"application_number": "A-1", "received_on": "2026-01-05"}
    case_id = starting.start(deployed, "smoke", start, INTEGRATOR, business_key="A-1").instance_id
    task_id = inbox.page(deployed, REVIEWER, inbox.InboxQuery(view="queue"))["rows"][0]["id"]
    tasks.complete(deployed, task_id, {"decision": "ok"}, REVIEWER)
    clock.advance(days=2)
    timers.fire_due(deployed)

    page = casefile.view(deployed, case_id, SUPERVISOR)

    ran = [(e["id"], e["state"]) for e in page["elements"]]
    assert ran == [
        ("start", "completed"),
        ("review", "completed"),
        ("call_echo", "completed"),
        ("wait_day", "completed"),
        ("wait_info", "waiting"),
    ]
    named = [e["task"] for e in page["timeline"] if e["task"]]
    assert "Review" in named and "review" not in named

    messages.deliver(deployed, "information_received", INTEGRATOR, business_key="A-1", correlation_keys=start)
    finished = casefile.view(deployed, case_id, SUPERVISOR)["elements"]
    assert [e["id"] for e in finished][-2:] == ["wait_info", "end"]
