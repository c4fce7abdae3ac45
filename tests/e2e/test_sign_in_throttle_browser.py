"""In Chromium: after five wrong passwords the sign-in page says how long to wait, then lets in."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from service.clock import MovableClock
from tests.e2e.inbox_browser_support import new_page
from tests.e2e.inbox_world import PASSWORD, World, build_world, serving
from tests.support import Switchboard, make_services

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def world(sqlite_url: str, tmp_path: Path, clock: MovableClock, board: Switchboard) -> Iterator[World]:
    services = make_services(sqlite_url, tmp_path, clock, board)
    yield build_world(services, ("rita",))
    services.close()


def _submit(page: Page, site: str, password: str) -> int:
    page.goto(f"{site}/login")
    page.get_by_label("Username").fill("rita")
    page.get_by_label("Password").fill(password)
    with page.expect_response(lambda r: r.url.endswith("/login") and r.request.method == "POST") as answer:
        page.get_by_role("button", name="Sign in").click()
    return answer.value.status


def test_the_sign_in_page_says_how_long_to_wait_and_lets_in_afterwards(
    browser: Browser, world: World, clock: MovableClock
) -> None:
    page = new_page(browser)
    with serving(world.app) as site:
        assert [_submit(page, site, "not-the-password") for _ in range(5)] == [401] * 5

        assert _submit(page, site, PASSWORD) == 429
        alert = page.get_by_role("alert")
        expect(alert).to_contain_text("Too many failed sign-ins. Try again in 30 seconds.")

        clock.advance(timedelta(seconds=31))
        _submit(page, site, PASSWORD)
        expect(page.get_by_role("heading", level=1, name="Inbox")).to_be_visible()
