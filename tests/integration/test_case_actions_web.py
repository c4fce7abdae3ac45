"""Case actions from the staff pages: start, suspend, resume, cancel, with a reason, by role.

The refusals on SQLite and PostgreSQL: nothing changes, the page says why, the audit log keeps
who tried. The same rules as the API (service.actions.lifecycle, staff_starts).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from service.clock import MovableClock
from service.store.rows import AuditRow, InstanceRow
from tests.e2e.inbox_world import World, build_world, csrf, field_errors
from tests.program_support import program_services

SAY_WHY = "Say why: the reason is recorded in the case's history with your name"
START_PATH = "/cases/new/certification_removal"
REMOVAL = {
    "business_key": "RM-2026-014",
    "importer_number": "IOR-22-1234567",
    "proposed_grounds": "no_valid_bond",
    "removal_facts": "The continuous bond lapsed on 2026-01-01 and was not renewed.",
    "reason": "Bond lapse reported by the surety",
}


@pytest.fixture
def world(db_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[World]:
    services = program_services(db_url, tmp_path, clock)
    yield build_world(services)
    services.close()


def send(client: FlaskClient, path: str, form: dict[str, str]) -> TestResponse:
    """Post a form as the page would: with the session's CSRF token."""
    return client.post(path, data={"csrf_token": csrf(client, "/inbox"), **form})


def instance(world: World, instance_id: str) -> InstanceRow:
    with world.services.db.unit_of_work(readonly=True) as uow:
        row = uow.instances.get(instance_id)
    assert row is not None
    return row


def audit(world: World, instance_id: str) -> list[AuditRow]:
    with world.services.db.unit_of_work(readonly=True) as uow:
        return uow.audit.for_instance(instance_id)


def test_a_reviewer_may_not_suspend_and_the_refusal_is_audited(world: World) -> None:
    case = world.start_case("AP-1")
    response = send(world.client("rita"), f"/cases/{case}/suspend", {"reason": "hold"})

    assert response.status_code == 403
    assert "only supervisors suspend cases" in response.text
    assert instance(world, case).suspended is False
    [refused] = [a for a in audit(world, case) if a["action"] == "suspend"]
    assert (refused["actor"], refused["outcome"]) == ("rita", "refused")


def test_an_empty_reason_shows_the_form_again_and_changes_nothing(world: World) -> None:
    case = world.start_case("AP-2")
    response = send(world.client("sam"), f"/cases/{case}/suspend", {"reason": "   "})

    assert response.status_code == 422
    assert "Nothing was changed in the case." in response.text
    assert field_errors(response.text) == {"reason": SAY_WHY}
    assert 'name="reason"' in response.text
    assert instance(world, case).suspended is False
    assert not [a for a in audit(world, case) if a["action"] == "suspend" and a["outcome"] == "ok"]


def test_a_supervisor_suspends_and_resumes_with_reasons_recorded(world: World) -> None:
    case = world.start_case("AP-3")
    sam = world.client("sam")

    suspended = send(sam, f"/cases/{case}/suspend", {"reason": "Counsel asked for two weeks"})
    assert suspended.status_code == 303 and suspended.headers["Location"] == f"/cases/{case}"
    assert instance(world, case).suspended is True
    page = sam.get(f"/cases/{case}").text
    assert "suspended" in page and "Resume the case" in page

    resumed = send(sam, f"/cases/{case}/resume", {"reason": "Counsel answered"})
    assert resumed.status_code == 303
    assert instance(world, case).suspended is False
    done = [(a["action"], a["actor"], a["data"]) for a in audit(world, case) if a["outcome"] == "ok"]
    assert ("suspend", "sam", {"reason": "Counsel asked for two weeks"}) in done
    assert ("resume", "sam", {"reason": "Counsel answered"}) in done


