"""Move a running workflow to another version of its definition (SpiffWorkflow's diff/migrate).

A case may move only when every active task and waiting event it has exists unchanged in the
target version: then nothing a person sees or a timer counts changes, only what comes after.
"""

from __future__ import annotations

from copy import deepcopy
from dataclasses import dataclass
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.serializer import BpmnWorkflowSerializer
from SpiffWorkflow.bpmn.util.diff import WorkflowDiff, diff_workflow, migrate_workflow
from SpiffWorkflow.spiff.serializer.config import SPIFF_CONFIG
from SpiffWorkflow.spiff.serializer.task_spec import BusinessRuleTaskConverter, SpiffBpmnTaskConverter
from SpiffWorkflow.spiff.specs.defaults import BusinessRuleTask
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from service.clock import Clock
from service.engine import timekeeping
from service.engine.specs import SpecBundle

# Tasks a case is "at": a person's task, a waiting timer or message, a running call activity.
ACTIVE = TaskState.READY | TaskState.WAITING | TaskState.STARTED
# The tasks migrate_workflow resets and re-predicts (its default mask).
RESET = TaskState.READY | TaskState.WAITING
# A waiting task's successors are predicted again by the migration, so new paths after it are
# exactly what a migration is for; every other attribute of its element must be equal.
IGNORED_ATTRIBUTES = frozenset({"outputs"})


class _TableTaskConverter(BusinessRuleTaskConverter):
    """Describe a business rule task by its decision table (ours, not Spiff's ``DMNEngine``)."""

    def to_dict(self, spec: Any) -> dict[str, Any]:
        dct: dict[str, Any] = SpiffBpmnTaskConverter.to_dict(self, spec)
        table = spec.dmnEngine.table
        # Source lines move when nothing changes; the table's meaning is its columns and rules.
        dct["decision_table"] = {
            "id": table.decision_id,
            "hit_policy": table.hit_policy,
            "inputs": [(i.id, i.expression, i.type_ref) for i in table.inputs],
            "outputs": [(o.id, o.name, o.type_ref) for o in table.outputs],
            "rules": [(r.id, r.inputs, r.outputs) for r in table.rules],
        }
        return dct


_SPEC_REGISTRY = BpmnWorkflowSerializer.configure({**SPIFF_CONFIG, BusinessRuleTask: _TableTaskConverter})


@dataclass(frozen=True)
class Blocker:
    """Why a case cannot move: the element it waits at, and what differs in the target."""

    element_id: str
    name: str | None
    reason: str

    def as_dict(self) -> dict[str, Any]:
        return {"elementId": self.element_id, "name": self.name, "reason": self.reason}


@dataclass
class _Plan:
    top: WorkflowDiff
    subprocesses: dict[Any, WorkflowDiff | None]


def _plan(workflow: BpmnWorkflow, target: SpecBundle) -> _Plan:
    top, subs = diff_workflow(_SPEC_REGISTRY, workflow, target.spec, target.subprocess_specs)
    return _Plan(top, subs)


def blockers(workflow: BpmnWorkflow, target: SpecBundle) -> list[Blocker]:
    """Return why the workflow cannot move to ``target`` (empty: it can)."""
    plan = _plan(workflow, target)
    found = _diff_blockers(workflow, plan.top)
    for sp_id, sub in workflow.subprocesses.items():
        diff = plan.subprocesses.get(sp_id)
        if diff is None:
            found += [
                Blocker(_element(t), t.task_spec.bpmn_name, "its process is not in the target version")
                for t in sub.get_tasks(state=ACTIVE, skip_subprocesses=True)
            ]
        else:
            found += _diff_blockers(sub, diff)
    return found


def _diff_blockers(workflow: Any, diff: WorkflowDiff) -> list[Blocker]:
    found: list[Blocker] = []
    changed = {t.task_spec: t for t in diff.changed}
    for task in workflow.get_tasks(state=TaskState.ANY_MASK, skip_subprocesses=True):
        state = task.state
        spec = task.task_spec
        name = spec.bpmn_name
        if state == TaskState.ERROR:
            found.append(Blocker(_element(task), name, "has an incident: retry or cancel it first"))
        elif state & ACTIVE:
            if task in diff.removed:
                found.append(Blocker(_element(task), name, "is not in the target version"))
            elif spec in changed:
                differs = _differences(spec, diff.alignment[task])
                if differs:
                    found.append(
                        Blocker(_element(task), name, f"is changed in the target version ({differs})")
                    )
        elif state & TaskState.NOT_FINISHED_MASK and task in diff.removed and not _under_reset(task):
            found.append(Blocker(_element(task), name, "is planned next but not in the target version"))
    return found


def _differences(spec: Any, new_spec: Any) -> str:
    before = _SPEC_REGISTRY.convert(spec)
    after = _SPEC_REGISTRY.convert(new_spec)
    if before.get("typename") != after.get("typename"):
        return "element type"
    keys = [k for k, v in before.items() if after.get(k) != v and k not in IGNORED_ATTRIBUTES]
    return ", ".join(_LABELS.get(k, k) for k in keys)


_LABELS = {
    "bpmn_name": "name",
    "decision_table": "decision table",
    "bpmn_id": "id",
    "event_definition": "event definition",
    "extensions": "Spiff extensions",
    "inputs": "incoming flows",
    "prescript": "pre-script",
    "postscript": "post-script",
}


def _under_reset(task: Task) -> bool:
    parent = task.parent
    while parent is not None:
        if parent.state & RESET:
            return True
        parent = parent.parent
    return False


def _element(task: Task) -> str:
    spec = task.task_spec
    return str(spec.bpmn_id or spec.name)


def migrate(workflow: BpmnWorkflow, target: SpecBundle, clock: Clock) -> None:
    """Move the workflow (and its subprocesses) onto the target specs; call only without blockers."""
    plan = _plan(workflow, target)
    kept = _waiting_state(workflow)
    with timekeeping.running_on(clock):
        migrate_workflow(plan.top, workflow, target.spec)
        for sp_id, sub in workflow.subprocesses.items():
            diff = plan.subprocesses.get(sp_id)
            if diff is not None:
                migrate_workflow(diff, sub, target.subprocess_specs[sub.spec.name])
    workflow.subprocess_specs = target.subprocess_specs
    _restore_waiting_state(workflow, kept)


def _all_workflows(workflow: BpmnWorkflow) -> list[Any]:
    return [workflow, *workflow.subprocesses.values()]


def _waiting_state(workflow: BpmnWorkflow) -> dict[Any, tuple[dict[str, Any], dict[str, Any]]]:
    # migrate_workflow resets READY and WAITING tasks, which forgets what they computed when they
    # started waiting: a timer's due time, a task's due date. A deadline must not restart because
    # the diagram moved on (§163.11(b) counts from receipt, not from a migration), so keep them.
    return {
        task.id: (deepcopy(task.internal_data), deepcopy(task.data))
        for wf in _all_workflows(workflow)
        for task in wf.get_tasks(state=RESET, skip_subprocesses=True)
    }


def _restore_waiting_state(
    workflow: BpmnWorkflow, kept: dict[Any, tuple[dict[str, Any], dict[str, Any]]]
) -> None:
    for wf in _all_workflows(workflow):
        for task_id, (internal, data) in kept.items():
            task = wf.tasks.get(task_id)
            if task is not None:
                task.internal_data = internal
                task.data = data
