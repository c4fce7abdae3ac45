"""What an analyst trying the modeler noticed, mended (Chromium).

The palette no longer covers the start of the diagram; the lint badge counts the server's error;
the title names the version just deployed; the versions page says times as people read them and
zooms its diff; the migration form offers the version that has running cases.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from service import create_app
from service.actions.deployment import deploy, read_directory
from service.clock import MovableClock
from service.engine.values import DiagramSource
from service.identity.actors import SYSTEM
from service.views.local_time import office_zone, when
from tests.e2e.inbox_browser_support import axe_violations, console_errors, new_page, shot
from tests.e2e.inbox_world import PASSWORD, World, serving
from tests.e2e.modeler_support import open_group, select_shape, sign_in_page, type_entry
from tests.integration.test_scenarios_applications import application
from tests.program_support import Case, program_services

pytestmark = [pytest.mark.browser, pytest.mark.slow]

KEY = "application_review"
ISO = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@pytest.fixture
def world(sqlite_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[World]:
    services = program_services(sqlite_url, tmp_path, clock)  # processes/ deployed as version 1
    yield World(services, create_app(services=services))
    services.close()


def _boxes(page: Page, selector: str) -> list[dict[str, float]]:
    return page.eval_on_selector_all(
        selector,
        "els => els.map(e => { const r = e.getBoundingClientRect(); "
        "return {left: r.left, right: r.right}; })",
    )


def _open_editor(page: Page, site: str, world: World) -> None:
    world.ensure_user("ana")
    sign_in_page(page, site, "ana", PASSWORD)
    page.click(f'tr[data-process="{KEY}"] >> text=Edit latest')
    page.wait_for_selector("body[data-modeler-ready=true]")


def _assert_the_palette_covers_nothing(page: Page) -> None:
    palette = _boxes(page, "#canvas .djs-palette")[0]
    shapes = _boxes(page, "#canvas .djs-element.djs-shape")
    assert shapes
    leftmost = min(box["left"] for box in shapes)
    assert leftmost >= palette["right"], (leftmost, palette)


def _badge(page: Page) -> str:
    return page.inner_text("#canvas .bjsl-button").strip()


def _assert_the_badge_counts_the_server_error(page: Page) -> None:
    """An unquoted timer duration passes the local lint rules; the server refuses it."""
    select_shape(page, "stop_listening")
    open_group(page, "timer")
    page.select_option("#bio-properties-panel-timerEventDefinitionType", "timeDuration")
    type_entry(page, "timerEventDefinitionValue", "P60D")
    local = _badge(page)
    page.click("#validate")
    page.wait_for_selector("#issues li.issue--error")
    expect(page.locator("#canvas .bjsl-button")).to_have_attribute("data-server-issues", re.compile(r"[1-9]"))
    assert "No Issues" not in _badge(page), local
    assert re.search(r"[1-9]\d* Errors", _badge(page)), _badge(page)
    shot(page, "modeler-fixes-1-badge-counts-server-error")

    type_entry(page, "spiff-timer-expression", '"P60D"')
    page.click("#validate")
    page.wait_for_selector("#issues-summary:text('No problems found.')")
    assert "Errors" not in _badge(page) or _badge(page).startswith("0 Errors"), _badge(page)


def _deploy_version_2(page: Page) -> None:
    select_shape(page, "review_application")
    type_entry(page, "name", "Check completeness and compliance")
    page.fill("#note", "Rename the review; a 60-day late-appeal period")
    page.click("#deploy")
    page.wait_for_selector(f'.deployed[data-key="{KEY}"][data-version="2"]')
    expect(page.locator("#editor-title")).to_have_text(re.compile(rf"Edit {KEY}\s+from version 2"))
    assert "version 2" in page.title()


def _assert_the_versions_page_reads_well(page: Page, site: str, world: World) -> None:
    page.goto(f"{site}/modeler/processes/{KEY}/versions")
    with world.services.db.unit_of_work(readonly=True) as uow:
        deployed = uow.definitions.by_version(KEY, 2)
    assert deployed is not None
    cells = page.locator('#versions tr[data-version="2"] td').all_inner_texts()
    assert when(deployed.deployed_at, office_zone(world.services)) in cells
    assert not ISO.search(page.inner_text("#versions"))

    page.wait_for_selector("#visual-diff[data-rendered=true]")
    width = _boxes(page, "#diff-after")[0]
    assert width["right"] - width["left"] > 1000  # the whole page width, not half of it
    before = float(page.get_attribute("#diff-after", "data-zoom") or 0)
    tools = page.get_by_role("toolbar", name="Zoom both diagrams")
    tools.get_by_role("button", name="Zoom in").click()
    tools.get_by_role("button", name="Zoom in").click()
    after = float(page.get_attribute("#diff-after", "data-zoom") or 0)
    assert after > before * 1.5, (before, after)
    followed = page.evaluate(
        "() => document.querySelector('#diff-before .djs-container svg').outerHTML.length"
    )
    assert followed > 0
    shot(page, "modeler-fixes-2-diff-zoomed")
    assert axe_violations(page) == []


def test_an_analyst_finds_the_modeler_mended(browser: Browser, world: World, clock: MovableClock) -> None:
    page = new_page(browser)
    page.set_viewport_size({"width": 1400, "height": 1000})
    with serving(world.app) as site:
        _open_editor(page, site, world)
        _assert_the_palette_covers_nothing(page)
        _assert_the_badge_counts_the_server_error(page)
        _deploy_version_2(page)
        _assert_the_versions_page_reads_well(page, site, world)
    assert console_errors(page) == []


def test_the_migration_form_offers_the_version_with_running_cases(
    browser: Browser, world: World, clock: MovableClock
) -> None:
    page = new_page(browser)
    world.ensure_user("sam")
    with serving(world.app) as site:
        sign_in_page(page, site, "sam", PASSWORD, landing="Inbox")
        page.goto(f"{site}/modeler/processes/{KEY}/migration")
        # One version, no case: nothing to pick, so nothing is picked.
        expect(page.get_by_label("Cases of version")).to_have_value("")

        Case.start(world.services, clock, KEY, application("A-2026-071"), "A-2026-071")
        _deploy_renamed(world)
        page.goto(f"{site}/modeler/processes/{KEY}/migration")
        # Version 2 (the latest) has no case; version 1 has the running one.
        expect(page.get_by_label("Cases of version")).to_have_value("1")
        page.get_by_role("button", name="Check").click()
        expect(page.locator("#cases tr[data-case]")).to_have_count(1)
    assert console_errors(page) == []


def _deploy_renamed(world: World) -> None:
    """Deploy processes/ again with one task of application_review renamed (its version 2)."""
    folder = read_directory(world.services.settings.processes_dir)
    for n, source in enumerate(folder.diagrams):
        if source.name == f"{KEY}.bpmn":
            renamed = source.xml.replace(
                b'name="Review completeness and compliance"', b'name="Check completeness"'
            )
            folder.diagrams[n] = DiagramSource(source.name, renamed)
    results = deploy(world.services, folder, SYSTEM, "rename the review")
    assert [r["version"] for r in results if r["key"] == KEY] == [2]
