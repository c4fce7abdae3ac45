"""A refused form lists its errors in the form's order, each a sentence naming the field's label."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service import create_app
from service.actions import tasks
from service.clock import MovableClock
from service.views import instances
from tests.e2e.inbox_world import World, csrf, field_errors, input_values, list_items
from tests.integration.test_scenarios_audits import petition
from tests.program_support import Case, program_services


@pytest.fixture
def world(db_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[World]:
    services = program_services(db_url, tmp_path, clock)
    yield World(services, create_app(services=services))
    services.close()


def test_a_conference_after_the_deadline_is_refused_in_words_with_the_fields_label_in_form_order(
    world: World, clock: MovableClock
) -> None:
    case = Case.start(world.services, clock, "closing_conference_petition", petition("AU-401"), "AU-401")
    task_id = case.task("provide_conference")["id"]
    tasks.claim(world.services, task_id, world.actor("hank"))
    hank = world.client("hank")

    response = hank.post(
        f"/tasks/{task_id}",
        # The place (second on the form) is sent first; the summary still follows the form.
        data={
            "conference_place": "",
            "conference_date": "2026-01-21",
            "csrf_token": csrf(hank),
            "action": "complete",
        },
    )

    assert response.status_code == 422
    assert list_items(response.text, "//*[@id='error-summary']") == [
        "Date of the conference must be on or before 20 January 2026",
        "Enter a value for \u201cPlace (or video link)\u201d",
    ]
    assert (
        field_errors(response.text)["conference_date"]
        == "Date of the conference must be on or before 20 January 2026"
    )
    assert input_values(response.text)["conference_date"] == ["2026-01-21"]
    assert instances.instance(world.services, case.id)["activeTasks"][0]["name"] == "provide_conference"


def test_a_conference_before_the_petition_was_received_says_the_earliest_day(
    world: World, clock: MovableClock
) -> None:
    case = Case.start(world.services, clock, "closing_conference_petition", petition("AU-402"), "AU-402")
    task_id = case.task("provide_conference")["id"]
    tasks.claim(world.services, task_id, world.actor("hank"))
    hank = world.client("hank")

    response = hank.post(
        f"/tasks/{task_id}",
        data={
            "conference_date": "2026-01-04",
            "conference_place": "Room 4",
            "csrf_token": csrf(hank),
            "action": "complete",
        },
    )

    assert response.status_code == 422
    assert list_items(response.text, "//*[@id='error-summary']") == [
        "Date of the conference must be on or after 5 January 2026"
    ]
