"""A field auditor records a demand for records from the staff pages (§163.6(a))."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.clock import MovableClock
from tests.e2e.inbox_world import World, build_world, csrf
from tests.program_support import program_services

FORM = {
    "business_key": "D-2026-031",
    "demand_number": "D-2026-031",
    "recordkeeper.name": "Harbor Imports LLC",
    "recordkeeper.email": "records@harbor.example",
    "recordkeeper.address": "1 Pier Road",
    "recordkeeper.importer_number": "IOR-55-7654321",
    "record_description": "Commercial invoice for entry 123-4567890-1",
    "releases": '[{"entry_number": "123-4567890-1", "appraised_value": "12000.00"}]',
    "demanded_on": "2026-01-02",
    "received_on": "2026-01-05",
    "shorter_period_days": "",
    "shorter_period_reason": "",
    "reason": "Demand issued at the closing of the on-site audit",
}


@pytest.fixture
def world(db_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[World]:
    services = program_services(db_url, tmp_path, clock)
    yield build_world(services)
    services.close()


def test_a_field_auditor_starts_a_demand_and_its_case_shows_the_due_date_and_rule(world: World) -> None:
    fred = world.client("fred")
    page = fred.get("/cases/new/record_demand")
    assert page.status_code == 200
    assert "Demand received on (the period runs from it, §163.6(a))" in page.text

    started = fred.post("/cases/new/record_demand", data={"csrf_token": csrf(fred, "/inbox"), **FORM})

    assert started.status_code == 303, started.text
    case_page = fred.get(started.headers["Location"])
    assert case_page.status_code == 200
    assert "§163.6(a)" in case_page.text
    with world.services.db.unit_of_work(readonly=True) as uow:
        found = uow.instances.open_case("record_demand", "D-2026-031")
    assert found is not None
