"""Who starts which process from the web (``Actor.may_start``): one table, held to the diagrams."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from lxml import etree

from service.identity.actors import ALL_GROUPS, STAFF_STARTS, Actor

PROCESSES = Path(__file__).resolve().parents[2] / "processes"
BPMN = "{http://www.omg.org/spec/BPMN/20100524/MODEL}"


@pytest.mark.parametrize("process", sorted(STAFF_STARTS))
def test_each_process_staff_start_has_a_start_schema_and_each_starter_works_one_of_its_lanes(
    process: str,
) -> None:
    assert json.loads((PROCESSES / f"{process}.start.schema.json").read_text())["type"] == "object"
    lanes = {lane.get("name") for lane in etree.parse(str(PROCESSES / f"{process}.bpmn")).iter(f"{BPMN}lane")}
    assert STAFF_STARTS[process] <= lanes  # so whoever starts a case can open it afterwards


def test_the_director_and_supervisors_start_a_removal_and_nobody_else() -> None:
    starters = {
        group
        for group in ALL_GROUPS
        if Actor("user", "someone", frozenset({group})).may_start("certification_removal")
    }
    assert starters == {"field_director", "supervisors"}
    portal = Actor("integrator", "portal", frozenset(), frozenset({"start"}))
    assert not portal.may_start("certification_removal")  # integrators start through the API
    assert not Actor("user", "sam", frozenset({"supervisors"})).may_start("application_review")
