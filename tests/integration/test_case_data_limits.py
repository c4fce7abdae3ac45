"""A step that would leave a huge value in a case fails into an incident naming it; nothing is kept."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from service.actions import starting
from service.actions.deployment import DiagramSet, deploy
from service.bootstrap import bootstrap
from service.clock import MovableClock
from service.config import Settings
from service.engine.values import DiagramSource
from service.errors import InvalidData
from service.services import Services
from service.store.rows import InstanceRow
from service.views import instances
from tests import support
from tests.support import INTEGRATOR, Switchboard

DIAGRAM = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL"
    xmlns:spiffworkflow="http://spiffworkflow.org/bpmn/schema/1.0/core" id="d" targetNamespace="t">
  <bpmn:process id="{key}" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:scriptTask id="prepare" name="Prepare">
      <bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:script>prepared = "yes"</bpmn:script></bpmn:scriptTask>
    {step}
    <bpmn:endEvent id="end"><bpmn:incoming>f3</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="prepare" />
    <bpmn:sequenceFlow id="f2" sourceRef="prepare" targetRef="grow" />
    <bpmn:sequenceFlow id="f3" sourceRef="grow" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>"""
SCRIPT = """<bpmn:scriptTask id="grow" name="Grow">
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
      <bpmn:script>{script}</bpmn:script></bpmn:scriptTask>"""
SERVICE = """<bpmn:serviceTask id="grow" name="Grow">
      <bpmn:extensionElements>
        <spiffworkflow:serviceTaskOperator id="echo" resultVariable="echoed">
          <spiffworkflow:parameters>
            <spiffworkflow:parameter id="text" type="str" value="'x' * width" />
          </spiffworkflow:parameters>
        </spiffworkflow:serviceTaskOperator>
      </bpmn:extensionElements>
      <bpmn:incoming>f2</bpmn:incoming><bpmn:outgoing>f3</bpmn:outgoing>
    </bpmn:serviceTask>"""

SCRIPTS = {
    # The finding's own payload: five references to one list of 999,999 items.
    "hoarding": "y = [[0] * 999999] * 5",
    # Each value is within the limit for one operation; together they pass the case's limit.
    "swelling": "rows = []\nfor i in range(3):\n    rows.append('x' * 400000)\nnote = 'short'",
}


def _diagram(key: str, step: str) -> DiagramSource:
    return DiagramSource(f"{key}.bpmn", DIAGRAM.format(key=key, step=step).encode())


def _services(
    url: str, folder: Path, clock: MovableClock, board: Switchboard, max_case_data: int | None = None
) -> Services:
    config = Settings(
        database_url=url, secret_key="t", instance_dir=folder, runner="off", max_case_data=max_case_data
    )
    services = bootstrap(config, clock=clock, registry=support.test_registry(board))
    diagrams = [_diagram(key, SCRIPT.format(script=script)) for key, script in SCRIPTS.items()]
    deploy(services, DiagramSet([*diagrams, _diagram("echoing", SERVICE)]), INTEGRATOR)
    return services


@pytest.fixture
def limited(sqlite_url: str, tmp_path: Path, clock: MovableClock, board: Switchboard) -> Iterator[Services]:
    services = _services(sqlite_url, tmp_path, clock, board)
    yield services
    services.close()


def _row(services: Services, instance_id: str) -> InstanceRow:
    with services.db.unit_of_work(readonly=True) as uow:
        row = uow.instances.get(instance_id)
    assert row is not None
    return row


def test_the_findings_nested_multiplication_fails_into_an_incident_and_is_not_stored(
    limited: Services,
) -> None:
    outcome = starting.start(limited, "hoarding", {"given": 1}, INTEGRATOR, business_key="H-1")

    assert outcome.status == "error"
    [incident] = instances.instance(limited, outcome.instance_id)["incidents"]
    assert incident["element"] == "grow"
    assert "5,000,000 items" in incident["message"]
    row = _row(limited, outcome.instance_id)
    assert len(row.state) < 50_000
    assert row.variables == {"given": 1, "prepared": "yes"}


def test_a_script_leaving_too_much_data_fails_into_an_incident_naming_the_variable(limited: Services) -> None:
    outcome = starting.start(limited, "swelling", {"given": 1}, INTEGRATOR, business_key="S-1")

    assert outcome.status == "error"
    [incident] = instances.instance(limited, outcome.instance_id)["incidents"]
    assert incident["element"] == "grow"
    assert "'rows'" in incident["message"]
    assert "RCP_MAX_CASE_DATA" in incident["message"]
    row = _row(limited, outcome.instance_id)
    assert len(row.state) < 50_000
    assert row.variables == {"given": 1, "prepared": "yes"}  # neither rows nor note was kept


def test_the_limit_is_configurable_and_holds_service_results_too(
    sqlite_url: str, tmp_path: Path, clock: MovableClock, board: Switchboard
) -> None:
    services = _services(sqlite_url, tmp_path, clock, board, max_case_data=5_000)
    try:
        small = starting.start(services, "echoing", {"width": 100}, INTEGRATOR, business_key="E-1")
        large = starting.start(services, "echoing", {"width": 6_000}, INTEGRATOR, business_key="E-2")

        assert small.status == "completed"
        assert large.status == "error"
        [incident] = instances.instance(services, large.instance_id)["incidents"]
        assert "more than 5,000 characters" in incident["message"]
        assert "'echoed'" in incident["message"]
        assert "echoed" not in _row(services, large.instance_id).variables
    finally:
        services.close()


def test_rcp_max_case_data_from_the_environment_reaches_the_engine(sqlite_url: str, tmp_path: Path) -> None:
    env = {"RCP_INSTANCE_DIR": str(tmp_path), "SECRET_KEY": "t", "DATABASE_URL": sqlite_url}

    configured = bootstrap(Settings.from_env({**env, "RCP_MAX_CASE_DATA": "5000"}), migrate=False)
    default = bootstrap(Settings.from_env(env), migrate=False)
    try:
        assert configured.engine.environment.max_case_data == 5_000
        assert default.engine.environment.max_case_data == 1024 * 1024
    finally:
        configured.close()
        default.close()


def test_start_variables_past_the_limit_are_refused_naming_the_field(
    sqlite_url: str, tmp_path: Path, clock: MovableClock, board: Switchboard
) -> None:
    services = _services(sqlite_url, tmp_path, clock, board, max_case_data=5_000)
    try:
        with pytest.raises(InvalidData) as refused:
            starting.start(services, "echoing", {"width": 1, "notes": "x" * 6_000}, INTEGRATOR)

        assert [e.field for e in refused.value.errors] == ["notes"]
        assert "the case may hold 5,000 characters" in refused.value.errors[0].message
        assert starting.start(services, "echoing", {"width": 1, "notes": "short"}, INTEGRATOR).status == (
            "completed"
        )
    finally:
        services.close()
