"""A failing handler leaves an incident, not a crash; a retry after the fix completes the case."""

from __future__ import annotations

import pytest

from service.bootstrap import Services
from service.cases import lifecycle, queries
from service.deployment import deploy
from service.errors import Conflict
from tests.support import INTEGRATOR, SUPERVISOR, Switchboard, processes


@pytest.fixture
def deployed(services: Services) -> Services:
    deploy(services, processes(), INTEGRATOR)
    return services


def test_a_failing_handler_puts_the_case_in_incident_with_the_error_text(
    deployed: Services, board: Switchboard
) -> None:
    board.failures_left = 1

    outcome = lifecycle.start(deployed, "flaky_lookup", {}, INTEGRATOR, business_key="R-1")

    assert outcome.status == "error"
    view = queries.instance(deployed, outcome.instance_id)
    assert view["hasIncident"] is True
    [incident] = view["incidents"]
    assert incident["element"] == "lookup"
    assert "records service unavailable" in incident["message"]
    assert queries.history(deployed, outcome.instance_id)[0]["outcome"] == "incident"


def test_retrying_after_the_fix_completes_the_case_and_resolves_the_incident(
    deployed: Services, board: Switchboard
) -> None:
    board.failures_left = 1
    outcome = lifecycle.start(deployed, "flaky_lookup", {}, INTEGRATOR, business_key="R-1")

    retried = lifecycle.retry(deployed, outcome.instance_id, SUPERVISOR)

    assert retried.status == "completed"
    view = queries.instance(deployed, outcome.instance_id)
    assert view["hasIncident"] is False
    assert view["incidents"] == []
    assert view["variables"]["looked_up"] == "recordkeeper"
    assert [c[0] for c in board.calls] == ["flaky", "flaky"]


def test_a_retry_that_fails_again_counts_the_attempt(deployed: Services, board: Switchboard) -> None:
    board.failures_left = 2
    outcome = lifecycle.start(deployed, "flaky_lookup", {}, INTEGRATOR, business_key="R-1")

    lifecycle.retry(deployed, outcome.instance_id, SUPERVISOR)

    [incident] = queries.instance(deployed, outcome.instance_id)["incidents"]
    assert incident["attempts"] == 2


def test_retrying_a_case_without_incident_is_a_conflict(deployed: Services) -> None:
    outcome = lifecycle.start(
        deployed, "smoke", {"application_number": "A-1", "received_on": "2026-01-05"}, INTEGRATOR
    )
    with pytest.raises(Conflict):
        lifecycle.retry(deployed, outcome.instance_id, SUPERVISOR)
