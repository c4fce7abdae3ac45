"""Incidents over HTTP: listed with error, stack and attempts; retried after the fix."""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient

from service import create_app
from service.actions import retries, starting
from service.actions.deployment import deploy
from service.clock import MovableClock
from service.identity import tokens
from service.services import Services
from tests.support import INTEGRATOR, Switchboard, processes


@pytest.fixture
def client(services: Services) -> FlaskClient:
    deploy(services, processes(), INTEGRATOR)
    return create_app(services=services).test_client()


def _bearer(services: Services, name: str, scopes: list[str]) -> dict[str, str]:
    return {"Authorization": f"Bearer {tokens.create(services, name, scopes)}"}


def _incident(services: Services, board: Switchboard, clock: MovableClock) -> str:
    board.failures_left = 99
    outcome = starting.start(services, "flaky_lookup", {}, INTEGRATOR, business_key="R-7")
    for wait in (30, 60):
        clock.advance(seconds=wait)
        retries.retry_due(services)
    return outcome.instance_id


def test_open_incidents_are_listed_with_error_stack_and_attempts(
    client: FlaskClient, services: Services, board: Switchboard, clock: MovableClock
) -> None:
    instance_id = _incident(services, board, clock)

    response = client.get("/api/v1/incidents", headers=_bearer(services, "ops", ["read"]))

    assert response.status_code == 200
    [found] = response.get_json()["items"]
    assert found["instanceId"] == instance_id
    assert (found["businessKey"], found["processKey"], found["element"]) == ("R-7", "flaky_lookup", "lookup")
    assert found["attempts"] == 3
    assert "records service unavailable" in found["message"]
    assert "Traceback" in found["stack"]
    assert found["resolved"] is None


def test_retrying_after_the_fix_completes_the_case_and_resolves_the_incident(
    client: FlaskClient, services: Services, board: Switchboard, clock: MovableClock
) -> None:
    instance_id = _incident(services, board, clock)
    board.failures_left = 0
    operator = _bearer(services, "ops", ["read", "start"])

    response = client.post(f"/api/v1/process-instances/{instance_id}/retry", headers=operator)

    assert response.status_code == 200
    body: dict[str, Any] = response.get_json()
    assert (body["status"], body["incidents"]) == ("completed", [])
    assert [c["outcome"] for c in body["serviceCalls"]] == ["failed", "failed", "failed", "ok"]
    assert client.get("/api/v1/incidents", headers=operator).get_json() == {"items": [], "next": None}
    [resolved] = client.get("/api/v1/incidents?status=resolved", headers=operator).get_json()["items"]
    assert resolved["resolvedBy"] == "integrator:ops"


def test_the_incident_routes_need_a_token_with_the_right_scope(
    client: FlaskClient, services: Services, board: Switchboard, clock: MovableClock
) -> None:
    instance_id = _incident(services, board, clock)
    reader = _bearer(services, "reader", ["read"])

    assert client.get("/api/v1/incidents").status_code == 401
    assert client.get("/api/v1/incidents", headers=_bearer(services, "starter", ["start"])).status_code == 403
    refused = client.post(f"/api/v1/process-instances/{instance_id}/retry", headers=reader)
    assert refused.status_code == 403
    assert client.get("/api/v1/incidents", headers=reader).get_json()["items"][0]["resolved"] is None


def test_a_bad_filter_is_a_problem_naming_the_field(client: FlaskClient, services: Services) -> None:
    response = client.get(
        "/api/v1/incidents?status=sleeping&limit=0", headers=_bearer(services, "r", ["read"])
    )

    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert {e["field"] for e in response.get_json()["errors"]} == {"status", "limit"}


def test_retrying_an_instance_without_incident_is_a_conflict(client: FlaskClient, services: Services) -> None:
    outcome = starting.start(
        services, "smoke", {"application_number": "A-1", "received_on": "2026-01-05"}, INTEGRATOR
    )
    response = client.post(
        f"/api/v1/process-instances/{outcome.instance_id}/retry", headers=_bearer(services, "o", ["start"])
    )
    assert response.status_code == 409
