"""A demand for records through the API: its deadline and rule, and its place in the participant's family."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from service.clock import MovableClock
from service.services import Services
from tests.apikit import app_for, token
from tests.integration.api.test_cases import _approved
from tests.integration.test_scenarios_demands import demand
from tests.program_support import Case, program_services

NUMBER = "A-2026-091"


@pytest.fixture
def program(db_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[Services]:
    built = program_services(db_url, tmp_path, clock)
    yield built
    built.close()


def test_a_demand_shows_its_due_date_and_rule_and_joins_the_application_s_family(
    program: Services, clock: MovableClock
) -> None:
    http: FlaskClient = app_for(program).test_client()
    headers = token(program, "portal", "read")
    _approved(program, clock, NUMBER)  # certifies IOR-55-1234567
    keeper = {"importer_number": "IOR-55-1234567", "name": "Harbor Imports LLC", "email": "c@harbor.example"}
    Case.start(program, clock, "record_demand", {**demand("D-901"), "recordkeeper": keeper}, "D-901")

    own = http.get("/api/v1/cases/D-901", headers=headers).get_json()
    assert [(d["element"], d["due"]) for d in own["deadlines"]] == [
        ("production_reminder", "2026-01-30T05:00:00+00:00"),
        ("production_period_passed", "2026-02-05T04:59:59+00:00"),
    ]
    assert all("§163.6(a)" in d["citation"] for d in own["deadlines"])
    family = http.get(f"/api/v1/cases/{NUMBER}", headers=headers).get_json()["family"]
    assert [(m["processKey"], m["businessKey"], m["status"]) for m in family] == [
        ("application_review", NUMBER, "completed"),
        ("record_demand", "D-901", "waiting"),
    ]


def test_a_failure_reported_through_the_api_while_the_period_runs_is_422_naming_the_due_date(
    program: Services, clock: MovableClock
) -> None:
    http: FlaskClient = app_for(program).test_client()
    failure = {**demand("D-902"), "due_on": "2026-01-20"}
    del failure["received_on"]
    start = "/api/v1/process-definitions/notice_of_violation/start"

    refused = http.post(
        start, json={"variables": failure, "businessKey": "D-902"}, headers=token(program, "audit", "start")
    )

    assert refused.status_code == 422, refused.get_data(as_text=True)
    assert refused.mimetype == "application/problem+json"
    [error] = refused.get_json()["errors"]
    assert error["field"] == "variables.due_on"
    assert "runs until 2026-01-20 (19 CFR 163.6(a)); report a failure from 2026-01-21" in error["message"]
    with program.db.unit_of_work(readonly=True) as uow:
        assert uow.instances.open_case("notice_of_violation", "D-902") is None
