"""A form sent after the task changed hands keeps what was typed and says who has the task now."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from service.actions import tasks
from service.clock import MovableClock
from tests.e2e.inbox_browser_support import axe_violations, new_page, shot, sign_in
from tests.e2e.inbox_pages_support import claimed
from tests.e2e.inbox_world import World, build_world, serving
from tests.support import Switchboard, make_services

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def world(sqlite_url: str, tmp_path: Path, clock: MovableClock, board: Switchboard) -> Iterator[World]:
    services = make_services(sqlite_url, tmp_path, clock, board)
    yield build_world(services)
    services.close()


@pytest.fixture
def site(world: World) -> Iterator[str]:
    with serving(world.app) as base:
        yield base


def test_a_submit_after_a_reassignment_keeps_the_typed_values_and_names_who_has_the_task(
    browser: Browser, world: World, site: str
) -> None:
    case_id, task_id = claimed(world, "ST-1", "rita")
    page = new_page(browser)
    sign_in(page, world, site, "rita")
    page.goto(f"{site}/tasks/{task_id}")
    page.get_by_label("Complete: send to the Director").check()
    page.get_by_label("Employees trained in recordkeeping").fill("7")
    page.get_by_label("Reviewing office").select_option("houston")
    page.get_by_label("Notes for the Director").fill("Two hours of careful reading.")

    world.ensure_user("rob")
    tasks.reassign(world.services, task_id, world.actor("sam"), "rob")  # meanwhile, a supervisor
    page.get_by_role("button", name="Complete task").click()

    alert = page.get_by_role("alert")
    expect(alert).to_have_text(
        "Nothing was saved: sam reassigned this task to rob on Jan 5, 2026, 9:00 AM UTC."
    )
    expect(page.get_by_label("Employees trained in recordkeeping")).to_have_value("7")
    expect(page.get_by_label("Reviewing office")).to_have_value("houston")
    expect(page.get_by_label("Notes for the Director")).to_have_value("Two hours of careful reading.")
    expect(page.get_by_label("Complete: send to the Director")).to_be_checked()
    expect(page.get_by_role("button", name="Complete task")).to_have_count(0)  # rob's task now
    assert world.open_task(case_id)["assignee"] == "rob"
    assert axe_violations(page) == []
    shot(page, "stale-submit-reassigned")


def test_a_submit_after_someone_completed_the_task_shows_the_typed_values_read_only_to_copy(
    browser: Browser, world: World, site: str
) -> None:
    _, task_id = claimed(world, "ST-2", "rita")
    page = new_page(browser)
    sign_in(page, world, site, "rita")
    page.goto(f"{site}/tasks/{task_id}")
    page.get_by_label("Complete: send to the Director").check()
    page.get_by_label("Employees trained in recordkeeping").fill("9")
    page.get_by_label("Reviewing office").select_option("houston")
    page.get_by_label("Notes for the Director").fill("Keep this paragraph.")

    done = {"decision": "complete", "employees_trained": 1, "office": "houston"}
    tasks.complete(world.services, task_id, done, world.actor("sam"))  # meanwhile, a supervisor
    page.get_by_role("button", name="Complete task").click()

    expect(page.get_by_role("alert")).to_have_text(
        "Nothing was saved: sam completed this task on Jan 5, 2026, 9:00 AM UTC."
    )
    expect(page.get_by_label("Notes")).to_have_value("Keep this paragraph.")
    expect(page.get_by_label("Notes")).not_to_be_editable()
    expect(page.get_by_label("Employees trained")).to_have_value("9")
    assert axe_violations(page) == []
    shot(page, "stale-submit-completed")
