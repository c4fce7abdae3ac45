"""Issue 13's details in real Chromium: sortable inbox columns, diagram zoom, 390 px, landing pages."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from service.clock import MovableClock
from tests.e2e.inbox_browser_support import (
    axe_violations,
    console_errors,
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


def _case_keys(page: Page) -> list[str]:
    return page.locator("table.table--stack tbody a.key").all_inner_texts()


def test_a_reviewer_sorts_the_queue_by_case_with_the_keyboard_and_back(
    browser: Browser, world: World, site: str, clock: MovableClock
) -> None:
    for key in ("B-2", "C-3", "A-1"):
        world.start_case(key)
        clock.advance(seconds=60)
    page = new_page(browser)
    sign_in(page, world, site, "rita")
    page.goto(f"{site}/inbox?view=queue")
    assert _case_keys(page) == ["B-2", "C-3", "A-1"]  # same due date: in the order they arrived
    expect(page.locator("table.table--stack tbody .lane").first).to_have_text("Reviewers")

    tab_to(page, "th a.sort[href*='sort=case']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("columnheader", name=re.compile("^Case"))).to_have_attribute(
        "aria-sort", "ascending"
    )
    assert _case_keys(page) == ["A-1", "B-2", "C-3"]
    tab_to(page, "th a.sort[href*='sort=case']")
    page.keyboard.press("Enter")
    expect(page.get_by_role("columnheader", name=re.compile("^Case"))).to_have_attribute(
        "aria-sort", "descending"
    )
    assert _case_keys(page) == ["C-3", "B-2", "A-1"]
    expect(page.locator("caption")).to_contain_text("by case number (descending)")
    assert axe_violations(page) == []
    shot(page, "details-inbox-sorted")


def test_the_zoom_buttons_and_keys_change_the_case_diagrams_zoom(
    browser: Browser, world: World, site: str
) -> None:
    case_id = world.start_case("Z-1")
    page = new_page(browser)
    sign_in(page, world, site, "rita")
    page.goto(f"{site}/cases/{case_id}")
    wait_for_diagram(page)
    expect(page.locator(".timeline").last).to_contain_text("portal (integrator)")  # who, never kind:name
    expect(page.get_by_role("main")).not_to_contain_text("integrator:portal")
    diagram = page.locator("#diagram")
    fitted = float(diagram.get_attribute("data-zoom") or 0)

    page.get_by_role("button", name="Zoom in").click()
    zoomed_in = float(diagram.get_attribute("data-zoom") or 0)
    assert zoomed_in > fitted
    page.get_by_role("button", name="Zoom out").click()
    page.get_by_role("button", name="Zoom out").click()
    assert float(diagram.get_attribute("data-zoom") or 0) < fitted
    page.get_by_role("button", name="Fit to view").click()
    assert float(diagram.get_attribute("data-zoom") or 0) == pytest.approx(fitted, abs=0.01)

    diagram.focus()
    page.keyboard.press("+")
    assert float(diagram.get_attribute("data-zoom") or 0) > fitted
    before = page.locator("#diagram .viewport").get_attribute("transform")
    page.keyboard.press("ArrowRight")
    assert page.locator("#diagram .viewport").get_attribute("transform") != before
    page.keyboard.press("0")
    assert float(diagram.get_attribute("data-zoom") or 0) == pytest.approx(fitted, abs=0.01)
    assert axe_violations(page) == []
    assert console_errors(page) == []


def _no_sideways_scroll(page: Page) -> int:
    return int(page.evaluate("document.documentElement.scrollWidth"))


def test_at_390_pixels_no_page_scrolls_sideways(browser: Browser, world: World, site: str) -> None:
    case_id = world.start_case("RCP-2026-000123-LONG-KEY", applicant="Long Name Imports and Logistics LLC")
    task_id = world.open_task(case_id)["id"]
    context = browser.new_context(viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{site}/login")
    assert _no_sideways_scroll(page) <= 390
    assert axe_violations(page) == []
    sign_in(page, world, site, "sam")
    for path in ("/inbox?view=all", "/inbox?view=queue", f"/tasks/{task_id}", f"/cases/{case_id}"):
        page.goto(site + path)
        if path.startswith("/cases"):
            wait_for_diagram(page)
        assert _no_sideways_scroll(page) <= 390, path
        assert axe_violations(page) == [], path
        shot(page, "details-390-" + path.strip("/").split("/")[0].split("?")[0])
    context.close()


def test_an_analyst_lands_in_the_modeler_and_a_reviewer_in_the_inbox(
    browser: Browser, world: World, site: str
) -> None:
    world.ensure_user("ana")
    page = new_page(browser)
    page.goto(f"{site}/login")
    expect(page.get_by_text("rcp user create")).to_have_count(0)
    expect(page.get_by_text(re.compile("Ask the Regulatory Audit Field Office"))).to_be_visible()
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/modeler/$"))
    expect(page.get_by_role("main")).to_contain_text("by portal")  # the deploying integrator, by name
    expect(page.get_by_role("main")).not_to_contain_text("integrator:portal")
    assert axe_violations(page) == []

    other = new_page(browser)
    sign_in(other, world, site, "rita")
    expect(other).to_have_url(re.compile(r"/inbox$"))


def test_an_analyst_sent_to_a_page_keeps_it(browser: Browser, world: World, site: str) -> None:
    world.ensure_user("ana")
    page = new_page(browser)
    page.goto(f"{site}/inbox?view=queue")
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page).to_have_url(re.compile(r"/inbox\?view=queue$"))
