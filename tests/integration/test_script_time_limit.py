"""A diagram script that never ends, or would build a huge value, fails its step: an incident."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from service.actions import starting
from service.actions.deployment import DiagramSet, deploy
from service.bootstrap import bootstrap
from service.clock import MovableClock
from service.config import Settings
from service.engine.values import DiagramSource
from service.services import Services
from service.views import instances
from tests import support
from tests.support import INTEGRATOR, Switchboard

SPINNING = b"""<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="spinning" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:scriptTask id="spin" name="Spin"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:script>n = 0
while n &gt;= 0:
    n = n + 1</bpmn:script></bpmn:scriptTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="spin" />
    <bpmn:sequenceFlow id="f2" sourceRef="spin" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>"""

SWELLING = (
    SPINNING.replace(b'id="spinning"', b'id="swelling"')
    .replace(b'name="Spin"', b'name="Swell"')
    .replace(b"n = 0\nwhile n &gt;= 0:\n    n = n + 1", b'padding = "-" * width')
)


@pytest.fixture
def limited(sqlite_url: str, tmp_path: Path, clock: MovableClock, board: Switchboard) -> Iterator[Services]:
    settings = Settings(
        database_url=sqlite_url, secret_key="t", instance_dir=tmp_path, runner="off", script_time_limit=0.3
    )
    services = bootstrap(settings, clock=clock, registry=support.test_registry(board))
    diagrams = [DiagramSource("spinning.bpmn", SPINNING), DiagramSource("swelling.bpmn", SWELLING)]
    deploy(services, DiagramSet(diagrams), INTEGRATOR)
    yield services
    services.close()


def test_a_script_that_never_ends_leaves_its_case_in_incident_after_the_limit(limited: Services) -> None:
    began = time.monotonic()

    outcome = starting.start(limited, "spinning", {}, INTEGRATOR, business_key="S-1")

    assert time.monotonic() - began < 10
    assert outcome.status == "error"
    view = instances.instance(limited, outcome.instance_id)
    [incident] = view["incidents"]
    assert incident["element"] == "spin"
    assert "ran longer than 0.3 s" in incident["message"]


def test_a_script_that_would_build_a_huge_value_leaves_its_case_in_incident_at_once(
    limited: Services,
) -> None:
    began = time.monotonic()

    # The width comes from the case's own data, as an integrator or a form could send it.
    outcome = starting.start(limited, "swelling", {"width": 10**10}, INTEGRATOR, business_key="W-1")

    assert time.monotonic() - began < 10
    assert outcome.status == "error"
    [incident] = instances.instance(limited, outcome.instance_id)["incidents"]
    assert incident["element"] == "spin"
    assert "10,000,000,000 items" in incident["message"]
    assert "diagram scripts may build at most 1,000,000" in incident["message"]
