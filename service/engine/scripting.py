"""The script engine diagrams run under: the policy, safe builtins, injected functions, services."""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, Protocol

from SpiffWorkflow.bpmn.script_engine import PythonScriptEngine, TaskDataEnvironment

from handlers.registry import CallContext
from service.engine import compiling, measure, policy
from service.engine.budget import time_limited
from service.engine.decisions_values import DecisionTaken


class ServiceCaller(Protocol):
    """Calls a named operation with evaluated parameters and returns a JSON-able result."""

    def __call__(self, operation: str, params: dict[str, Any], context: CallContext) -> Any: ...


class RestrictedEnvironment(TaskDataEnvironment):
    """Task-data environment that checks the policy and runs with safe builtins only."""

    def __init__(
        self,
        functions: Mapping[str, Callable[..., Any]],
        time_limit: float = 2.0,
        max_case_data: int = measure.MAX_CASE_DATA,
    ) -> None:
        super().__init__(dict(functions))
        self._builtins = dict(policy.SAFE_BUILTINS) | compiling.BUILTINS
        self.time_limit = time_limit
        self.max_case_data = max_case_data

    def evaluate(self, expression: str, context: dict[str, Any], external_context: Any = None) -> Any:
        code = compiling.expression(expression)
        scope = dict(self.globals)
        scope.update(external_context or {})
        scope.update(context)
        # Applied last so task data can never shadow the restricted builtins or the size guards.
        scope.update(compiling.GUARDS)
        scope["__builtins__"] = self._builtins
        with time_limited(self.time_limit), measure.budgeted():
            return eval(code, scope)  # noqa: S307 - checked by the policy when compiled

    def execute(self, script: str, context: dict[str, Any], external_context: Any = None) -> bool:
        code = compiling.script(script)
        extra = dict(external_context or {})
        extra.update(compiling.GUARDS)  # Spiff applies these over the task data, then removes them
        extra["__builtins__"] = self._builtins
        before = dict(context)
        try:
            with time_limited(self.time_limit), measure.budgeted():
                done = bool(super().execute(code, context, extra))
            measure.check_case_data(context, self.max_case_data)
        except Exception:
            # A failed step leaves the data as it found it: the incident's case never stores the
            # half-built (perhaps huge) values, and a retry starts from the same data.
            context.clear()
            context.update(before)
            raise
        return done


class RestrictedScriptEngine(PythonScriptEngine):
    """Script engine whose service calls go to the handler registry (never to a script)."""

    environment: RestrictedEnvironment

    def __init__(
        self,
        environment: RestrictedEnvironment,
        call_service: ServiceCaller | None = None,
        instance_id: str = "",
        business_key: str | None = None,
    ) -> None:
        super().__init__(environment=environment)
        self._call_service = call_service
        self.instance_id = instance_id
        self.business_key = business_key
        # Business rule tasks append what they decided; the trigger's save records and clears it.
        self.decisions_taken: list[DecisionTaken] = []

    def call_service(self, task: Any, **kwargs: Any) -> str:
        """Dispatch a service task to the registry; return the JSON string Spiff expects."""
        if self._call_service is None:
            raise RuntimeError("no service caller is bound to this script engine")
        params = {name: spec["value"] for name, spec in kwargs["operation_params"].items()}
        context = CallContext(
            instance_id=self.instance_id,
            business_key=self.business_key,
            process_key=task.workflow.spec.name,
            task_id=str(task.id),
            task_name=task.task_spec.bpmn_id or task.task_spec.name,
        )
        result = self._call_service(kwargs["operation_name"], params, context)
        # Spiff stores the result in the task's data: held to the case's limit like a script's.
        variable = getattr(task.task_spec, "result_variable", "result")
        measure.check_case_data({**task.data, variable: result}, self.environment.max_case_data)
        return json.dumps(result)
