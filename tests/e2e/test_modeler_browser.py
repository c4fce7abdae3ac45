"""An analyst edits, validates and deploys application_review in real Chromium; cases keep versions."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from flask import Flask
from werkzeug.serving import make_server

from service import users
from service.bootstrap import Services
from service.cases import lifecycle, queries, tasks, timers
from service.cases.actors import SYSTEM
from service.clock import MovableClock
from service.config import ROOT
from service.store.repositories.derived import TaskFilter
from tests.e2e.modeler_support import app_for, modeler_services
from tests.support import INTEGRATOR, REVIEWER, Switchboard

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
# No network beyond the app: the browser is also told to abort every other request.
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
START = {"application_number": "A-1", "received_on": "2026-01-05"}


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
def services(sqlite_url: str, tmp_path: Path, clock: MovableClock, board: Switchboard) -> Iterator[Services]:
    built = modeler_services(sqlite_url, tmp_path, clock, board)
    users.update(built, "ana", password=PASSWORD, display_name="Ana Analyst", by=SYSTEM)
    yield built
    built.close()


@pytest.fixture
def served(services: Services) -> Iterator[tuple[Flask, Served]]:
    app = app_for(services)
    server = Served(app)
    yield app, server
    server.stop()


@pytest.fixture
def page(served: tuple[Flask, Served]) -> Iterator[Any]:
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium")
    _, server = served
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(viewport={"width": 1500, "height": 1000})
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


def _task(services: Services, instance_id: str) -> dict[str, Any]:
    [task] = queries.tasks(services, REVIEWER, TaskFilter(instance_id=instance_id))
    return task


def _select(page: Any, element_id: str) -> None:
    page.click(f'.djs-element[data-element-id="{element_id}"]', position={"x": 18, "y": 18})
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


def _sign_in(page: Any, username: str) -> None:
    page.goto(page.base + "/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("heading", level=1, name="Inbox").wait_for()


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

    _select(page, "review")
    _type(page, "name", "Check the application")

    _select(page, "reply_period")
    _open_group(page, "timer")
    _type(page, "timerEventDefinitionValue", "P20D")  # the generic BPMN field stores it unquoted

    page.click("#validate")
    page.wait_for_selector("#issues li")
    errors = page.locator("#issues li.issue--error")
    assert errors.count() == 1
    assert errors.first.get_attribute("data-element-id") == "reply_period"
    assert "must be quoted" in errors.first.inner_text()
    marked = page.locator('.djs-element[data-element-id="reply_period"]')
    assert "rcp-error" in (marked.get_attribute("class") or "")
    _shot(page, "modeler-1-unquoted-timer-marked")

    _select(page, "review")
    errors.first.locator("button").click()
    _wait_selected(page, "reply_period")

    _type(page, "spiff-timer-expression", '"P20D"')  # as the error says
    page.click("#validate")
    page.wait_for_selector("#issues-summary:text('No problems found.')")
    assert "rcp-error" not in (marked.get_attribute("class") or "")

    page.click("#deploy")
    assert page.locator("#note-error").is_visible(), "deploying without a note is refused on the page"
    page.fill("#note", "Rename the review task; reply period of 20 days")
    page.click("#deploy")
    page.wait_for_selector(f'.deployed[data-key="{KEY}"][data-version="2"]')
    _shot(page, "modeler-2-deployed")


def test_an_analyst_edits_validates_and_deploys_and_cases_keep_their_version(
    services: Services, page: Any, clock: MovableClock
) -> None:
    before = lifecycle.start(services, KEY, START, INTEGRATOR, business_key="A-1").instance_id

    _edit_in_the_browser(page)

    # The case started before keeps version 1 and finishes on it.
    old_task = _task(services, before)
    assert old_task["title"] == "Review the application"
    tasks.complete(services, old_task["id"], {"recommendation": "approve"}, REVIEWER)
    clock.advance(days=15, seconds=1)
    assert timers.fire_due(services) == 1
    finished = queries.instance(services, before)
    assert (finished["status"], finished["definitionVersion"]) == ("completed", 1)

    # A new case runs version 2: the renamed task and the 20-day period.
    after = lifecycle.start(services, KEY, {**START, "application_number": "A-2"}, INTEGRATOR)
    assert queries.instance(services, after.instance_id)["definitionVersion"] == 2
    new_task = _task(services, after.instance_id)
    assert new_task["title"] == "Check the application"
    outcome = tasks.complete(services, new_task["id"], {"recommendation": "deny"}, REVIEWER)
    assert outcome.wait.next_timer_due == clock.now() + timedelta(days=20)

    # The versions page (signed in again: 15 days passed): author, note, and the diff showing
    # exactly the two changed elements.
    _sign_in(page, "ana")
    page.goto(page.base + f"/modeler/processes/{KEY}/versions")
    row = page.locator('#versions tr[data-version="2"]')
    assert "Rename the review task; reply period of 20 days" in row.inner_text()
    assert "user:ana" in row.inner_text()
    changed = page.locator("#changes tr[data-element-id]")
    assert sorted(changed.nth(i).get_attribute("data-element-id") for i in range(changed.count())) == [
        "reply_period",
        "review",
    ]
    page.wait_for_selector("#visual-diff[data-rendered=true]")
    _shot(page, "modeler-3-versions-diff")
    assert _axe_violations(page) == []
    for element in ("review", "reply_period"):
        shape = page.locator(f'#diff-after .djs-element[data-element-id="{element}"]')
        assert "rcp-diff-changed" in (shape.get_attribute("class") or "")
    assert page.errors == []  # type: ignore[attr-defined]
