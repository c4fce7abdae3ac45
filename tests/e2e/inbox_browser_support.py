"""Drive the inbox in Chromium: open pages, sign in, claim, screenshot, and run axe-core."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.inbox_world import PASSWORD, World, repo_root

CHROMIUM = Path(os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = repo_root() / "frontend" / "node_modules" / "axe-core" / "axe.min.js"
SHOTS = Path(os.environ.get("RCP_SCREENSHOTS_DIR", str(repo_root() / "artifacts" / "screenshots")))
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
CONSOLE_ERRORS: WeakKeyDictionary[Page, list[str]] = WeakKeyDictionary()


def new_page(browser: Browser) -> Page:
    """Open a page in a fresh context that collects console errors."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    context.set_default_timeout(15_000)
    page = context.new_page()
    # Script errors and CSP refusals are collected (a 4xx page the test expects is not one).
    errors: list[str] = []
    page.on(
        "console",
        lambda message: (
            errors.append(message.text)
            if message.type == "error" and not message.text.startswith("Failed to load resource")
            else None
        ),
    )
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    CONSOLE_ERRORS[page] = errors
    return page


def console_errors(page: Page) -> list[str]:
    """Return the script errors and CSP refusals the page logged so far."""
    return CONSOLE_ERRORS[page]


def shot(page: Page, name: str) -> None:
    """Save a full-page screenshot under SHOTS."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SHOTS / f"{name}.png"), full_page=True)


def sign_in(page: Page, world: World, site: str, username: str) -> None:
    """Sign in through the login form and wait for the inbox."""
    world.ensure_user(username)
    page.goto(f"{site}/login")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("heading", level=1, name="Inbox")).to_be_visible()


def claim_from_queue(page: Page, business_key: str) -> None:
    """Open the group queue and claim the task of the case with this business key."""
    page.get_by_role("link", name=re.compile(r"^Group queue")).click()
    row = page.get_by_role("row").filter(has_text=business_key)
    row.get_by_role("button", name=re.compile(r"^Claim")).click()


def axe_violations(page: Page) -> list[dict[str, Any]]:
    """Run axe-core on the page; return its serious and critical WCAG 2.1 A/AA violations."""
    if not AXE.exists():
        pytest.fail(f"{AXE} is missing: ./scripts/setup.sh installs the front-end packages (axe-core)")
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;0")
    result = page.evaluate("tags => axe.run(document, {runOnly: {type: 'tag', values: tags}})", AXE_TAGS)
    return [
        {"rule": v["id"], "impact": v["impact"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
        if v["impact"] in ("serious", "critical")
    ]


def wait_for_diagram(page: Page) -> None:
    """Wait until the case diagram has rendered."""
    expect(page.locator("#diagram[data-rendered='true']")).to_be_attached()


def marker_of(page: Page, element_id: str) -> str:
    """Return the classes the case diagram gives a BPMN element."""
    return (
        page.locator(f"#diagram g.djs-element[data-element-id='{element_id}']").first.get_attribute("class")
        or ""
    )


def tab_to(page: Page, selector: str, limit: int = 80) -> None:
    """Press Tab until the element matching ``selector`` has the focus."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("s => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"Tab never reached {selector}")
