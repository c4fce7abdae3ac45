"""Instance search and definition counts on SQLite and PostgreSQL alike."""

from __future__ import annotations

from typing import Any

import pytest

from service.actions import lifecycle, starting
from service.clock import MovableClock
from service.errors import InvalidData
from service.services import Services
from service.store.rows import InstanceQuery
from service.views import definitions, search
from tests.support import INTEGRATOR


def _start(services: Services, number: str, **extra: Any) -> str:
    variables = {"case_number": number, **extra}
    return starting.start(services, "api_waiting", variables, INTEGRATOR, business_key=number).instance_id


def _ids(services: Services, **filters: Any) -> list[str]:
    return [i["id"] for i in search.instances(services, InstanceQuery(**filters))["items"]]


def test_a_variable_filter_compares_json_values_exactly(api: Services) -> None:
    one = _start(api, "C-1", priority=1)
    three = _start(api, "3", priority=3)

    assert _ids(api, variables=[("priority", 1)]) == [one]
    assert _ids(api, variables=[("priority", 1.0)]) == [one]
    assert _ids(api, variables=[("case_number", "3")]) == [three]
    assert _ids(api, variables=[("case_number", 3)]) == []
    assert _ids(api, variables=[("priority", "1")]) == []
    assert _ids(api, variables=[("missing", None)]) == []
    assert _ids(api, variables=[("case_number", "C-1"), ("priority", 1)]) == [one]


def test_boolean_and_null_variables_can_be_compared(api: Services) -> None:
    yes = starting.start(api, "api_flaky", {"urgent": True, "note": None}, INTEGRATOR).instance_id
    no = starting.start(api, "api_flaky", {"urgent": False, "note": "x"}, INTEGRATOR).instance_id

    assert _ids(api, variables=[("urgent", True)]) == [yes]
    assert _ids(api, variables=[("urgent", False)]) == [no]
    assert _ids(api, variables=[("note", None)]) == [yes]


def test_pages_in_both_orders_cover_every_instance_once(api: Services, clock: MovableClock) -> None:
    started = []
    for n in range(7):
        started.append(_start(api, f"C-{n}"))
        if n % 2:
            clock.advance(seconds=1)  # several share a start time: the id breaks the tie
    for descending in (False, True):
        seen: list[str] = []
        cursor = None
        while True:
            page = search.instances(api, InstanceQuery(limit=3, descending=descending), cursor)
            seen += [i["id"] for i in page["items"]]
            cursor = page["next"]
            if cursor is None:
                break
        assert sorted(seen) == sorted(started)
        assert len(seen) == len(set(seen))


def test_a_cursor_is_a_position_read_on_in_either_order_and_a_bad_variable_name_is_refused(
    api: Services, clock: MovableClock
) -> None:
    started = []
    for n in range(3):
        started.append(_start(api, f"C-{n}"))
        clock.advance(seconds=1)
    page = search.instances(api, InstanceQuery(limit=2))

    # The cursor stands after the second case: newest first from there leaves the first one.
    before = search.instances(api, InstanceQuery(limit=5, descending=True), page["next"])
    assert [i["id"] for i in before["items"]] == started[:1]
    with pytest.raises(InvalidData):
        search.instances(api, InstanceQuery(limit=1), "not-a-cursor")
    with pytest.raises(InvalidData):
        search.instances(api, InstanceQuery(variables=[("a.b", 1)]))


def test_definition_counts_split_by_status_suspension_and_incident(api: Services, board: Any) -> None:
    waiting = _start(api, "C-1")
    _start(api, "C-2")
    lifecycle.suspend(api, waiting, INTEGRATOR, "hold")
    board.failures_left = 1
    starting.start(api, "api_flaky", {}, INTEGRATOR)

    listing = {d["key"]: d for d in definitions.definitions(api)}

    assert listing["api_waiting"]["instances"] == {
        "total": 2,
        "waiting": 2,
        "error": 0,
        "completed": 0,
        "cancelled": 0,
        "suspended": 1,
        "withIncidents": 0,
    }
    assert listing["api_flaky"]["instances"]["withIncidents"] == 1
    assert listing["api_flaky"]["instances"]["error"] == 1
    assert definitions.definition(api, "api_waiting")["instances"]["total"] == 2
