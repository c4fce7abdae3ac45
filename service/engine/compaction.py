"""Keep a saved workflow the size of what is live: finished loop passes and sub-workflows leave it.

SpiffWorkflow never prunes: each pass of a loop adds tasks under the finished ones, and every
finished call activity keeps its sub-workflow. The history of those steps lives in the audit,
task and deadline tables; the diagram highlights read the elements recorded here.

A loop pass is cut out when a task's spec repeats on its own ancestor line: the earlier
occurrence and everything under it except the later occurrence's subtree go, and the later one
takes the earlier one's place. It is cut only when the result runs exactly as before:
- the later occurrence and everything removed is finished (data already inherited, no waits);
- the workflow's last task stays (the case's variables are read from it);
- no live structured join under the kept part finds its split among the removed tasks;
- no removed task is, or feeds, a parallel or inclusive join (SpiffWorkflow counts the
  completed inputs of those across the whole tree).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, TypedDict

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.control import BoundaryEventJoin, StartEventJoin, _EndJoin
from SpiffWorkflow.specs.Join import Join
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

RECORD = "rcp_completed"  # the workflow attribute (and state key) holding removed elements


class CompletedElement(TypedDict):
    """A diagram element whose completed tasks left the state: what the case diagram shows of it."""

    name: str
    lane: str | None
    changed: float  # when its latest removed task last changed state


def completed_elements(workflow: BpmnWorkflow) -> dict[str, CompletedElement]:
    """Return the top diagram's elements that completed in tasks compaction removed."""
    found: dict[str, CompletedElement] = getattr(workflow, RECORD, None) or {}
    return found


def set_completed_elements(workflow: BpmnWorkflow, elements: dict[str, CompletedElement]) -> None:
    """Attach the record of removed completed elements (as restored from a saved state)."""
    setattr(workflow, RECORD, elements)


def compact(workflow: BpmnWorkflow) -> None:
    """Remove finished loop passes and finished sub-workflows from the workflow, in place."""
    record = dict(completed_elements(workflow))
    for sub in [workflow, *workflow.subprocesses.values()]:
        # A cut in an outer workflow may already have dropped this one (it was finished).
        if sub is workflow or workflow.subprocesses.get(sub.parent_task_id) is sub:
            _cut_loops(workflow, sub, record)
    for task_id in list(workflow.subprocesses):
        sub = workflow.subprocesses.get(task_id)
        owner = workflow.get_task_from_id(task_id) if sub is not None else None
        if owner is not None and _finished(owner) and not any(_live(t) for t in _tasks_of(sub)):
            _forget_subprocess(workflow, owner, record)
    set_completed_elements(workflow, record)


def _live(task: Task) -> bool:
    # A task in ERROR counts as finished to SpiffWorkflow, but it is an open incident: it stays.
    return bool(task.state & (TaskState.NOT_FINISHED_MASK | TaskState.ERROR))


def _finished(task: Task) -> bool:
    return not _live(task)


def _tasks_of(sub: Any) -> list[Task]:
    return list(sub.tasks.values())


def _cut_loops(top: BpmnWorkflow, sub: Any, record: dict[str, CompletedElement]) -> None:
    """Walk the task tree from its root; cut a loop pass wherever a spec repeats on the line."""
    pending: list[tuple[Task, dict[str, Task]]] = [(sub.task_tree, {})]
    while pending:
        task, line = pending.pop()
        earlier = line.get(task.task_spec.name)
        if earlier is not None and _may_cut(sub, earlier, task):
            _cut(top, sub, earlier, task, record)
            line = _line_above(task)
        line = {**line, task.task_spec.name: task}
        pending.extend((child, line) for child in task.children)


def _line_above(task: Task) -> dict[str, Task]:
    """Return the nearest ancestor of each spec name above the task."""
    ancestors: list[Task] = []
    parent = task.parent
    while parent is not None:
        ancestors.append(parent)
        parent = parent.parent
    return {a.task_spec.name: a for a in reversed(ancestors)}


def _subtree(task: Task, skip: Task | None = None) -> Iterator[Task]:
    """Yield the task and its descendants, leaving out ``skip`` and everything under it."""
    pending = [task]
    while pending:
        current = pending.pop()
        if current is skip:
            continue
        yield current
        pending.extend(current.children)


def _may_cut(sub: Any, earlier: Task, later: Task) -> bool:
    """Tell whether the pass from ``earlier`` down to ``later`` can go without changing the run."""
    if _live(later) or earlier.parent is None:
        return False
    removed = list(_subtree(earlier, skip=later))
    if any(_live(t) or t is sub.last_task or _counted_by_a_join(t) for t in removed):
        return False
    removed_ids = {t.id for t in removed}
    for task in _subtree(later):
        spec = task.task_spec
        if _live(task) and isinstance(spec, Join) and spec.split_task:
            split = task.find_ancestor(spec.split_task)
            if split is not None and split.id in removed_ids:
                return False
    return True


def _counted_by_a_join(task: Task) -> bool:
    """Tell whether the task is or feeds a join that counts completed inputs in the whole tree."""
    specs = [task.task_spec, *task.task_spec.outputs]
    return any(_unstructured_join(s) for s in specs)


def _unstructured_join(spec: Any) -> bool:
    return (
        isinstance(spec, Join)
        and not spec.split_task
        and not isinstance(spec, BoundaryEventJoin | StartEventJoin | _EndJoin)
    )


def _cut(
    top: BpmnWorkflow, sub: Any, earlier: Task, later: Task, record: dict[str, CompletedElement]
) -> None:
    """Put ``later`` where ``earlier`` was and remove the rest of ``earlier``'s subtree."""
    grandparent = earlier.parent
    removed = list(_subtree(earlier, skip=later))
    for task in removed:
        if task.id in top.subprocesses:
            _forget_subprocess(top, task, record)
    _remember(top, removed, record)
    # SpiffWorkflow has no public re-parenting; test_compaction pins this use of its internals.
    later.parent._children.remove(later.id)
    position = grandparent._children.index(earlier.id)
    sub._remove_task(earlier.id)
    grandparent._children.insert(position, later.id)
    later.parent = grandparent


def _forget_subprocess(top: BpmnWorkflow, owner: Task, record: dict[str, CompletedElement]) -> None:
    """Drop a finished sub-workflow (and those it started), remembering its completed elements."""
    _remember(top, top.delete_subprocess(owner), record)


def _remember(top: BpmnWorkflow, tasks: list[Task], record: dict[str, CompletedElement]) -> None:
    """Record the completed top-diagram elements among tasks that leave the state."""
    top_file = top.spec.file
    for task in tasks:
        top.event_manager.remove_task(task)
        spec = task.task_spec
        element = getattr(spec, "bpmn_id", None)
        if task.state != TaskState.COMPLETED or not element or task.workflow.spec.file != top_file:
            continue
        before = record.get(element)
        changed = max(before["changed"], task.last_state_change) if before else task.last_state_change
        name = getattr(spec, "bpmn_name", None) or element
        record[element] = CompletedElement(name=name, lane=getattr(spec, "lane", None), changed=changed)
