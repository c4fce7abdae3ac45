"""A date a message or a start reports as having happened cannot lie in the future (issue 18)."""

from __future__ import annotations

import pytest
from flask.testing import FlaskClient

from service.clock import MovableClock
from service.services import Services
from tests.apikit import SMOKE_VARS, app_for, problem, start_smoke, token

TOMORROW = "2026-01-06"  # the clock stands at 2026-01-05 09:00 UTC


@pytest.fixture
def http(api: Services) -> FlaskClient:
    return app_for(api).test_client()


def test_an_appeal_received_tomorrow_is_422_naming_the_field(api: Services, http: FlaskClient) -> None:
    answer = http.post(
        "/api/v1/messages",
        json={
            "messageName": "appeal_received",
            "correlationKeys": {"notice_number": "RCP-DEN-2026-00001"},
            "variables": {"appeal": {"received_on": TOMORROW, "grounds": "the records were kept"}},
        },
        headers=token(api, "mailroom", "message"),
    )

    assert answer.status_code == 422, answer.get_data(as_text=True)
    assert [e["field"] for e in problem(answer)["errors"]] == ["variables.appeal.received_on"]


def test_a_message_reporting_today_goes_on_to_be_routed(api: Services, http: FlaskClient) -> None:
    answer = http.post(
        "/api/v1/messages",
        json={"messageName": "appeal_received", "variables": {"received_on": "2026-01-05"}},
        headers=token(api, "mailroom", "message"),
    )

    assert answer.status_code == 404  # nobody waits: the date itself was accepted


def test_a_start_reporting_a_future_received_on_is_422_and_starts_nothing(
    api: Services, http: FlaskClient, clock: MovableClock
) -> None:
    auth = token(api, "portal", "start", "read")

    answer = http.post(
        "/api/v1/process-definitions/smoke/start",
        json={"businessKey": "A-1", "variables": {**SMOKE_VARS, "received_on": TOMORROW}},
        headers=auth,
    )
    clock.advance(days=1)
    later = start_smoke(api, "A-2")

    assert answer.status_code == 422
    assert [e["field"] for e in problem(answer)["errors"]] == ["variables.received_on"]
    assert [c["id"] for c in http.get("/api/v1/process-instances", headers=auth).get_json()["items"]] == [
        later
    ]
