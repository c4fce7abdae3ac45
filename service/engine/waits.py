"""Describe where a workflow waits: the human tasks, messages, timers and failures the store keeps."""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from SpiffWorkflow.bpmn import BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.base import EventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import CallActivity
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from service.clock import Clock
from service.engine import timekeeping
from service.engine.values import PendingTimer, ReadyTask, Subscription, TaskFailure, WaitState


def describe(workflow: BpmnWorkflow, clock: Clock) -> WaitState:
    """Describe the workflow's current wait state."""
    # One pass over every task of the workflow and its subprocesses (the engine's own queries
    # walk the tree once per question; this runs after every trigger).
    errors: list[Task] = []
    manual_ready: list[Task] = []
    unfinished = False
    for task in _all_tasks(workflow):
        state = task.state
        if state == TaskState.ERROR:
            errors.append(task)
        elif state == TaskState.READY and task.task_spec.manual:
            manual_ready.append(task)
        if task.workflow is workflow and state & TaskState.NOT_FINISHED_MASK:
            unfinished = True
    failures = [_failure(t) for t in errors]
    if not unfinished:
        return WaitState(status="completed")
    ready = [_ready_task(t, clock) for t in manual_ready]
    subscriptions, timers = _waiting_events(workflow)
    status = "error" if failures else "waiting"
    return WaitState(status, ready, subscriptions, timers, failures)


def _ready_task(task: Task, clock: Clock) -> ReadyTask:
    spec = task.task_spec
    props: dict[str, str] = getattr(spec, "extensions", {}).get("properties", {})
    extensions = getattr(spec, "extensions", {})
    return ReadyTask(
        task_id=str(task.id),
        name=spec.bpmn_id or spec.name,
        title=spec.bpmn_name,
        lane=spec.lane,
        process_key=_process_key(task),
        form=props.get("formJsonSchemaFilename"),
        ui_form=props.get("formUiSchemaFilename"),
        due_at=_due_at(task, props.get("dueDate"), clock),
        due_citation=props.get("dueCitation"),
        instructions=extensions.get("instructionsForEndUser"),
        documentation=spec.documentation,
    )


def _due_at(task: Task, expression: str | None, clock: Clock) -> datetime | None:
    # Evaluated once, when the task first becomes ready, and kept with the task: a due date
    # computed from "today" must not move on later reads.
    if not expression:
        return None
    if "rcp_due_at" not in task.internal_data:
        with timekeeping.running_on(clock):
            value = task.workflow.script_engine.evaluate(task, expression)
            text = value.isoformat() if isinstance(value, date) else str(value or "")
            if value and "T" not in text:
                # A due *date* is met until the end of that day, as the diagrams' end_of_day says.
                value = task.workflow.script_engine.environment.globals["end_of_day"](text)
        task.internal_data["rcp_due_at"] = _as_utc(value).isoformat() if value else None
    stored = task.internal_data["rcp_due_at"]
    return datetime.fromisoformat(stored) if stored else None


def _all_tasks(workflow: BpmnWorkflow) -> list[Task]:
    tasks = list(workflow.tasks.values())
    for subprocess in workflow.subprocesses.values():
        tasks.extend(subprocess.tasks.values())
    return tasks


def _process_key(task: Task) -> str:
    """Return the id of the process a task belongs to (an embedded sub-process is part of it)."""
    workflow = task.workflow
    while getattr(workflow, "parent_task_id", None) is not None:
        parent = workflow.top_workflow.get_task_from_id(workflow.parent_task_id)
        if isinstance(parent.task_spec, CallActivity):
            break
        workflow = parent.workflow
    return str(workflow.spec.name)


def _as_utc(value: Any) -> datetime:
    """Return a plain aware UTC datetime (never the engine's clocked subclass)."""
    text = value.isoformat() if isinstance(value, datetime) else str(value)
    moment = TimerEventDefinition.get_datetime(text)
    return datetime.fromisoformat(moment.astimezone(UTC).isoformat())


def _failure(task: Task) -> TaskFailure:
    error = task.internal_data.get("rcp_error") or "task failed"
    spec = task.task_spec
    return TaskFailure(
        task_id=str(task.id),
        task_name=spec.bpmn_id or spec.name,
        message=str(error),
        detail=str(task.internal_data.get("rcp_error_detail", "")),
        operation=getattr(spec, "operation_name", None),
        retries=getattr(spec, "retries", None),
        backoff_base=getattr(spec, "retry_backoff_base", None),
    )


def _waiting_events(workflow: BpmnWorkflow) -> tuple[list[Subscription], list[PendingTimer]]:
    subscriptions: list[Subscription] = []
    timers: list[PendingTimer] = []
    for task in workflow.event_manager.tasks.values():
        for definition, spec in event_definitions(task):
            name = spec.bpmn_id or spec.name
            if isinstance(definition, MessageEventDefinition):
                subscriptions.append(
                    Subscription(definition.name, _expected_correlation(task, definition), str(task.id), name)
                )
                continue
            if not isinstance(definition, TimerEventDefinition):
                continue
            due = definition.details(task).value
            if isinstance(due, str):
                timers.append(
                    PendingTimer(str(task.id), name, spec.bpmn_name, _as_utc(due), spec.documentation)
                )
    return subscriptions, timers


def event_definitions(task: Task) -> list[tuple[EventDefinition, Any]]:
    """Return what a waiting task catches, each with the element that declares it.

    An event-based gateway catches the events of the catch events after it (Spiff moves their
    definitions onto the gateway, in the order of its outgoing flows).
    """
    spec = task.task_spec
    definition = spec.event_definition
    if isinstance(definition, MultipleEventDefinition) and len(spec.outputs) == len(
        definition.event_definitions
    ):
        return list(zip(definition.event_definitions, spec.outputs, strict=True))
    if isinstance(definition, MultipleEventDefinition):
        return [(d, spec) for d in definition.event_definitions]
    return [(definition, spec)]


def _expected_correlation(task: Task, definition: EventDefinition) -> dict[str, Any]:
    # Spiff 3.2 keeps no process-side correlation values for a waiting catch event, so the
    # service evaluates the event's processVariableCorrelation expressions itself; the values
    # route incoming messages to this instance (RULES: correlate on business identifiers).
    expected: dict[str, Any] = {}
    for prop in getattr(definition, "process_correlations", []):
        try:
            expected[prop.name] = task.workflow.script_engine.evaluate(task, prop.retrieval_expression)
        except Exception:
            expected[prop.name] = None
    return expected
