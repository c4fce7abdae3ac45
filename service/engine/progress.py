"""Which BPMN elements of a workflow ran, run, wait or failed: what the case diagram highlights."""

from __future__ import annotations

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from service.engine.compaction import completed_elements
from service.engine.values import ElementStates


def element_states(workflow: BpmnWorkflow) -> ElementStates:
    """Sort the top diagram's elements (embedded subprocesses included) by their run state.

    Elements of processes reached through call activities live in other diagram files, so they
    are left out: their ids mean nothing on this diagram. An element that ran before and runs
    again (a loop) counts as active or waiting, not completed.
    """
    top_file = workflow.spec.file
    found: dict[str, set[str]] = {"completed": set(), "active": set(), "waiting": set(), "incidents": set()}
    lanes: set[str] = set()
    names: dict[str, str] = {}
    changed: dict[str, float] = {}  # element -> when it last changed state (the order the case ran)
    for task in workflow.get_tasks(state=TaskState.ANY_MASK):
        spec = task.task_spec
        element = getattr(spec, "bpmn_id", None)
        if not element or task.workflow.spec.file != top_file:
            continue
        kind = _kind(task)
        if kind is None:
            continue
        found[kind].add(element)
        names[element] = getattr(spec, "bpmn_name", None) or element
        changed[element] = max(changed.get(element, 0.0), task.last_state_change)
        lane = getattr(spec, "lane", None)
        if lane:
            lanes.add(lane)
    _add_removed(workflow, found["completed"], names, changed, lanes)
    found["completed"] -= found["active"] | found["waiting"] | found["incidents"]
    return ElementStates(
        completed=sorted(found["completed"]),
        active=sorted(found["active"]),
        waiting=sorted(found["waiting"]),
        incidents=sorted(found["incidents"]),
        lanes=sorted(lanes),
        names=names,
        ran=sorted(changed, key=lambda e: (changed[e], e)),
    )


def _add_removed(
    workflow: BpmnWorkflow,
    completed: set[str],
    names: dict[str, str],
    changed: dict[str, float],
    lanes: set[str],
) -> None:
    """Add the completed passes and sub-workflows that compaction removed from the state."""
    for element, done in completed_elements(workflow).items():
        completed.add(element)
        names.setdefault(element, done["name"])
        changed[element] = max(changed.get(element, 0.0), done["changed"])
        if done["lane"]:
            lanes.add(done["lane"])


def _kind(task: Task) -> str | None:
    state = task.state
    if state == TaskState.COMPLETED:
        return "completed"
    if state == TaskState.ERROR:
        return "incidents"
    if state in (TaskState.READY, TaskState.STARTED):
        return "active"
    if state == TaskState.WAITING and getattr(task.task_spec, "event_definition", None) is not None:
        return "waiting"
    return None
