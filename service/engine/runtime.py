"""Run workflows to their wait states and describe those wait states for the store.

Every SpiffWorkflow call the service makes at run time goes through ``Engine``.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.base import EventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.multiple import MultipleEventDefinition
from SpiffWorkflow.bpmn.specs.event_definitions.timer import TimerEventDefinition
from SpiffWorkflow.bpmn.specs.mixins.subworkflow_task import CallActivity
from SpiffWorkflow.exceptions import WorkflowException
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from service.clock import Clock

from . import progress, serializer, timekeeping
from .scripting import RestrictedEnvironment, RestrictedScriptEngine, ServiceCaller
from .specs import SpecBundle


@dataclass(frozen=True)
class ReadyTask:
    """A human task waiting for someone, as the inbox needs it."""

    task_id: str
    name: str
    title: str | None
    lane: str | None
    process_key: str
    form: str | None
    ui_form: str | None
    due_at: datetime | None
    due_citation: str | None
    instructions: str | None
    documentation: str | None


@dataclass(frozen=True)
class Subscription:
    """A message the instance waits for, with the correlation values it expects."""

    message_name: str
    correlation: dict[str, Any]
    task_id: str
    task_name: str


@dataclass(frozen=True)
class PendingTimer:
    """A timer that will fire at ``due_at``; the citation comes from the element's documentation."""

    task_id: str
    task_name: str
    title: str | None
    due_at: datetime
    documentation: str | None


@dataclass(frozen=True)
class TaskFailure:
    """A task left in ERROR by a failing handler or script."""

    task_id: str
    task_name: str
    message: str
    detail: str


@dataclass
class WaitState:
    """Where an instance stands after a trigger: everything the derived tables hold."""

    status: str
    ready_tasks: list[ReadyTask] = field(default_factory=list)
    subscriptions: list[Subscription] = field(default_factory=list)
    timers: list[PendingTimer] = field(default_factory=list)
    failures: list[TaskFailure] = field(default_factory=list)

    @property
    def next_timer_due(self) -> datetime | None:
        return min((t.due_at for t in self.timers), default=None)


class NotWaiting(Exception):
    """The instance does not wait for what was delivered."""


class MessageIncomplete(ValueError):
    """A delivered message lacks a value its correlation properties are computed from."""

    def __init__(self, message: str, property_id: str) -> None:
        super().__init__(message)
        self.property_id = property_id


