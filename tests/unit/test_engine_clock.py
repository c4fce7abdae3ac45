"""Timers read the injected clock, so 15- and 30-day deadlines can be tested by moving it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from service.clock import MovableClock
from service.engine.functions import diagram_functions
from service.engine.runtime import Engine
from service.engine.specs import load_bundle
from service.engine.values import DiagramSource

TIMER = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="waits" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:intermediateCatchEvent id="fifteen_days"><bpmn:incoming>f1</bpmn:incoming>
      <bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:timerEventDefinition><bpmn:timeDuration>"P15D"</bpmn:timeDuration></bpmn:timerEventDefinition>
    </bpmn:intermediateCatchEvent>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="fifteen_days" />
    <bpmn:sequenceFlow id="f2" sourceRef="fifteen_days" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>"""


def test_a_fifteen_day_timer_is_due_fifteen_days_after_the_engine_clock() -> None:
    clock = MovableClock(datetime(2026, 3, 1, 12, 0, tzinfo=UTC))
    engine = Engine(diagram_functions(clock), clock)
    bundle = load_bundle("waits", [DiagramSource("waits.bpmn", TIMER.encode())])
    workflow = engine.new_workflow(bundle, {}, engine.script_engine(None, "i", None))

    wait = engine.advance(workflow)
    assert wait.next_timer_due == datetime(2026, 3, 16, 12, 0, tzinfo=UTC)

    clock.advance(timedelta(days=15) - timedelta(seconds=1))
    assert engine.fire_timers(workflow).status == "waiting"
    clock.advance(seconds=2)
    assert engine.fire_timers(workflow).status == "completed"


def test_outside_a_trigger_the_engine_module_reads_the_wall_clock() -> None:
    from SpiffWorkflow.bpmn.specs.event_definitions import timer

    Engine({}, MovableClock(datetime(2000, 1, 1, tzinfo=UTC)))
    assert abs(timer.datetime.now(UTC) - datetime.now(UTC)) < timedelta(seconds=5)
