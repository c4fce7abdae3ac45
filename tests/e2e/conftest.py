"""Fixtures the Chromium tests share: one Debian chromium per test module."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, sync_playwright

from tests.e2e.inbox_browser_support import CHROMIUM, CHROMIUM_ARGS


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    """Launch Debian chromium through Playwright (a missing binary fails, never skips)."""
    if not CHROMIUM.exists():
        pytest.fail(f"{CHROMIUM} is missing: ./scripts/setup.sh --dev installs Debian chromium")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield launched
        launched.close()
