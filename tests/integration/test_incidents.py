"""A failing handler is tried again with backoff; when tries run out the case gets an incident,
which a supervisor retries after the fix."""

from __future__ import annotations

from datetime import timedelta

import pytest

from service.actions import lifecycle, retries, starting
from service.actions.deployment import deploy
from service.clock import MovableClock
from service.errors import Conflict
from service.services import Services
from service.views import instances
from tests.support import INTEGRATOR, SUPERVISOR, Switchboard, processes


@pytest.fixture
def deployed(services: Services) -> Services:
    deploy(services, processes(), INTEGRATOR)
    return services


def _run_out_of_tries(services: Services, clock: MovableClock) -> str:
    """Start a lookup whose handler keeps failing and let the runner try it three times."""
    outcome = starting.start(services, "flaky_lookup", {}, INTEGRATOR, business_key="R-1")
    for wait in (30, 60):
        clock.advance(seconds=wait)
        assert retries.retry_due(services) == 1
    return outcome.instance_id


def test_a_failing_handler_is_tried_again_later_instead_of_becoming_an_incident_at_once(
    deployed: Services, board: Switchboard, clock: MovableClock
) -> None:
    board.failures_left = 1

    outcome = starting.start(deployed, "flaky_lookup", {}, INTEGRATOR, business_key="R-1")

    assert outcome.status == "waiting"
    view = instances.instance(deployed, outcome.instance_id)
    assert view["hasIncident"] is False
    assert view["incidents"] == []
    assert view["nextRetry"] == (clock.now() + timedelta(seconds=30)).isoformat()
    assert instances.history(deployed, outcome.instance_id)[0]["outcome"] == "retrying"


def test_when_the_tries_run_out_the_case_gets_an_incident_with_error_stack_and_attempts(
    deployed: Services, board: Switchboard, clock: MovableClock
) -> None:
    board.failures_left = 99

    instance_id = _run_out_of_tries(deployed, clock)

    view = instances.instance(deployed, instance_id)
    assert view["status"] == "error"
    assert view["hasIncident"] is True
    assert view["nextRetry"] is None
    [incident] = view["incidents"]
    assert incident["element"] == "lookup"
    assert incident["attempts"] == 3
    assert "records service unavailable" in incident["message"]
    with deployed.db.unit_of_work(readonly=True) as uow:
        [stored] = uow.incidents.open_for(instance_id)
    assert "Traceback" in stored["detail"] and "RuntimeError" in stored["detail"]
    assert [c[0] for c in board.calls] == ["flaky"] * 3
    assert retries.retry_due(deployed) == 0, "no try is left after the incident"


def test_retrying_after_the_fix_completes_the_case_and_resolves_the_incident(
    deployed: Services, board: Switchboard, clock: MovableClock
) -> None:
    board.failures_left = 99
    instance_id = _run_out_of_tries(deployed, clock)
    board.failures_left = 0

    retried = lifecycle.retry(deployed, instance_id, SUPERVISOR)

    assert retried.status == "completed"
    view = instances.instance(deployed, instance_id)
    assert view["hasIncident"] is False
    assert view["incidents"] == []
    assert view["variables"]["looked_up"] == "recordkeeper"
    assert [c[0] for c in board.calls] == ["flaky"] * 4


def test_a_retry_that_fails_again_counts_the_attempt(
    deployed: Services, board: Switchboard, clock: MovableClock
) -> None:
    board.failures_left = 99
    instance_id = _run_out_of_tries(deployed, clock)

    lifecycle.retry(deployed, instance_id, SUPERVISOR)

    [incident] = instances.instance(deployed, instance_id)["incidents"]
    assert incident["attempts"] == 4


def test_retrying_a_case_without_incident_is_a_conflict(deployed: Services) -> None:
    outcome = starting.start(
        deployed, "smoke", {"application_number": "A-1", "received_on": "2026-01-05"}, INTEGRATOR
    )
    with pytest.raises(Conflict):
        lifecycle.retry(deployed, outcome.instance_id, SUPERVISOR)
