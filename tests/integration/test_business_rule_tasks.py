"""A business rule task runs its table in the step: the hit is recorded; a table that cannot decide fails."""

from __future__ import annotations

import pytest

from service.actions import starting
from service.actions.deployment import deploy, read_directory
from service.services import Services
from service.views import decisions, instances
from tests.support import FIXTURES, INTEGRATOR


@pytest.fixture
def deployed(services: Services) -> Services:
    deploy(services, read_directory(FIXTURES / "decision_task"), INTEGRATOR)
    return services


def _start(services: Services, amount: object, key: str) -> str:
    return starting.start(
        services, "size_check", {"amount": amount}, INTEGRATOR, business_key=key
    ).instance_id


def test_the_rule_that_hits_decides_and_is_recorded_in_the_step(deployed: Services) -> None:
    instance_id = _start(deployed, 5, "S-1")

    view = instances.instance(deployed, instance_id)
    assert view["status"] == "completed"
    assert view["variables"]["size"] == "small"
    with deployed.db.unit_of_work(readonly=True) as uow:
        [taken] = decisions.taken_in(uow, [instance_id])
    assert (taken["decision"], taken["version"], taken["task"]) == ("size_class", 1, "classify")
    assert taken["rule"] == {"id": "rule_small", "row": 1, "annotation": "§163.6(b)(1): under ten."}
    assert (taken["inputs"], taken["outputs"]) == ({"Amount": 5}, {"size": "small"})


def test_two_unique_rules_hitting_make_an_incident_on_the_task_and_record_nothing(deployed: Services) -> None:
    instance_id = _start(deployed, 42, "S-2")

    view = instances.instance(deployed, instance_id)
    [incident] = view["incidents"]
    assert incident["element"] == "classify"
    assert "UNIQUE but rules 'rule_large' (row 2), 'rule_answer' (row 3) all match" in incident["message"]
    with deployed.db.unit_of_work(readonly=True) as uow:
        assert decisions.taken_in(uow, [instance_id]) == []


def test_an_input_of_the_wrong_type_makes_an_incident(deployed: Services) -> None:
    instance_id = _start(deployed, "five", "S-3")

    [incident] = instances.instance(deployed, instance_id)["incidents"]
    assert incident["element"] == "classify"
    assert "input 'Amount' is 'five' is not a number" in incident["message"]
