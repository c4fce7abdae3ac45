"""A reviewer attaches records on a task form, previews them, and the next task shows them (Chromium)."""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, expect

from service import create_app
from service.actions import starting
from service.actions.deployment import deploy, read_directory
from service.clock import MovableClock
from service.identity.actors import SYSTEM
from service.views import documents
from tests.e2e.inbox_browser_support import (
    axe_violations,
    claim_from_queue,
    console_errors,
    new_page,
    shot,
    sign_in,
)
from tests.e2e.inbox_world import World, serving
from tests.support import INTEGRATOR, Switchboard, make_services

pytestmark = [pytest.mark.browser, pytest.mark.slow]
PROCESSES = Path(__file__).resolve().parents[1] / "fixtures" / "documents" / "processes"
LETTER = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n%%EOF\n"


def _png(width: int = 40, height: int = 20) -> bytes:
    """Return a small grey PNG image (a real one: the browser decodes it)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


@pytest.fixture
def world(sqlite_url: str, tmp_path: Path, clock: MovableClock, board: Switchboard) -> Iterator[World]:
    services = make_services(sqlite_url, tmp_path, clock, board)
    deploy(services, read_directory(PROCESSES), INTEGRATOR)
    yield World(services, create_app(services=services))
    services.close()


def test_records_attached_on_a_task_form_are_previewed_and_shown_to_the_next_task(
    browser: Browser, world: World
) -> None:
    case_id = starting.start(
        world.services, "records_review", {}, INTEGRATOR, business_key="R-2026-7"
    ).instance_id
    page = new_page(browser)
    with serving(world.app) as site:
        sign_in(page, world, site, "rita")
        claim_from_queue(page, "R-2026-7")
        expect(page.get_by_role("heading", level=1, name="Attach the records received")).to_be_visible()
        page.get_by_label("Records received").set_input_files(
            [
                {"name": "letter.pdf", "mimeType": "application/pdf", "buffer": LETTER},
                {"name": "scan.png", "mimeType": "image/png", "buffer": _png()},
            ]
        )
        page.get_by_label("What arrived").fill("The importer's letter and a scan")
        page.get_by_role("button", name="Complete task").click()
        expect(page.get_by_role("heading", level=1, name="Inbox")).to_be_visible()
        assert sorted(d["name"] for d in documents.listing(world.services, SYSTEM, "R-2026-7")) == [
            "letter.pdf",
            "scan.png",
        ]

        page.goto(f"{site}/cases/{case_id}")
        listed = page.get_by_role("table", name="Documents attached to this case, oldest first")
        expect(listed.get_by_role("row")).to_have_count(3)  # the header and two documents
        letter_row = listed.get_by_role("row").filter(has_text="letter.pdf")
        expect(letter_row).to_contain_text("PDF")
        expect(letter_row).to_contain_text("Attach the records received")
        listed.get_by_text("Preview of scan.png").click()
        image = page.get_by_role("img", name="scan.png")
        expect(image).to_be_visible()
        page.wait_for_function("img => img.complete && img.naturalWidth === 40", arg=image.element_handle())
        listed.get_by_text("Preview of letter.pdf").click()
        frame = page.locator("iframe[title='letter.pdf']")
        expect(frame).to_be_visible()
        served = page.request.get(site + str(frame.get_attribute("src")))
        assert served.ok and served.body() == LETTER
        assert served.headers["content-disposition"].startswith("inline;")
        assert served.headers["x-content-type-options"] == "nosniff"
        shot(page, "case-documents")
        assert axe_violations(page) == []

        page.goto(f"{site}/inbox")
        claim_from_queue(page, "R-2026-7")
        expect(page.get_by_role("heading", level=1, name="Verify the records")).to_be_visible()
        context = page.get_by_role("region", name="Before you decide")
        expect(context.get_by_role("link", name="letter.pdf", exact=True)).to_be_visible()
        expect(context.get_by_role("link", name="scan.png", exact=True)).to_be_visible()
        shot(page, "task-context-documents")
        page.get_by_label("Yes").check()
        page.get_by_role("button", name="Complete task").click()
        expect(page.get_by_role("heading", level=1, name="Inbox")).to_be_visible()
        assert console_errors(page) == []
