"""An analyst changes a penalty ceiling in the decision table editor (dmn-js) in Chromium.

She raises the willful ceiling of §163.6(b)(1) (a row of penalty_ceiling.dmn), first typing a
cell the server refuses (the problem is marked on the row), tries the table on the test bench,
sees the cell-level diff, and deploys with a note. A case started before keeps the old table; a
case started after uses the new one.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from service import create_app
from service.clock import MovableClock
from service.views import program
from tests.e2e.inbox_browser_support import axe_violations, console_errors, new_page, shot
from tests.e2e.inbox_world import PASSWORD, World, serving
from tests.e2e.modeler_support import sign_in_page
from tests.integration.test_scenarios_enforcement import IOR, assess, failure
from tests.program_support import INTAKE, Case, certified_recordkeeper, program_services

pytestmark = [pytest.mark.browser, pytest.mark.slow]

KEY = "penalty_ceiling"
NOTE = "Raise the willful ceiling per release to $150,000 (§163.6(b)(1)(i), as amended)"
# dmn-js adds the bpmn.io logo (kept unchanged, as its licence asks) with two inline style
# attributes the page's policy refuses; dmn.css places the logo instead. Only those two refusals
# are expected: any other console error fails the test.
LOGO_STYLES = ("vertical-align:middle", "position: absolute; bottom: 15px; right: 15px; z-index: 100;")
LOGO_HASHES = tuple(base64.b64encode(hashlib.sha256(s.encode()).digest()).decode() for s in LOGO_STYLES)


@pytest.fixture
def world(sqlite_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[World]:
    services = program_services(sqlite_url, tmp_path, clock)  # processes/ (and its tables) as version 1
    certified_recordkeeper(services, IOR)
    yield World(services, create_app(services=services))
    services.close()


def _errors(page: Page) -> list[str]:
    return [e for e in console_errors(page) if not any(h in e for h in LOGO_HASHES)]


def _type_cell(page: Page, element_id: str, text: str) -> None:
    """Replace a table cell's text as an analyst types it, then leave the cell."""
    page.click(f'#table-editor td[data-element-id="{element_id}"]')
    page.keyboard.press("Control+A")
    page.keyboard.type(text)
    page.click("#bench-heading")  # leaving the cell commits it
    page.wait_for_timeout(200)


def _open_the_table(page: Page, site: str, world: World) -> None:
    world.ensure_user("ana")
    sign_in_page(page, site, "ana", PASSWORD)
    row = page.locator(f'#decision-tables tr[data-decision="{KEY}"]')
    expect(row).to_contain_text("penalty_ceiling.dmn")
    assert axe_violations(page) == []  # the processes and tables page
    row.get_by_role("link", name="Edit table").click()
    page.wait_for_selector("body[data-modeler-ready=true]")
    expect(page.locator('#table-editor td[data-element-id="rule_willful_out1"]')).to_have_text("100000")


def _a_refused_cell_is_marked_on_its_row(page: Page) -> None:
    _type_cell(page, "rule_willful_out1", '"a lot"')
    page.click("#validate")
    issue = page.locator("#issues li.issue--error")
    expect(issue).to_have_count(1)
    assert issue.get_attribute("data-element-id") == "rule_willful"
    expect(issue).to_contain_text("is not a number")
    row = page.locator('#table-editor td.rule-index[data-element-id="rule_willful"] >> xpath=..')
    expect(row).to_have_class("rcp-rule-error")
    shot(page, "decisions-1-refused-cell-marked")


def _the_bench_shows_the_new_ceiling(page: Page) -> None:
    _type_cell(page, "rule_willful_out1", "150000")
    page.click("#validate")
    expect(page.locator("#issues-summary")).to_have_text("No problems found.")
    page.get_by_label("violation_willful").fill("yes")
    page.get_by_role("button", name="Try the table").click()
    expect(page.locator("#bench-hit")).to_contain_text("Rule 1 hits (rule_willful)")
    expect(page.locator('#bench-outputs dd[data-output="ceiling_maximum"]')).to_have_text("150000")
    expect(page.locator('#bench-outputs dd[data-output="ceiling_percent"]')).to_have_text("75")
    page.get_by_label("violation_willful").fill("no")
    page.get_by_role("button", name="Try the table").click()
    expect(page.locator("#bench-hit")).to_contain_text("Rule 2 hits (rule_negligent)")
    expect(page.locator('#bench-outputs dd[data-output="ceiling_maximum"]')).to_have_text("10000")


