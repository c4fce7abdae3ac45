"""Diagram scripts cannot import, touch files or walk dunders — at deploy and again at run time."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from service.clock import MovableClock
from service.engine.budget import ScriptTimeout
from service.engine.functions import diagram_functions
from service.engine.policy import PolicyViolation, check_expression, check_script
from service.engine.runtime import Engine
from service.engine.specs import load_bundle
from service.engine.values import DiagramSource
from tests.support import START

ESCAPES = [
    "().__class__.__base__.__subclasses__()",
    "__import__('os').system('touch /tmp/rcp-pwned')",
    "[c for c in ().__class__.__mro__[1].__subclasses__() if c.__name__ == 'Popen']",
    "open('/etc/passwd').read()",
    "'{0.__init__.__globals__}'.format(len)",
    "getattr(len, '__self__')",
    "vars(len)",
    "type('X', (), {})",
    "eval('1')",
    "compile('1', 'x', 'eval')",
    "(lambda: 0).__globals__",
    "globals()['__builtins__']",
]


@pytest.mark.parametrize("source", ESCAPES)
def test_escape_attempts_are_refused_as_expressions(source: str) -> None:
    with pytest.raises(PolicyViolation):
        check_expression(source)


@pytest.mark.parametrize(
    "source",
    [
        "import os",
        "from os import path",
        "global x\nx = 1",
        "del x",
        "class A:\n    pass",
        "with open('f') as f:\n    pass",
    ],
)
def test_forbidden_statements_are_refused_in_scripts(source: str) -> None:
    with pytest.raises(PolicyViolation):
        check_script(source)


@pytest.mark.parametrize(
    "source",
    [
        "total = sum(x['amount'] for x in items)",
        "late = days > 15",
        "due = add_days(received_on, 15)",
        "names = sorted({'b', 'a'})",
    ],
)
def test_ordinary_scripts_pass(source: str) -> None:
    check_script(source)


SCRIPTED = """<?xml version="1.0" encoding="UTF-8"?>
<bpmn:definitions xmlns:bpmn="http://www.omg.org/spec/BPMN/20100524/MODEL" id="d" targetNamespace="t">
  <bpmn:process id="scripted" isExecutable="true">
    <bpmn:startEvent id="start"><bpmn:outgoing>f1</bpmn:outgoing></bpmn:startEvent>
    <bpmn:scriptTask id="run_it"><bpmn:incoming>f1</bpmn:incoming><bpmn:outgoing>f2</bpmn:outgoing>
      <bpmn:script>{script}</bpmn:script></bpmn:scriptTask>
    <bpmn:endEvent id="end"><bpmn:incoming>f2</bpmn:incoming></bpmn:endEvent>
    <bpmn:sequenceFlow id="f1" sourceRef="start" targetRef="run_it" />
    <bpmn:sequenceFlow id="f2" sourceRef="run_it" targetRef="end" />
  </bpmn:process>
</bpmn:definitions>"""


def _run_script(script: str, time_limit: float = 2.0) -> tuple[str, dict]:
    clock = MovableClock(START)
    engine = Engine(diagram_functions(clock), clock, script_time_limit=time_limit)
    xml = SCRIPTED.format(script=script.replace("&", "&amp;").replace("<", "&lt;"))
    bundle = load_bundle("scripted", [DiagramSource("scripted.bpmn", xml.encode())])
    workflow = engine.new_workflow(bundle, {}, engine.script_engine(None, "i", None))
    wait = engine.advance(workflow)
    return wait.status, {"failures": [f.message for f in wait.failures], "data": engine.task_data(workflow)}


def test_a_diagram_that_skipped_deployment_still_cannot_escape_at_run_time(tmp_path: Path) -> None:
    marker = tmp_path / "pwned"

    status, seen = _run_script(f"__import__('os').system('touch {marker}')")

    assert status == "error"
    assert "not allowed" in seen["failures"][0]
    assert not marker.exists()


def test_a_permitted_script_runs_and_sees_the_injected_functions() -> None:
    status, seen = _run_script(
        "due = add_days('2026-01-05', 15)\nlate = days_between('2026-01-05', due) > 15"
    )

    assert status == "completed"
    assert seen["data"]["due"] == "2026-01-20"
    assert seen["data"]["late"] is False


@pytest.mark.parametrize(
    "script",
    [
        "while True:\n    pass",
        "n = 0\nwhile n >= 0:\n    n = n + 1",
        "total = sum(x for x in range(10 ** 6) for y in range(10 ** 6))",
        "def spin(n):\n    while True:\n        n = n + 1\nspin(0)",
    ],
)
def test_a_script_that_never_ends_fails_its_step_at_the_time_limit(script: str) -> None:
    began = time.monotonic()

    status, seen = _run_script(script, time_limit=0.2)

    assert status == "error"
    assert "ran longer than 0.2 s" in seen["failures"][0]
    assert time.monotonic() - began < 5


def test_an_expression_that_never_ends_is_stopped_at_the_time_limit() -> None:
    clock = MovableClock(START)
    engine = Engine(diagram_functions(clock), clock, script_time_limit=0.2)

    with pytest.raises(ScriptTimeout):
        engine.environment.evaluate("max(n for n in range(10**6) for m in range(10**6))", {})


def test_a_script_within_its_time_limit_runs_to_the_end() -> None:
    status, seen = _run_script("total = 0\nfor n in range(20000):\n    total = total + n", time_limit=2)

    assert status == "completed"
    assert seen["data"]["total"] == sum(range(20000))
