"""A task over HTTP: field errors, drafts, completion, conflicts, and the case page."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from lxml import html as lxml_html

from service.actions import lifecycle, tasks
from service.clock import MovableClock
from service.services import Services
from service.views import instances
from tests.e2e.inbox_pages_support import claimed
from tests.e2e.inbox_world import (
    VALID_REVIEW,
    World,
    build_world,
    csrf,
    field_errors,
    input_values,
    notices,
    page_tables,
)


@pytest.fixture
def world(services: Services) -> Iterator[World]:
    yield build_world(services)


def test_invalid_values_are_shown_beside_their_fields_kept_and_change_nothing(world: World) -> None:
    case_id, task_id = claimed(world, "V-1")
    rita = world.client("rita")

    response = rita.post(
        f"/tasks/{task_id}",
        data={
            "csrf_token": csrf(rita),
            "action": "complete",
            "decision": "complete",
            "employees_trained": "many",
        },
    )

    assert response.status_code == 422
    assert field_errors(response.text) == {
        "employees_trained": (
            "Enter a whole number for \u201cEmployees trained in recordkeeping\u201d, like 12"
        ),
        "office": "Choose an option for \u201cReviewing office\u201d",
    }
    shown = input_values(response.text)
    assert shown["decision"] == ["complete"]
    assert shown["employees_trained"] == ["many"]
    assert instances.instance(world.services, case_id)["version"] == 1
    assert [e["outcome"] for e in instances.history(world.services, case_id)][-1] == "refused"


def test_completing_returns_to_the_inbox_naming_what_happens_next(world: World) -> None:
    case_id, task_id = claimed(world, "C-1")
    rita = world.client("rita")

    response = rita.post(
        f"/tasks/{task_id}", data={"csrf_token": csrf(rita), "action": "complete", **VALID_REVIEW}
    )

    assert response.status_code == 303
    assert response.headers["Location"] == "/inbox"
    assert notices(rita.get("/inbox").text) == [
        "\u201cReview the application\u201d completed for case C-1. "
        "Next: \u201cDecide on certification\u201d for Field office Director, due Jan 20, 2026, 11:59 PM UTC."
    ]
    view = instances.instance(world.services, case_id)
    assert [t["name"] for t in view["activeTasks"]] == ["decide"]
    assert view["variables"]["employees_trained"] == 4


def test_a_draft_keeps_the_entered_values_until_the_task_is_completed(world: World) -> None:
    case_id, task_id = claimed(world, "D-1")
    rita = world.client("rita")

    saved = rita.post(
        f"/tasks/{task_id}",
        data={"csrf_token": csrf(rita), "action": "draft", "employees_trained": "-1", "notes": "Half way"},
    )

    assert saved.status_code == 303
    shown = input_values(rita.get(f"/tasks/{task_id}").text)
    assert shown["employees_trained"] == ["-1"]
    assert shown["notes"] == ["Half way"]
    assert instances.instance(world.services, case_id)["version"] == 1

    rita.post(f"/tasks/{task_id}", data={"csrf_token": csrf(rita), "action": "complete", **VALID_REVIEW})
    with world.services.db.unit_of_work(readonly=True) as uow:
        assert uow.inbox.draft(task_id, "rita") is None


def test_a_task_completed_meanwhile_by_someone_else_gets_a_clear_message(world: World) -> None:
    _, task_id = claimed(world, "S-1")
    rita = world.client("rita")
    token = csrf(rita, f"/tasks/{task_id}")  # rita has the form open
    tasks.complete(
        world.services,
        task_id,
        {"decision": "complete", "employees_trained": 1, "office": "houston"},
        world.actor("sam"),
    )

    response = rita.post(
        f"/tasks/{task_id}", data={"csrf_token": token, "action": "complete", **VALID_REVIEW}
    )

    assert response.status_code == 409
    assert notices(response.text) == [
        "Nothing was saved: sam completed this task on Jan 5, 2026, 9:00 AM UTC."
    ]
    # The form is gone, but what rita typed is there to copy, read-only.
    typed = lxml_html.fromstring(response.text).xpath("//textarea[@readonly]")
    assert {t.text for t in typed} >= {"complete", "4", "houston"}


def test_an_unclaimed_task_must_be_claimed_before_its_form_is_sent(world: World) -> None:
    case_id = world.start_case("U-1")
    task_id = world.open_task(case_id)["id"]
    rita = world.client("rita")

    response = rita.post(
        f"/tasks/{task_id}", data={"csrf_token": csrf(rita), "action": "complete", **VALID_REVIEW}
    )

    assert response.status_code == 409
    assert notices(response.text) == ["Nothing was saved: Claim this task before working on it."]
    assert instances.instance(world.services, case_id)["version"] == 1


def test_the_case_page_lists_deadlines_with_their_citation_and_suspension_periods(
    world: World, clock: MovableClock
) -> None:
    case_id = world.start_case("K-1")
    sam = world.actor("sam")
    lifecycle.suspend(world.services, case_id, sam, "waiting for the applicant")
    clock.advance(days=3)
    lifecycle.resume(world.services, case_id, sam, "information received")

    page = world.client("rita").get(f"/cases/{case_id}")

    assert page.status_code == 200
    progress, deadlines, suspensions = page_tables(page.text)
    assert progress == [
        {"Element": "Application received", "State": "Completed"},
        {"Element": "Review the application", "State": "Active"},
    ]  # in the order the case ran, by name (no internal ids)
    assert deadlines == [
        {"What": "Review the application task", "Due": "Feb 4, 2026, 11:59 PM UTC", "Set by": "§163.12(c)(1)"}
    ]
    assert suspensions == [
        {
            "From": "Jan 5, 2026, 9:00 AM UTC",
            "Until": "Jan 8, 2026, 9:00 AM UTC",
            "Days": "3",
            "By": "sam",
            "Reason": "waiting for the applicant",
        }
    ]
