"""Run workflows to their wait states and describe those wait states for the store.

Every SpiffWorkflow call the service makes at run time goes through ``Engine``.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable, Collection, Mapping
from typing import Any
from uuid import UUID

from SpiffWorkflow.bpmn import BpmnEvent, BpmnWorkflow
from SpiffWorkflow.bpmn.specs.event_definitions.message import MessageEventDefinition
from SpiffWorkflow.exceptions import WorkflowException
from SpiffWorkflow.task import Task
from SpiffWorkflow.util.task import TaskState

from service.clock import Clock
from service.engine import compaction, measure, progress, serializer, timekeeping, waits
from service.engine.decisions_values import DecisionTaken
from service.engine.scripting import RestrictedEnvironment, RestrictedScriptEngine, ServiceCaller
from service.engine.specs import SpecBundle
from service.engine.values import (
    CONTEXT_PROPERTY,
    ContextEntry,
    MessageIncomplete,
    NotWaiting,
    WaitState,
    parse_context,
)
from service.engine.waits import event_definitions
from service.errors import FieldError, InvalidData


class Engine:
    """The service's one door into SpiffWorkflow."""

    def __init__(
        self,
        functions: Mapping[str, Callable[..., Any]],
        clock: Clock,
        *,
        script_time_limit: float = 2.0,
        max_case_data: int | None = None,
        compact: bool = True,
    ) -> None:
        timekeeping.install()
        # Off only to compare a compacted case with a full one (tests/integration/test_compaction.py).
        self.compact = compact
        limit = measure.MAX_CASE_DATA if max_case_data is None else max_case_data
        self.environment = RestrictedEnvironment(functions, script_time_limit, limit)
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
        self.check_submitted({}, variables)
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
        """Compact the workflow to what is live, then return its state-only JSON."""
        if self.compact:
            compaction.compact(workflow)
        return serializer.dump_state(workflow)

    def check_submitted(self, current: Mapping[str, Any], submitted: Mapping[str, Any]) -> None:
        """Refuse submitted data that would leave the case past its data limit, naming the fields."""
        try:
            measure.check_case_data({**current, **submitted}, self.environment.max_case_data)
        except measure.CaseDataTooLarge as exc:
            field = next((name for name in exc.largest if name in submitted), next(iter(submitted), ""))
            problem = f"too large: the case may hold {self.environment.max_case_data:,} characters of data"
            raise InvalidData(str(exc), [FieldError(field, problem)]) from None

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
        self.check_submitted(task.data, data)
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
                for d, _ in event_definitions(t)
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

    def retry_failed(self, workflow: BpmnWorkflow, task_ids: Collection[str] | None = None) -> WaitState:
        """Put the tasks in ERROR (or those of ``task_ids``) back to READY and advance."""
        for task in workflow.get_tasks(state=TaskState.ERROR):
            if task_ids is None or str(task.id) in task_ids:
                workflow.reset_from_task_id(task.id)
        return self.advance(workflow)

    def cancel(self, workflow: BpmnWorkflow) -> None:
        """Cancel every open task of the workflow."""
        workflow.cancel()

    def wait_state(self, workflow: BpmnWorkflow) -> WaitState:
        """Describe the workflow's current wait state."""
        return waits.describe(workflow, self.clock)

    def element_states(self, workflow: BpmnWorkflow) -> progress.ElementStates:
        """Return the completed, active, waiting and failed BPMN element ids of the workflow."""
        return progress.element_states(workflow)

    def data_of(self, task: Task) -> dict[str, Any]:
        """Return a copy of one task's data (what its form may be bound to)."""
        return dict(task.data)

    def context_of(self, task: Task) -> list[ContextEntry]:
        """Return what a human task declares it shows beside its form (its decisionContext)."""
        properties = getattr(task.task_spec, "extensions", {}).get("properties", {})
        return parse_context(properties.get(CONTEXT_PROPERTY))

    def declares_context(self, bundle: SpecBundle, task_name: str) -> bool:
        """Tell whether a task may declare a context (False when no spec of that name declares one)."""
        specs = [bundle.spec, *bundle.subprocess_specs.values()]
        found = [s.task_specs[task_name] for s in specs if task_name in s.task_specs]
        if not found:
            return True  # not found without the case: let the restored task answer
        return any(CONTEXT_PROPERTY in getattr(t, "extensions", {}).get("properties", {}) for t in found)

    def take_decisions(self, workflow: BpmnWorkflow) -> list[DecisionTaken]:
        """Return the decisions business rule tasks took since the last call, and forget them."""
        collected: list[DecisionTaken] = getattr(workflow.script_engine, "decisions_taken", [])
        taken = list(collected)
        collected.clear()
        return taken

    def task_data(self, workflow: BpmnWorkflow) -> dict[str, Any]:
        """Return the data of the workflow's most recent task (the case's variables)."""
        last = workflow.last_task or workflow.task_tree
        return dict(last.data)


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
