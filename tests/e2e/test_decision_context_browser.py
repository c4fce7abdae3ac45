"""The Director reads the reviewer's recommendation and its reasons beside the decision form (Chromium)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from service import create_app
from service.clock import MovableClock
from tests.e2e.inbox_browser_support import (
    axe_violations,
    claim_from_queue,
    console_errors,
    new_page,
    shot,
    sign_in,
)
from tests.e2e.inbox_world import World, serving
from tests.integration.test_scenarios_applications import REVIEW_FORM, application
from tests.program_support import REVIEWER, Case, program_services

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def world(sqlite_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[World]:
    services = program_services(sqlite_url, tmp_path, clock)
    yield World(services, create_app(services=services))
    services.close()


def test_the_director_sees_the_recommendation_and_its_reasons_beside_the_decision_form(
    browser: Browser, world: World, clock: MovableClock
) -> None:
    world.ensure_user("rita")  # the reviewer, named on the page by her display name
    case = Case.start(world.services, clock, "application_review", application("A-2026-401"), "A-2026-401")
    case.complete(
        "review_application",
        {
            **REVIEW_FORM,
            "review_next_step": "recommend_denial",
            "review_reasons": "No responsible individual is designated (§163.12(b)(3)(iv)).",
        },
        REVIEWER,
    )
    page = new_page(browser)
    with serving(world.app) as site:
        sign_in(page, world, site, "dana")
        claim_from_queue(page, "A-2026-401")
        expect(page.get_by_role("heading", level=1, name="Approve or deny the application")).to_be_visible()

        context = page.get_by_role("region", name="Before you decide")
        expect(context).to_be_visible()
        recommendation = context.locator("div").filter(
            has=page.get_by_role("term").filter(has_text="Reviewer's recommendation")
        )
        expect(recommendation.get_by_role("definition")).to_have_text("Recommend denial")
        reasons = context.locator("div").filter(
            has=page.get_by_role("term").filter(has_text="Reasons for the recommendation")
        )
        expect(reasons.get_by_role("definition")).to_have_text(
            "No responsible individual is designated (§163.12(b)(3)(iv))."
        )
        expect(context).to_contain_text("(iv) Designated a responsible individual: Shown")
        by = context.locator("div").filter(has=page.get_by_role("term").filter(has_text="Recommended by"))
        expect(by.get_by_role("definition")).to_have_text("Rita Reviewer, Jan 5, 2026, 4:00 AM EST")
        expect(context.locator("input, textarea, select")).to_have_count(0)  # read-only
        expect(context).not_to_contain_text("review_next_step")  # never a raw name
        expect(context).not_to_contain_text("recommend_denial")
        # The form stays beside it, still to be filled in.
        expect(page.get_by_role("radio", name="Deny")).not_to_be_checked()
        shot(page, "decision-context-director")
        assert axe_violations(page) == []
        assert console_errors(page) == []