def _the_diff_shows_one_cell(page: Page) -> None:
    page.get_by_role("button", name="Show changes from version 1").click()
    changed = page.locator("#rule-changes tbody tr")
    expect(changed).to_have_count(1)
    assert changed.get_attribute("data-rule-id") == "rule_willful"
    assert changed.get_attribute("data-kind") == "changed"
    cell = changed.locator("li.cell-change")
    expect(cell).to_have_count(1)
    expect(cell).to_contain_text("Maximum per release (USD)")
    expect(cell.locator("del")).to_have_text("100000")
    expect(cell.locator("ins")).to_have_text("150000")
    rows = page.locator("#table-editor tbody tr")
    expect(page.locator("#table-editor tr.rcp-rule-changed")).to_have_count(1)  # marked in the table too
    expect(rows.filter(has=page.locator('td.rule-index[data-element-id="rule_willful"]'))).to_have_class(
        re.compile(r"\brcp-rule-changed\b")
    )
    shot(page, "decisions-2-bench-and-diff")


def _deploy(page: Page) -> None:
    page.click("#deploy")
    expect(page.locator("#note-error")).to_be_visible()
    page.fill("#note", NOTE)
    page.click("#deploy")
    expect(page.locator(f'#deploy-result .deployed[data-key="{KEY}"][data-version="2"]')).to_be_visible()
    expect(page.locator("#deploy-result .reversioned")).to_contain_text("notice_of_violation")
    expect(page.locator("#editor-title")).to_contain_text("from version 2")
    expect(page.locator("#compare")).to_have_text("Show changes from version 2")


def _the_versions_page_shows_the_change(page: Page, site: str) -> None:
    page.goto(f"{site}/modeler/decisions/{KEY}/versions")
    expect(page.locator('#versions tr[data-version="2"]')).to_contain_text(NOTE)
    cell = page.locator('tr[data-rule-id="rule_willful"] li.cell-change')
    expect(cell.locator("ins")).to_have_text("150000")
    assert axe_violations(page) == []


def test_an_analyst_raises_a_penalty_ceiling_and_only_new_cases_use_it(
    browser: Browser, world: World, clock: MovableClock
) -> None:
    # Willful, one release appraised at $400,000: 75 % is $300,000, so the fixed maximum caps it.
    before = Case.start(world.services, clock, "notice_of_violation", failure("D-501", "400000.00"), "D-501")
    page = new_page(browser)
    with serving(world.app) as site:
        _open_the_table(page, site, world)
        _a_refused_cell_is_marked_on_its_row(page)
        _the_bench_shows_the_new_ceiling(page)
        _the_diff_shows_one_cell(page)
        assert axe_violations(page) == []
        _deploy(page)
        _the_versions_page_shows_the_change(page, site)
    assert _errors(page) == []

    after = Case.start(world.services, clock, "notice_of_violation", failure("D-502", "400000.00"), "D-502")
    assert (before.view()["definitionVersion"], after.view()["definitionVersion"]) == (1, 2)
    assess(before, willful="yes")  # decided after the deployment, on the table its version pins
    before.complete("open_penalty_case", {"penalty_case_number": "PEN-2026-51"})
    assess(after, willful="yes")
    after.complete("open_penalty_case", {"penalty_case_number": "PEN-2026-52"})
    referrals = [
        v
        for v in program.recordkeeper(world.services, INTAKE, IOR)["violations"]
        if v["kind"] == "penalty_referral"
    ]
    assert [r["ceiling_total"] for r in referrals] == ["100000.00", "150000.00"], referrals
