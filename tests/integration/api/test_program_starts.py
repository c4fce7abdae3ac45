"""What integrators may start, and one open case per business key (issue 18: 7, no duplicate cases)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from service.clock import MovableClock
from service.services import Services
from tests.apikit import app_for, problem, token
from tests.program_support import program_services


@pytest.fixture
def program(db_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[Services]:
    built = program_services(db_url, tmp_path, clock)
    yield built
    built.close()


@pytest.fixture
def http(program: Services) -> FlaskClient:
    return app_for(program).test_client()


@pytest.mark.parametrize(
    ("key", "callers"),
    [
        ("appeal", "application_review or certification_removal"),
        ("information_request", "application_review"),
        ("onsite_verification", "application_review"),
    ],
)
def test_a_process_the_program_starts_itself_is_refused_with_why_and_nothing_written(
    program: Services, http: FlaskClient, key: str, callers: str
) -> None:
    answer = http.post(
        f"/api/v1/process-definitions/{key}/start",
        json={"businessKey": "APP-1", "variables": {}},
        headers=token(program, "portal", "start", "read"),
    )

    assert answer.status_code == 422, answer.get_data(as_text=True)
    body = problem(answer)
    assert (
        body["detail"] == f"{key} is started by the program within a case of {callers}, not through the API"
    )
    assert [e["field"] for e in body["errors"]] == ["key"]
    reader = token(program, "reader", "read")
    assert http.get("/api/v1/process-instances", headers=reader).get_json()["items"] == []
    assert http.get("/api/v1/incidents", headers=reader).get_json()["items"] == []


APPLICATION = {
    "businessKey": "APP-2026-0001",
    "variables": {
        "application_number": "APP-2026-0001",
        "received_on": "2026-01-05",
        "applicant": {"importer_number": "IMP-4471", "name": "Acme Imports LLC", "email": "c@acme.example"},
        "recordkeeper_class": "importer",
        "showing": {"i": "Records manual rev. 4", "iv": "J. Rivera, compliance officer"},
        "business": {"size": "medium", "nature": "apparel", "annual_entries": 1200},
        "alternative_program": None,
    },
}


def test_a_start_retried_without_a_key_makes_no_second_case_and_no_second_letter(
    program: Services, http: FlaskClient
) -> None:
    auth = token(program, "portal", "start", "read")
    first = http.post("/api/v1/process-definitions/application_review/start", json=APPLICATION, headers=auth)

    again = http.post("/api/v1/process-definitions/application_review/start", json=APPLICATION, headers=auth)

    assert first.status_code == 201, first.get_data(as_text=True)
    assert again.status_code == 409
    assert problem(again)["instanceId"] == first.get_json()["id"]
    notices = http.get("/api/v1/notices?businessKey=APP-2026-0001", headers=auth).get_json()["items"]
    assert [n["kind"] for n in notices] == ["acknowledgement"]
