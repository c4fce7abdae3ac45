"""Case actions in real Chromium: a supervisor suspends and resumes a case; the Director starts one.

axe-core checks the case page's Actions, the reason form shown again, and the start pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from service.clock import MovableClock
from tests.e2e.inbox_browser_support import axe_violations, new_page, shot, sign_in
from tests.e2e.inbox_world import World, build_world, serving
from tests.program_support import program_services

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def world(sqlite_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[World]:
    services = program_services(sqlite_url, tmp_path, clock)
    yield build_world(services)
    services.close()


@pytest.fixture
def site(world: World) -> Iterator[str]:
    with serving(world.app) as base:
        yield base


def _status(page: Page) -> str:
    return page.locator("dl.summary div").filter(has_text="Status").locator("dd").inner_text()


def _suspensions(page: Page) -> str:
    return page.locator("section[aria-labelledby='suspensions-title']").inner_text()


def test_a_supervisor_suspends_and_resumes_a_case_with_a_reason(
    browser: Browser, world: World, site: str
) -> None:
    case = world.start_case("AP-2026-0100", applicant="Harbor Freight Forwarders")
    page = new_page(browser)
    sign_in(page, world, site, "sam")
    page.goto(f"{site}/cases/{case}")
    assert axe_violations(page) == []

    page.get_by_label("Reason to suspend").fill("   ")  # passes the browser's check, not the service's
    page.get_by_role("button", name="Suspend the case").click()
    expect(page.get_by_role("heading", level=1, name="Suspend the case")).to_be_visible()
    expect(page.locator("#error-reason")).to_contain_text("Say why")
    assert axe_violations(page) == []
    shot(page, "case-actions-suspend-empty-reason")

    page.get_by_label(re.compile("^Reason")).fill("Counsel asked for two weeks")
    page.get_by_role("button", name="Suspend the case").click()
    expect(page.get_by_role("status")).to_contain_text("Case suspended")
    assert "suspended" in _status(page)
    assert "Counsel asked for two weeks" in _suspensions(page) and "sam" in _suspensions(page)
    shot(page, "case-actions-suspended")

    page.get_by_label("Reason to resume").fill("Counsel answered")
    page.get_by_role("button", name="Resume the case").click()
    expect(page.get_by_role("status")).to_contain_text("Case resumed")
    assert "suspended" not in _status(page)
    expect(page.get_by_role("button", name="Suspend the case")).to_be_visible()
    assert axe_violations(page) == []


def _fill_removal(page: Page, facts: str) -> None:
    """Fill the removal's start form as the Director would."""
    page.get_by_label("Case number").fill("RM-2026-014")
    page.get_by_label("Importer number").fill("IOR-22-1234567")
    page.get_by_label("(ii) No valid bond").check()
    page.get_by_label("Facts supporting the removal").fill(facts)
    page.get_by_label("Reason for starting the case").fill("Bond lapse reported by the surety")


def test_the_director_starts_a_removal_of_certification(browser: Browser, world: World, site: str) -> None:
    page = new_page(browser)
    sign_in(page, world, site, "dana")
    page.get_by_role("link", name="Start a case").click()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Removal of certification").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Removal of certification")
    assert axe_violations(page) == []

    _fill_removal(page, "short")
    page.get_by_role("button", name="Start the case").click()
    expect(page.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page.get_by_label("Importer number")).to_have_value("IOR-22-1234567")
    assert axe_violations(page) == []
    shot(page, "start-case-error")

    page.get_by_label("Facts supporting the removal").fill("The continuous bond lapsed on 2026-01-01.")
    page.get_by_role("button", name="Start the case").click()
    expect(page.get_by_role("heading", level=1, name="Case RM-2026-014")).to_be_visible()
    expect(page.get_by_role("status")).to_contain_text("Case RM-2026-014 started")
    shot(page, "start-case-started")
    case_url = page.url

    page.goto(f"{site}/cases/new/certification_removal")  # the same case number again
    _fill_removal(page, "The continuous bond lapsed on 2026-01-01.")
    page.get_by_role("button", name="Start the case").click()
    expect(page.get_by_role("heading", name="This case is already open")).to_be_visible()
    assert axe_violations(page) == []
    page.get_by_role("link", name="Open the case already under this number").click()
    assert page.url == case_url
