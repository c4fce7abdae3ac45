"""Loops compacted and full, step by step on the engine: the same waits, data and highlights.

Two diagrams (tests/fixtures/compaction/): a loop whose pass forks and joins two user tasks (its
passes stay: SpiffWorkflow counts a parallel join's completed inputs over the whole tree), and a
loop through a user task with an interrupting boundary timer that loops back and a
non-interrupting reminder (its passes go).
"""

from __future__ import annotations

import dataclasses
import json
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from service.clock import MovableClock
from service.engine.runtime import Engine
from service.engine.specs import SpecBundle, load_bundle
from service.engine.values import DiagramSource

DIAGRAMS = Path(__file__).resolve().parent.parent / "fixtures" / "compaction"
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class Run:
    """One instance, saved and restored after every step, with compaction on or off."""

    def __init__(
        self, key: str, compact: bool, clock: MovableClock, functions: dict[str, Any] | None = None
    ) -> None:
        self.bundle: SpecBundle = load_bundle(
            key, [DiagramSource(f"{key}.bpmn", (DIAGRAMS / f"{key}.bpmn").read_bytes())]
        )
        self.engine = Engine(functions or {}, clock, compact=compact)
        self.scripts = self.engine.script_engine(None, key, None)
        workflow = self.engine.new_workflow(self.bundle, {"n": 0, "reminders": 0}, self.scripts)
        self.engine.advance(workflow)
        self.state = self.engine.dump(workflow)

    def step(self, action: Callable[[Engine, Any], object]) -> Any:
        workflow = self.engine.restore(self.state, self.bundle, self.scripts)
        action(self.engine, workflow)
        self.state = self.engine.dump(workflow)
        return self.observed()

    def observed(self) -> Any:
        workflow = self.engine.restore(self.state, self.bundle, self.scripts)
        seen = {
            "wait": dataclasses.asdict(self.engine.wait_state(workflow)),
            "data": self.engine.task_data(workflow),
            "elements": dataclasses.asdict(self.engine.element_states(workflow)),
        }
        names: dict[str, str] = {}
        text = json.dumps(seen, default=str, sort_keys=True)
        return json.loads(_UUID.sub(lambda m: names.setdefault(m.group(0), f"id-{len(names)}"), text))


def complete(name: str) -> Callable[[Engine, Any], object]:
    def act(engine: Engine, workflow: Any) -> object:
        [task] = [t for t in engine.wait_state(workflow).ready_tasks if t.name == name]
        found = engine.find_ready_task(workflow, task.task_id)
        assert found is not None
        return engine.complete_task(workflow, found, {})

    return act


def fire(engine: Engine, workflow: Any) -> object:
    return engine.fire_timers(workflow)


def _twins(key: str, functions: dict[str, Any] | None = None) -> tuple[Run, Run, MovableClock]:
    clock = MovableClock(datetime(2026, 1, 5, 9, tzinfo=UTC))
    return Run(key, True, clock, functions), Run(key, False, clock, functions), clock


def test_a_loop_with_a_parallel_join_runs_alike_and_keeps_its_passes() -> None:
    compacted, full, _ = _twins("parallel_loop")
    for _ in range(4):
        for name in ("b", "a"):
            assert compacted.step(complete(name)) == full.step(complete(name))
    assert compacted.observed()["wait"]["status"] == "completed"
    assert compacted.observed()["data"]["n"] == 4
    assert _task_count(compacted) == _task_count(full)  # every pass kept


def _task_count(run: Run) -> int:
    return len(json.loads(run.state)["tasks"])


def test_a_loop_through_a_timed_task_runs_alike_and_sheds_its_passes() -> None:
    compacted, full, clock = _twins("timed_loop")
    sizes = []
    for number in range(5):
        clock.set(clock.now() + timedelta(days=4))  # the reminder fires, the task stays
        assert compacted.step(fire) == full.step(fire)
        if number % 2:
            clock.set(clock.now() + timedelta(days=7))  # too late: the boundary timer loops back
            assert compacted.step(fire) == full.step(fire)
        else:
            assert compacted.step(complete("answer")) == full.step(complete("answer"))
        sizes.append(len(compacted.state))
    observed = compacted.observed()
    assert observed["data"]["n"] == 6  # five passes, two of them ended by the boundary timer
    assert "note_reminder" in observed["elements"]["completed"] and "late" in observed["elements"]["ran"]
    assert max(sizes) - min(sizes) < 1500 < len(full.state) - len(compacted.state)
    assert _task_count(compacted) < _task_count(full) / 2


def test_a_loop_with_an_incident_keeps_the_failed_task_and_retries_alike() -> None:
    broken = {"now": False}

    def checked(n: int) -> int:
        if broken["now"]:
            raise RuntimeError("the register is offline")
        return n

    compacted, full, _ = _twins("failing_loop", {"checked": checked})
    for _ in range(2):
        assert compacted.step(complete("answer")) == full.step(complete("answer"))
    broken["now"] = True
    failed = compacted.step(complete("answer"))
    assert failed == full.step(complete("answer"))
    assert [f["task_name"] for f in failed["wait"]["failures"]] == ["count"]
    assert failed["elements"]["incidents"] == ["count"]
    broken["now"] = False
    retried = compacted.step(lambda engine, workflow: engine.retry_failed(workflow))
    assert retried == full.step(lambda engine, workflow: engine.retry_failed(workflow))
    assert (retried["data"]["n"], retried["wait"]["failures"]) == (4, [])
    for _ in range(2):
        assert compacted.step(complete("answer")) == full.step(complete("answer"))
    assert compacted.observed()["wait"]["status"] == "completed"