class Engine:
    """The service's one door into SpiffWorkflow."""

    def __init__(self, functions: Mapping[str, Callable[..., Any]], clock: Clock) -> None:
        timekeeping.install()
        self.environment = RestrictedEnvironment(functions)
        self.clock = clock

    def script_engine(
        self, caller: ServiceCaller | None, instance_id: str, business_key: str | None
    ) -> RestrictedScriptEngine:
        """Return a script engine bound to one instance's service calls."""
        return RestrictedScriptEngine(self.environment, caller, instance_id, business_key)

    def new_workflow(
        self, bundle: SpecBundle, variables: dict[str, Any], script_engine: RestrictedScriptEngine
    ) -> BpmnWorkflow:
        """Create a workflow with the start variables on its start task."""
        workflow = BpmnWorkflow(bundle.spec, bundle.subprocess_specs, script_engine=script_engine)
        start = workflow.get_next_task(state=TaskState.READY)
        if start is not None:
            start.data.update(variables)
        return workflow

    def restore(self, state: str, bundle: SpecBundle, script_engine: RestrictedScriptEngine) -> BpmnWorkflow:
        """Load a saved state against its definition's specs."""
        workflow = serializer.load_state(state, bundle.spec, bundle.subprocess_specs)
        workflow.script_engine = script_engine
        return workflow

    def dump(self, workflow: BpmnWorkflow) -> str:
        """Return the state-only JSON of the workflow."""
        return serializer.dump_state(workflow)

    def advance(self, workflow: BpmnWorkflow) -> WaitState:
        """Run engine tasks until only people, messages or timers are left (or a task fails)."""
        with timekeeping.running_on(self.clock):
            _guarded(workflow, workflow.do_engine_steps)
            return self.wait_state(workflow)

    def find_ready_task(self, workflow: BpmnWorkflow, task_id: str) -> Task | None:
        """Return the READY human task with that id, or None."""
        try:
            task = workflow.get_task_from_id(UUID(task_id))
        except (ValueError, WorkflowException, KeyError):
            return None
        if task is None or task.state != TaskState.READY or not task.task_spec.manual:
            return None
        return task

    def complete_task(self, workflow: BpmnWorkflow, task: Task, data: dict[str, Any]) -> WaitState:
        """Apply submitted data to a READY human task, run it, and advance."""
        with timekeeping.running_on(self.clock):
            apply_form = getattr(task.task_spec, "add_data_from_form", None)
            if apply_form is not None:
                apply_form(task, data)
            else:
                task.data.update(data)
            if not _guarded(workflow, task.run):
                return self.wait_state(workflow)
        return self.advance(workflow)

    def deliver_message(
        self, workflow: BpmnWorkflow, message_name: str, payload: dict[str, Any]
    ) -> WaitState:
        """Deliver a named message to the workflow's waiting catch events and advance."""
        with timekeeping.running_on(self.clock):
            waiting = [
                (t, d)
                for t in workflow.event_manager.tasks.values()
                for d, _ in _event_definitions(t)
                if isinstance(d, MessageEventDefinition) and d.name == message_name
            ]
            if not waiting:
                raise NotWaiting(f"the instance is not waiting for message '{message_name}'")
            task, definition = waiting[0]
            correlations = _message_correlations(workflow, definition, message_name, payload)
            # An event-based gateway does not record the values its message expects the way a
            # catch event does; the service already routed the message here by those values.
            task.workflow.correlations.update(
                definition.calculate_correlations(
                    workflow.script_engine, getattr(definition, "process_correlations", []), task.data
                )
            )
            try:
                workflow.send_event(BpmnEvent(definition, payload=payload, correlations=correlations))
            except WorkflowException as exc:
                raise NotWaiting(str(exc)) from None
        return self.advance(workflow)

    def fire_timers(self, workflow: BpmnWorkflow) -> WaitState:
        """Fire every timer that is due on the engine's clock, then advance."""
        with timekeeping.running_on(self.clock):
            _guarded(workflow, workflow.refresh_timers)
        return self.advance(workflow)

    def retry_failed(self, workflow: BpmnWorkflow) -> WaitState:
        """Put every task in ERROR back to READY and advance (retry after a fix)."""
        for task in workflow.get_tasks(state=TaskState.ERROR):
            workflow.reset_from_task_id(task.id)
        return self.advance(workflow)

    def cancel(self, workflow: BpmnWorkflow) -> None:
        """Cancel every open task of the workflow."""
        workflow.cancel()

    def wait_state(self, workflow: BpmnWorkflow) -> WaitState:
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
        ready = [self._ready_task(t) for t in manual_ready]
        subscriptions, timers = _waiting_events(workflow)
        status = "error" if failures else "waiting"
        return WaitState(status, ready, subscriptions, timers, failures)

    def element_states(self, workflow: BpmnWorkflow) -> progress.ElementStates:
        """Return the completed, active, waiting and failed BPMN element ids of the workflow."""
        return progress.element_states(workflow)

    def data_of(self, task: Task) -> dict[str, Any]:
        """Return a copy of one task's data (what its form may be bound to)."""
        return dict(task.data)

    def task_data(self, workflow: BpmnWorkflow) -> dict[str, Any]:
        """Return the data of the workflow's most recent task (the case's variables)."""
        last = workflow.last_task or workflow.task_tree
        return dict(last.data)

    def _ready_task(self, task: Task) -> ReadyTask:
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
            due_at=self._due_at(task, props.get("dueDate")),
            due_citation=props.get("dueCitation"),
            instructions=extensions.get("instructionsForEndUser"),
            documentation=spec.documentation,
        )

    def _due_at(self, task: Task, expression: str | None) -> datetime | None:
        # Evaluated once, when the task first becomes ready, and kept with the task: a due date
        # computed from "today" must not move on later reads.
        if not expression:
            return None
        if "rcp_due_at" not in task.internal_data:
            with timekeeping.running_on(self.clock):
                value = task.workflow.script_engine.evaluate(task, expression)
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
    if "T" not in text:
        text += "T23:59:59+00:00"  # a due *date* is met until the end of that calendar day
    moment = TimerEventDefinition.get_datetime(text)
    return datetime.fromisoformat(moment.astimezone(UTC).isoformat())


def _failure(task: Task) -> TaskFailure:
    error = task.internal_data.get("rcp_error") or "task failed"
    return TaskFailure(
        task_id=str(task.id),
        task_name=task.task_spec.bpmn_id or task.task_spec.name,
        message=str(error),
        detail=str(task.internal_data.get("rcp_error_detail", "")),
    )


def _waiting_events(workflow: BpmnWorkflow) -> tuple[list[Subscription], list[PendingTimer]]:
    subscriptions: list[Subscription] = []
    timers: list[PendingTimer] = []
    for task in workflow.event_manager.tasks.values():
        for definition, spec in _event_definitions(task):
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


def _message_correlations(
    workflow: BpmnWorkflow, definition: MessageEventDefinition, name: str, payload: dict[str, Any]
) -> dict[str, Any]:
    for prop in definition.correlation_properties:
        try:
            workflow.script_engine.environment.evaluate(prop.retrieval_expression, dict(payload))
        except Exception:
            raise MessageIncomplete(
                f"message '{name}' must carry '{prop.name}' (its correlation property)", prop.name
            ) from None
    result: dict[str, Any] = definition.calculate_correlations(
        workflow.script_engine, definition.correlation_properties, payload
    )
    return result


def _event_definitions(task: Task) -> list[tuple[EventDefinition, Any]]:
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


def _guarded(workflow: BpmnWorkflow, step: Callable[[], Any]) -> bool:
    """Run an engine step; a task that fails is left in ERROR with its error kept (an incident).

    Handlers and scripts may raise anything; such an error belongs to the case, not to the request,
    so it is recorded on the task rather than propagated. An error no task owns is a bug: re-raised.
    """
    try:
        step()
    except Exception as exc:
        owner = getattr(exc, "task", None)
        if isinstance(owner, Task) and owner.state != TaskState.ERROR:
            owner.error()
        failed = workflow.get_tasks(state=TaskState.ERROR)
        if not failed:
            raise
        for task in failed:
            if "rcp_error" not in task.internal_data:
                record_failure(task, exc)
        return False
    return True


def record_failure(task: Task, exc: BaseException) -> None:
    """Keep a handler's error text and stack on the failed task, for the incident."""
    task.internal_data["rcp_error"] = str(exc).rstrip(". ")
    task.internal_data["rcp_error_detail"] = "".join(traceback.format_exception(exc))[-8000:]
