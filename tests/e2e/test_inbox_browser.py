"""Staff work a case in real Chromium: claim, fix a field error, complete, see the case diagram.

Screenshots of every step go to ``artifacts/screenshots/`` (``RCP_SCREENSHOTS_DIR`` overrides it);
CI keeps that folder as an artefact. axe-core checks each page for WCAG 2.1 AA violations.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect

from service.clock import MovableClock
from tests.e2e.inbox_browser_support import (
    axe_violations,
    claim_from_queue,
    console_errors,
    marker_of,
    new_page,
    shot,
    sign_in,
    tab_to,
    wait_for_diagram,
)
from tests.e2e.inbox_world import PASSWORD, World, build_world, serving
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


def _submit_with_a_negative_count(page: Page) -> None:
    """Fill the review form with a count below zero and submit it."""
    page.get_by_label("Complete: send to the Director").check()
    page.get_by_label("Employees trained in recordkeeping").fill("-3")
    page.get_by_label("Reviewing office").select_option("houston")
    page.get_by_label("Notes for the Director").fill("Procedures look sound.")
    page.get_by_role("button", name="Complete task").click()


def _assert_the_error_is_linked_and_every_entry_kept(page: Page) -> None:
    """Check the error summary links to the field, which is marked, and nothing typed was lost."""
    summary = page.get_by_role("alert").filter(has_text="There is a problem")
    expect(summary).to_be_visible()
    expect(
        summary.get_by_role(
            "link", name="Enter a number of at least 0 for \u201cEmployees trained in recordkeeping\u201d"
        )
    ).to_have_attribute("href", "#field-employees_trained")
    expect(page.locator("#error-employees_trained")).to_contain_text(
        "Enter a number of at least 0 for \u201cEmployees trained in recordkeeping\u201d"
    )
    expect(page.get_by_label("Employees trained in recordkeeping")).to_have_value("-3")
    expect(page.get_by_label("Employees trained in recordkeeping")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Complete: send to the Director")).to_be_checked()
    expect(page.get_by_label("Reviewing office")).to_have_value("houston")
    expect(page.get_by_label("Notes for the Director")).to_have_value("Procedures look sound.")


def _assert_the_diagram_shows_the_decision_next(page: Page) -> None:
    """Check the case diagram and progress table mark the review done and the decision active."""
    wait_for_diagram(page)
    assert "rcp-active" in marker_of(page, "decide")
    assert "rcp-completed" in marker_of(page, "review")
    assert "rcp-active" not in marker_of(page, "review")
    assert console_errors(page) == []
    progress = page.get_by_role("table", name="Progress by diagram element")
    expect(progress.get_by_role("row", name=re.compile(r"Decide on certification"))).to_contain_text("Active")


def test_a_reviewer_claims_fixes_an_invalid_value_completes_and_sees_the_next_task_on_the_diagram(
    browser: Browser, world: World, site: str
) -> None:
    case_id = world.start_case("A-1")
    page = new_page(browser)
    sign_in(page, world, site, "rita")
    claim_from_queue(page, "A-1")
    expect(page.get_by_role("heading", level=1, name="Review the application")).to_be_visible()
    shot(page, "flow-1-claimed-task")

    _submit_with_a_negative_count(page)
    _assert_the_error_is_linked_and_every_entry_kept(page)
    shot(page, "flow-2-field-error")

    page.get_by_label("Employees trained in recordkeeping").fill("12")
    page.get_by_role("button", name="Complete task").click()
    confirmation = page.get_by_role("status")
    expect(confirmation).to_contain_text("\u201cReview the application\u201d completed for case A-1.")
    expect(confirmation).to_contain_text(
        "Next: \u201cDecide on certification\u201d for Field office Director"
    )
    shot(page, "flow-3-completed")

    page.goto(f"{site}/cases/{case_id}")
    _assert_the_diagram_shows_the_decision_next(page)
    shot(page, "flow-4-case-diagram")


def test_a_second_reviewer_claiming_the_same_task_is_told_who_claimed_it_first(
    browser: Browser, world: World, site: str
) -> None:
    world.start_case("A-2")
    late = new_page(browser)
    sign_in(late, world, site, "rob")
    late.get_by_role("link", name=re.compile(r"^Group queue")).click()
    expect(late.get_by_role("row").filter(has_text="A-2")).to_be_visible()

    first = new_page(browser)
    sign_in(first, world, site, "rita")
    claim_from_queue(first, "A-2")
    expect(first.get_by_role("heading", level=1, name="Review the application")).to_be_visible()

    late.get_by_role("row").filter(has_text="A-2").get_by_role("button", name=re.compile(r"^Claim")).click()
    expect(late.get_by_role("alert")).to_have_text("This task is already claimed by rita.")
    expect(late.get_by_role("row").filter(has_text="A-2")).to_have_count(0)
    shot(late, "claim-already-claimed")


def test_a_user_of_another_group_can_neither_list_nor_open_the_task(
    browser: Browser, world: World, site: str
) -> None:
    case_id = world.start_case("A-3")
    task = world.open_task(case_id)
    page = new_page(browser)
    sign_in(page, world, site, "fred")
    page.get_by_role("link", name=re.compile(r"^Group queue")).click()
    expect(page.get_by_role("row").filter(has_text="A-3")).to_have_count(0)

    for url in (f"{site}/tasks/{task['id']}", f"{site}/cases/{case_id}"):
        response = page.goto(url)
        assert response is not None and response.status == 404
        expect(page.get_by_role("heading", level=1)).to_have_text("Not found")
        expect(page.locator("main")).not_to_contain_text("Review the application")
        expect(page.locator("main")).not_to_contain_text("Acme Imports")
    shot(page, "other-group-not-found")


def test_login_inbox_task_and_case_pages_have_no_serious_or_critical_accessibility_violations(
    browser: Browser, world: World, site: str
) -> None:
    case_id = world.start_case("A-4")
    page = new_page(browser)
    found: dict[str, list[dict[str, Any]]] = {}
    page.goto(f"{site}/login")
    found["login"] = axe_violations(page)
    sign_in(page, world, site, "rita")
    page.get_by_role("link", name=re.compile(r"^Group queue")).click()
    found["inbox"] = axe_violations(page)
    claim_from_queue(page, "A-4")
    found["task"] = axe_violations(page)
    page.get_by_role("button", name="Complete task").click()
    expect(page.get_by_role("alert").filter(has_text="There is a problem")).to_be_visible()
    found["task with errors"] = axe_violations(page)
    page.goto(f"{site}/cases/{case_id}")
    wait_for_diagram(page)
    found["case"] = axe_violations(page)
    shot(page, "axe-case-page")

    assert {name: v for name, v in found.items() if v} == {}, json.dumps(found, indent=1)


def _sign_in_with_the_keyboard(page: Page, site: str) -> None:
    """Type the username and password into the login page and press Enter."""
    page.goto(f"{site}/login")
    # Keys sent while the page is still settling can be dropped by the browser under load; start
    # typing once nothing is loading and the page has put the focus on the username field.
    page.wait_for_load_state("networkidle")
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type("rita")
    expect(page.get_by_label("Username")).to_have_value("rita")
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1, name="Inbox")).to_be_visible()


def _claim_with_the_keyboard(page: Page) -> None:
    """Tab to the group queue, open it, and claim the first task there."""
    tab_to(page, "a[href*='view=queue']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"view=queue"))
    tab_to(page, "form[action$='/claim'] button")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/tasks/[0-9a-f-]+$"))
    expect(page.get_by_role("heading", level=1, name="Review the application")).to_be_visible()


def _fill_the_form_with_the_keyboard(page: Page) -> None:
    """Check the decision, type a count, check the procedure and pick the office by typing."""
    tab_to(page, "#field-decision")
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    page.keyboard.type("7")
    page.keyboard.press("Tab")
    page.keyboard.press("Space")  # procedure checked
    page.keyboard.press("Tab")
    page.keyboard.type("Houston")  # type-ahead in the office list
    expect(page.locator("#field-decision")).to_be_checked()
    expect(page.locator("#field-employees_trained")).to_have_value("7")
    expect(page.locator("#field-office")).to_have_value("houston")


def test_a_reviewer_completes_a_task_with_the_keyboard_alone(
    browser: Browser, world: World, site: str
) -> None:
    world.start_case("A-5")
    world.ensure_user("rita")
    page = new_page(browser)
    _sign_in_with_the_keyboard(page, site)
    _claim_with_the_keyboard(page)
    _fill_the_form_with_the_keyboard(page)
    tab_to(page, "button[value='complete']")
    shot(page, "keyboard-form-filled")
    page.keyboard.press("Enter")

    expect(page.get_by_role("status")).to_contain_text(
        "\u201cReview the application\u201d completed for case A-5."
    )
    shot(page, "keyboard-completed")


def test_the_programs_application_review_form_and_case_page_pass_axe_and_draw_the_diagram(
    browser: Browser, sqlite_url: str, tmp_path: Path, clock: MovableClock
) -> None:
    from service import create_app
    from tests.integration.test_scenarios_applications import application
    from tests.program_support import Case, program_services

    services = program_services(sqlite_url, tmp_path, clock)
    try:
        program = World(services, create_app(services=services))
        case = Case.start(services, clock, "application_review", application(), "A-2026-009")
        with serving(program.app) as site:
            page = new_page(browser)
            sign_in(page, program, site, "rita")
            claim_from_queue(page, "A-2026-009")
            expect(
                page.get_by_role("group", name=re.compile(r"^Showing under §163.12\(b\)\(3\)"))
            ).to_be_visible()
            found = {"review form": axe_violations(page)}
            shot(page, "program-review-form")
            page.goto(f"{site}/cases/{case.id}")
            wait_for_diagram(page)
            assert "rcp-active" in marker_of(page, "review_application")
            found["case"] = axe_violations(page)
            assert console_errors(page) == []
            shot(page, "program-case-page")
    finally:
        services.close()
    assert {name: v for name, v in found.items() if v} == {}, json.dumps(found, indent=1)
