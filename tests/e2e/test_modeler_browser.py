"""An analyst edits, validates and deploys the program's application_review in real Chromium.

The analyst renames the review task and turns the late-appeal timer into a 60-day duration, typed
unquoted first: the server's error is marked on the timer, the analyst fixes it and deploys with a
note. The case started before keeps version 1 and finishes on it; a new case runs version 2; the
versions page shows exactly the two changed elements.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from service.clock import MovableClock
from service.config import ROOT
from service.identity import users
from service.identity.actors import SYSTEM
from service.services import Services
from tests.e2e.modeler_support import add_staff, app_for
from tests.integration.test_scenarios_appeals import DENIAL
from tests.integration.test_scenarios_applications import REVIEW_FORM, application
from tests.program_support import Case, advance_to, moment, program_services

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
# No network beyond the app: the browser context also aborts every request to another origin.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
]
AXE = ROOT / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = Path(os.environ.get("RCP_SCREENSHOTS_DIR", str(ROOT / "artifacts" / "screenshots")))
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
KEY = "application_review"
PASSWORD = "a-long-analyst-password"
RENAMED = "Check completeness and compliance"
NOTE = "Rename the review; answer late appeals for 60 days after the window closes"


class Served:
    """The app on an ephemeral port, in a thread."""

    def __init__(self, app: Flask) -> None:
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.server.shutdown()
        self.thread.join(timeout=5)


@pytest.fixture
def services(sqlite_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[Services]:
    built = program_services(sqlite_url, tmp_path, clock)  # processes/ deployed as version 1
    add_staff(built)
    users.update(built, "ana", password=PASSWORD, display_name="Ana Analyst", by=SYSTEM)
    yield built
    built.close()


@pytest.fixture
def page(services: Services) -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: ./scripts/setup.sh --dev installs Debian chromium")
    from playwright.sync_api import sync_playwright

    server = Served(app_for(services))
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1600, "height": 1000})
        context.set_default_timeout(15_000)
        context.route(
            "**/*",
            lambda route: route.continue_() if route.request.url.startswith(server.url) else route.abort(),
        )
        page = context.new_page()
        page.errors = []  # type: ignore[attr-defined]
        page.on("pageerror", lambda exc: page.errors.append(str(exc)))  # type: ignore[attr-defined]
        page.on(
            "console",
            lambda msg: page.errors.append(msg.text) if msg.type == "error" else None,  # type: ignore[attr-defined]
        )
        page.base = server.url  # type: ignore[attr-defined]
        yield page
        browser.close()
    server.stop()


def _sign_in(page: Any, username: str) -> None:
    page.goto(page.base + "/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    # An analyst works no task lane: signing in lands in the modeler, not an empty inbox.
    page.get_by_role("heading", level=1, name="Processes").wait_for()


def _select(page: Any, element_id: str) -> None:
    page.click(f'#canvas .djs-element.djs-shape[data-element-id="{element_id}"]')
    _wait_selected(page, element_id)


def _wait_selected(page: Any, element_id: str) -> None:
    """Wait until the properties panel shows the element (its ID entry holds the id)."""
    page.wait_for_function(
        "id => (document.querySelector('#bio-properties-panel-id') || {}).value === id", arg=element_id
    )


def _type(page: Any, entry: str, value: str) -> None:
    field = page.locator(f"#bio-properties-panel-{entry}")
    field.fill(value)
    field.blur()
    page.wait_for_timeout(400)  # the panel debounces typing


def _open_group(page: Any, group: str) -> None:
    header = page.locator(f'[data-group-id="group-{group}"] .bio-properties-panel-group-header')
    if "open" not in (header.get_attribute("class") or ""):
        header.click()


def _shot(page: Any, name: str) -> None:
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def _axe_violations(page: Any) -> list[dict[str, Any]]:
    """Return the page's serious and critical WCAG 2.1 A/AA violations found by axe-core."""
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [
        {"rule": v["id"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def _edit_in_the_browser(page: Any) -> None:
    _sign_in(page, "ana")
    page.get_by_role("link", name="Process modeler").click()
    page.click(f'tr[data-process="{KEY}"] >> text=Edit latest')
    page.wait_for_selector("body[data-modeler-ready=true]")
    assert _axe_violations(page) == []

    _select(page, "review_application")
    _type(page, "name", RENAMED)

    # The generic BPMN "Timer" group stores what is typed as is: P60D, unquoted.
    _select(page, "stop_listening")
    _open_group(page, "timer")
    page.select_option("#bio-properties-panel-timerEventDefinitionType", "timeDuration")
    _type(page, "timerEventDefinitionValue", "P60D")

    page.click("#validate")
    page.wait_for_selector("#issues li")
    errors = page.locator("#issues li.issue--error")
    assert errors.count() == 1, page.inner_text("#issues")
    assert errors.first.get_attribute("data-element-id") == "stop_listening"
    assert "must be quoted" in errors.first.inner_text()
    marked = page.locator('#canvas .djs-element[data-element-id="stop_listening"]')
    assert "rcp-error" in (marked.get_attribute("class") or "")
    _shot(page, "modeler-1-unquoted-timer-marked")

    _select(page, "review_application")
    errors.first.locator("button").click()  # the problem selects its element
    _wait_selected(page, "stop_listening")

    _type(page, "spiff-timer-expression", '"P60D"')  # as the error says
    page.click("#validate")
    page.wait_for_selector("#issues-summary:text('No problems found.')")
    assert "rcp-error" not in (marked.get_attribute("class") or "")

    _deploy_with_a_note(page)


def _deploy_with_a_note(page: Any) -> None:
    """Deploy, be refused for want of a note, write one and deploy version 2."""
    page.click("#deploy")
    assert page.locator("#note-error").is_visible(), "deploying without a note is refused on the page"
    page.fill("#note", NOTE)
    page.click("#deploy")
    page.wait_for_selector(f'.deployed[data-key="{KEY}"][data-version="2"]')
    _shot(page, "modeler-2-deployed")


def _deny(case: Case) -> None:
    case.complete(
        "review_application",
        {**REVIEW_FORM, "review_next_step": "recommend_denial", "review_reasons": "Element (iv) is missing."},
    )
    case.complete("decide_application", DENIAL)


def test_an_analyst_edits_validates_and_deploys_and_cases_keep_their_version(
    services: Services, page: Any, clock: MovableClock
) -> None:
    before = Case.start(services, clock, KEY, application("A-2026-001"), "A-2026-001")

    _edit_in_the_browser(page)

    # The case started before keeps version 1 and finishes on it: the late-appeal period ends on
    # the configured date (2026-03-06), not 60 days after the appeal window.
    assert before.task("review_application")["title"] == "Review completeness and compliance"
    _deny(before)
    assert advance_to(services, clock, moment("2026-02-05")) == 1
    assert advance_to(services, clock, moment("2026-03-07")) == 1
    assert (before.status, before.view()["definitionVersion"]) == ("completed", 1)

    # A new case runs version 2: the renamed task, then the 60-day late-appeal period.
    after = Case.start(services, clock, KEY, application("A-2026-002"), "A-2026-002")
    assert after.view()["definitionVersion"] == 2
    assert after.task("review_application")["title"] == RENAMED
    _deny(after)
    assert advance_to(services, clock, moment("2026-04-07")) == 1  # the appeal window closed
    assert [(e, due) for e, due, _ in after.deadlines()] == [("stop_listening", "2026-06-06T09:00:00+00:00")]

    _assert_the_versions_page_shows_exactly_the_two_changes(page)


def _assert_the_versions_page_shows_exactly_the_two_changes(page: Any) -> None:
    """Check the versions page names author and note, its diff marks just the two edits, no script failed."""
    # The versions page (signed in again: months passed): author, note, and the diff showing
    # exactly the two changed elements.
    _sign_in(page, "ana")
    page.goto(page.base + f"/modeler/processes/{KEY}/versions")
    row = page.locator('#versions tr[data-version="2"]')
    assert NOTE in row.inner_text()
    assert "ana" in row.locator("td").all_inner_texts()  # deployed by, as people read it
    changed = page.locator("#changes tr[data-element-id]")
    assert sorted(changed.nth(i).get_attribute("data-element-id") for i in range(changed.count())) == [
        "review_application",
        "stop_listening",
    ]
    page.wait_for_selector("#visual-diff[data-rendered=true]")
    for element in ("review_application", "stop_listening"):
        shape = page.locator(f'#diff-after .djs-element[data-element-id="{element}"]')
        assert "rcp-diff-changed" in (shape.get_attribute("class") or "")
    _shot(page, "modeler-3-versions-diff")
    assert _axe_violations(page) == []
    assert page.errors == []  # type: ignore[attr-defined]