def test_cancel_needs_its_confirmation_and_a_cancelled_case_cannot_be_resumed(world: World) -> None:
    case = world.start_case("AP-4")
    sam = world.client("sam")

    unconfirmed = send(sam, f"/cases/{case}/cancel", {"reason": "Entered twice"})
    assert unconfirmed.status_code == 422
    assert "Tick the box to confirm the cancellation" in unconfirmed.text
    assert instance(world, case).status == "waiting"

    cancelled = send(sam, f"/cases/{case}/cancel", {"reason": "Entered twice", "confirm": "yes"})
    assert cancelled.status_code == 303
    assert instance(world, case).status == "cancelled"

    resumed = send(sam, f"/cases/{case}/resume", {"reason": "Oops"})
    assert resumed.status_code == 409
    assert "cancelled" in resumed.text
    assert instance(world, case).status == "cancelled"
    assert "Cancel the case" not in sam.get(f"/cases/{case}").text  # no actions on a closed case


def test_the_director_starts_a_removal_and_a_second_one_names_the_open_case(world: World) -> None:
    dana = world.client("dana")
    assert "Start a case" in dana.get("/inbox").text
    assert "Proposed grounds" in dana.get(START_PATH).text

    started = send(dana, START_PATH, REMOVAL)
    assert started.status_code == 303, started.text
    case = started.headers["Location"].rsplit("/", 1)[-1]
    row = instance(world, case)
    assert (row.business_key, row.status) == ("RM-2026-014", "waiting")
    assert dana.get(f"/cases/{case}").status_code == 200  # whoever starts a case can open it
    [entry] = [a for a in audit(world, case) if a["action"] == "start"]
    assert (entry["actor"], entry["data"]["reason"]) == ("dana", "Bond lapse reported by the surety")

    twice = send(dana, START_PATH, REMOVAL)
    assert twice.status_code == 409
    assert "This case is already open" in twice.text
    assert f'href="/cases/{case}"' in twice.text
    assert 'value="IOR-22-1234567"' in twice.text  # what was typed is kept


@pytest.mark.parametrize("username", ["rita", "fred"])
def test_a_reviewer_or_field_auditor_may_not_start_a_removal(world: World, username: str) -> None:
    rita = world.client(username)
    assert rita.get(START_PATH).status_code == 403
    assert send(rita, START_PATH, REMOVAL).status_code == 403
    with world.services.db.unit_of_work(readonly=True) as uow:
        assert uow.instances.open_case("certification_removal", "RM-2026-014") is None


def test_a_reviewer_starts_nothing_and_a_field_auditor_only_a_demand_for_records(world: World) -> None:
    rita = world.client("rita")
    assert "Start a case" not in rita.get("/inbox").text
    assert rita.get("/cases/new").status_code == 403
    fred = world.client("fred")  # §163.6(a): field auditors record the demands they issue
    assert "Start a case" in fred.get("/inbox").text
    choices = fred.get("/cases/new")
    assert choices.status_code == 200
    assert "/cases/new/record_demand" in choices.text
    assert START_PATH not in choices.text


def test_a_start_without_a_reason_or_with_a_bad_field_starts_nothing(world: World) -> None:
    dana = world.client("dana")
    no_reason = send(dana, START_PATH, {**REMOVAL, "reason": " "})
    assert no_reason.status_code == 422
    assert "There is a problem" in no_reason.text
    assert field_errors(no_reason.text) == {"reason": "Say why you start the case"}
    long_key = send(dana, START_PATH, {**REMOVAL, "business_key": "R" * 201})
    assert long_key.status_code == 422
    assert field_errors(long_key.text)["business_key"] == "Use at most 200 characters"
    short = send(dana, START_PATH, {**REMOVAL, "removal_facts": "short"})
    assert short.status_code == 422
    assert "Use at least 10 characters for " in short.text
    with world.services.db.unit_of_work(readonly=True) as uow:
        assert uow.instances.open_case("certification_removal", "RM-2026-014") is None


@pytest.mark.parametrize("process", ["appeal", "application_review", "no_such_process"])
def test_processes_staff_do_not_start_are_not_offered(world: World, process: str) -> None:
    sam = world.client("sam")
    assert sam.get(f"/cases/new/{process}").status_code == 404
    assert send(sam, f"/cases/new/{process}", {"reason": "try"}).status_code == 404
    choices = sam.get("/cases/new").text
    assert "Removal of certification" in choices and "/cases/new/appeal" not in choices
