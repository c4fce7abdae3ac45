"""Documents attached at the same moment are listed in the order they were attached."""

from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from service.actions import documents, starting
from service.actions.deployment import deploy
from service.clock import MovableClock
from service.services import Services
from service.views import documents as reading
from tests.support import INTEGRATOR, Switchboard, make_services, processes

PORTAL = replace(INTEGRATOR, scopes=frozenset({"start", "documents"}))
PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"


@pytest.fixture
def case(db_url: str, tmp_path: Path, clock: MovableClock, board: Switchboard) -> Iterator[Services]:
    built = make_services(db_url, tmp_path, clock, board)
    deploy(built, processes(), INTEGRATOR)
    starting.start(
        built, "smoke", {"application_number": "A-1", "received_on": "2026-01-05"}, PORTAL, business_key="A-1"
    )
    yield built
    built.close()


def test_documents_attached_together_are_listed_in_the_order_sent(case: Services) -> None:
    names = [f"page-{n:02}.pdf" for n in range(12)]  # one instant: ids alone would shuffle them
    uploads = [documents.Upload(name, io.BytesIO(PDF + name.encode())) for name in names]
    documents.attach(case, PORTAL, "A-1", uploads)
    documents.attach(case, PORTAL, "A-1", [documents.Upload("later.pdf", io.BytesIO(PDF))])

    assert [d["name"] for d in reading.listing(case, PORTAL, "A-1")] == [*names, "later.pdf"]
