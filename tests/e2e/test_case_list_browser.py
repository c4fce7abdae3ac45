"""The case list in real Chromium: a closed case found by its applicant's name, by keyboard alone.

axe-core checks the list for serious and critical WCAG 2.1 A/AA violations.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from service.actions import lifecycle
from service.clock import MovableClock
from tests.e2e.inbox_browser_support import (
    axe_violations,
    new_page,
    shot,
    sign_in,
    tab_to,
)
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


def _closed_and_open_cases(world: World) -> str:
    """Start three cases and cancel the one of Harbor Freight Importers; return its id."""
    closed = world.start_case("AZ-2026-0101", applicant="Harbor Freight Importers")
    world.start_case("AZ-2026-0102", applicant="Harbor Lights Trading")
    world.start_case("AZ-2026-0103", applicant="Desert Traders")
    lifecycle.cancel(world.services, closed, world.actor("sam"), "entered twice")
    return closed


def test_a_reviewer_finds_a_cancelled_case_by_the_applicants_name_and_opens_it(
    browser: Browser, world: World, site: str
) -> None:
    closed = _closed_and_open_cases(world)
    page = new_page(browser)
    sign_in(page, world, site, "rita")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Cases").click()
    expect(page.get_by_role("heading", level=1, name="Cases")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_label("Case number, applicant, importer number or notice number").fill("harbor freight")
    page.get_by_role("button", name="Search").click()

    rows = page.get_by_role("table").get_by_role("row")
    expect(rows).to_have_count(2)  # the header and the one case
    expect(rows.nth(1)).to_contain_text("Harbor Freight Importers")
    expect(rows.nth(1)).to_contain_text("Cancelled")
    assert axe_violations(page) == []
    shot(page, "case-list-closed-case-found")

    page.get_by_role("link", name="AZ-2026-0101").click()
    expect(page).to_have_url(f"{site}/cases/{closed}")
    expect(page.get_by_role("heading", level=1)).to_contain_text("AZ-2026-0101")


def _press_to(page: Page, selector: str) -> None:
    tab_to(page, selector)
    page.keyboard.press("Enter")


def test_the_case_list_is_used_with_the_keyboard_alone(browser: Browser, world: World, site: str) -> None:
    closed = _closed_and_open_cases(world)
    page = new_page(browser)
    sign_in(page, world, site, "sam")
    page.goto(f"{site}/cases")

    tab_to(page, "#case-q")
    page.keyboard.type("harbor")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/cases\?q=harbor&"))
    expect(page.get_by_role("table").get_by_role("row")).to_have_count(3)

    _press_to(page, "a.sort[href*='sort=applicant']")
    expect(page).to_have_url(re.compile(r"sort=applicant"))
    header = page.get_by_role("columnheader", name=re.compile(r"^Applicant"))
    expect(header).to_have_attribute("aria-sort", "ascending")
    names = page.locator("table tbody tr td:nth-child(2)")
    expect(names).to_have_text(["Harbor Freight Importers", "Harbor Lights Trading"])
    assert axe_violations(page) == []
    shot(page, "case-list-sorted-by-keyboard")

    _press_to(page, "table a.key")
    expect(page).to_have_url(f"{site}/cases/{closed}")
