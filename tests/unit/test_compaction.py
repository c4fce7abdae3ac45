"""Compaction on the engine alone: a state saved by the old code, compacted, restores the same."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from service.clock import MovableClock
from service.engine import compaction, progress, serializer, waits
from service.engine.specs import SpecBundle, load_bundle
from service.engine.values import DiagramSource
from tests.program_support import moment

FIXTURE = (
    Path(__file__).resolve().parent.parent / "fixtures" / "states" / "application_review_pre_compaction.json"
)


@pytest.fixture(scope="module")
def saved() -> dict[str, Any]:
    found: dict[str, Any] = json.loads(FIXTURE.read_text())
    return found


@pytest.fixture(scope="module")
def bundle(saved: dict[str, Any]) -> SpecBundle:
    sources = [DiagramSource(name, xml.encode()) for name, xml in saved["sources"].items()]
    return load_bundle(saved["process_key"], sources)


def _tasks(workflow: Any) -> dict[str, tuple[str, int, dict[str, Any]]]:
    return {str(t.id): (t.task_spec.name, t.state, t.data) for t in workflow.get_tasks()}


@pytest.mark.parametrize("label", ["review_application", "await_information"])
def test_a_compacted_state_restores_with_the_same_live_tasks_data_and_highlights(
    saved: dict[str, Any], bundle: SpecBundle, label: str
) -> None:
    state = next(c for c in saved["cases"] if c["open_tasks"] == [label])["state"]
    full = serializer.load_state(state, bundle.spec, bundle.subprocess_specs)
    workflow = serializer.load_state(state, bundle.spec, bundle.subprocess_specs)

    compaction.compact(workflow)
    compacted = serializer.dump_state(workflow)
    restored = serializer.load_state(compacted, bundle.spec, bundle.subprocess_specs)

    assert len(compacted) < len(state) * 0.75
    kept, before = _tasks(restored), _tasks(full)
    assert kept.items() <= before.items()  # what stays is as it was: state and data
    clock = MovableClock(moment("2026-01-20"))
    assert waits.describe(restored, clock) == waits.describe(full, clock)
    assert restored.last_task.data == full.last_task.data
    assert progress.element_states(restored) == progress.element_states(full)
    finished = [sp for sp in restored.subprocesses.values() if sp.completed]
    assert finished == []  # the first round's information_request left the state
    compaction.compact(restored)
    assert serializer.dump_state(restored) == compacted  # nothing more to remove


def test_the_first_loop_pass_is_cut_and_the_later_pass_takes_its_place(
    saved: dict[str, Any], bundle: SpecBundle
) -> None:
    state = saved["cases"][0]["state"]
    workflow = serializer.load_state(state, bundle.spec, bundle.subprocess_specs)
    compaction.compact(workflow)
    [review] = [sp for sp in workflow.subprocesses.values() if sp.spec.name == "review_phase"]
    line = []
    [task] = [t for t in review.get_tasks() if t.task_spec.name == "review_application"]
    while task is not None:
        line.append(task.task_spec.name)
        task = task.parent
    assert line == ["review_application", "review_round", "review_begins", "Start"]
    done = compaction.completed_elements(workflow)
    assert set(done) >= {"review_application", "next_step", "ask_for_information", "review_round"}
    assert done["review_application"]["lane"] == "reviewers"
