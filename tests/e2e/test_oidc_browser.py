"""Staff sign in through the agency's OpenID Connect provider in real Chromium, work a task, sign out.

The provider is the npm package oidc-provider, started on loopback for the test with its own
login and consent pages; the service runs on another origin (127.0.0.1 against localhost), as a
provider of its own would in an agency. Screenshots go to ``artifacts/screenshots/``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from service.clock import MovableClock
from service.identity import users
from tests.e2e.inbox_browser_support import (
    axe_violations,
    claim_from_queue,
    console_errors,
    new_page,
    shot,
)
from tests.e2e.inbox_world import World, build_world, serving
from tests.oidc import Provider, free_port, running_provider
from tests.support import Switchboard, make_services

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def agency(
    sqlite_url: str, tmp_path: Path, clock: MovableClock, board: Switchboard
) -> Iterator[tuple[World, str, Provider]]:
    """Serve the inbox with OIDC sign-in against a provider started on loopback for it."""
    port = free_port()  # the issuer goes into the settings before the provider runs
    services = make_services(sqlite_url, tmp_path, clock, board)
    settings = Provider(f"http://localhost:{port}", ()).settings()
    services.settings = replace(services.settings, oidc=settings)
    world = build_world(services)
    with serving(world.app) as site, running_provider(port, [site]) as provider:
        yield world, site, provider
    services.close()


def _log_in_at_the_provider(page: Page, provider: Provider, login: str) -> None:
    """Fill the provider's own login page, then consent to sharing the profile with the service."""
    expect(page).to_have_url(re.compile(rf"^{re.escape(provider.issuer)}/interaction/"))
    page.locator("input[name='login']").fill(login)
    page.locator("input[name='password']").fill("any password will do here")
    page.get_by_role("button", name="Sign-in").click()
    page.get_by_role("button", name="Continue").click()


def _complete_the_review(page: Page) -> None:
    page.get_by_label("Complete: send to the Director").check()
    page.get_by_label("Employees trained in recordkeeping").fill("7")
    page.get_by_label("Reviewing office").select_option("houston")
    page.get_by_label("Notes for the Director").fill("Signed in through the agency.")
    page.get_by_role("button", name="Complete task").click()


def test_a_reviewer_signs_in_at_the_agency_provider_completes_a_task_and_signs_out(
    browser: Browser, agency: tuple[World, str, Provider]
) -> None:
    world, site, provider = agency
    case_id = world.start_case("OIDC-1")
    page = new_page(browser)
    page.goto(f"{site}/inbox?view=queue")
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
    assert axe_violations(page) == []
    shot(page, "oidc-1-sign-in-page")

    page.get_by_role("link", name="Sign in with CBP Login").click()
    _log_in_at_the_provider(page, provider, "jane")

    expect(page.get_by_role("heading", level=1, name="Inbox")).to_be_visible()
    expect(page).to_have_url(f"{site}/inbox?view=queue")
    expect(page.locator("header")).to_contain_text("Signed in as Jane Doe (reviewers)")
    shot(page, "oidc-2-group-queue")
    claim_from_queue(page, "OIDC-1")
    expect(page.get_by_role("heading", level=1, name="Review the application")).to_be_visible()
    _complete_the_review(page)
    expect(page.get_by_role("status")).to_contain_text(
        "\u201cReview the application\u201d completed for case OIDC-1."
    )
    assert world.open_task(case_id)["candidateGroup"] == "field_director"
    assert console_errors(page) == []

    page.get_by_role("button", name="Sign out").click()
    page.get_by_role("button", name="Yes, sign me out").click()
    expect(page).to_have_url(re.compile(rf"^{re.escape(site)}/login"))
    expect(page.get_by_role("status")).to_contain_text("You are signed out.")
    shot(page, "oidc-3-signed-out")
    page.goto(f"{site}/inbox")
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
    jane = users.active_user(world.services, "jane.doe")
    assert jane is not None and jane.groups == ("reviewers",)


def test_a_staff_member_without_a_mapped_group_sees_they_have_no_access(
    browser: Browser, agency: tuple[World, str, Provider]
) -> None:
    _, site, provider = agency
    page = new_page(browser)
    page.goto(f"{site}/login")
    page.get_by_role("link", name="Sign in with CBP Login").click()
    _log_in_at_the_provider(page, provider, "olga")

    expect(page.get_by_role("heading", level=1, name="No access to this program")).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("You signed in as olga, but none of your groups")
    assert axe_violations(page) == []
    shot(page, "oidc-4-no-access")
    page.goto(f"{site}/inbox")
    expect(page.get_by_role("heading", level=1, name="Sign in")).to_be_visible()
