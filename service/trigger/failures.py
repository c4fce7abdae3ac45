"""Service-task retries: a failed call is tried again with exponential backoff, then an incident.

The first try runs inline, in the trigger that reaches the task. A failure leaves the task in ERROR
and schedules the next try (``process_instances.retry_at``, indexed); the background runner takes
due retries (``retry_next``). When the tries run out (default 3: ``Operation.retries``, or the
diagram's ``spiffworkflow:serviceTaskOperator/retry retries="n" backoff_base="seconds"``) the
instance gets an incident with the error, stack and attempts; a supervisor retries it after a fix
(``lifecycle.retry``). Every failed try, and every retry that followed one, is kept in
``service_calls``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from handlers.registry import BadParameters, CallContext, UnknownOperation
from service.engine.values import TaskFailure, WaitState
from service.store import UnitOfWork
from service.store.rows import InstanceRow, ServiceCallRow

if TYPE_CHECKING:
    from service.services import Services

DEFAULT_BACKOFF = timedelta(seconds=30)
BACKOFF_CAP = timedelta(hours=6)
# Refusals by the registry are mistakes in the diagram: another try cannot succeed.
PERMANENT = (UnknownOperation, BadParameters)


@dataclass(frozen=True)
class CallRecord:
    task_id: str
    task_name: str
    operation: str
    ok: bool
    retryable: bool = True
    error: str | None = None


@dataclass
class Attempts:
    """What one trigger tried: the service calls it made and the failed tasks it reset."""

    calls: list[CallRecord] = field(default_factory=list)
    retried: set[str] = field(default_factory=set)

    def watch(self, call: Callable[[str, dict[str, Any], CallContext], Any]) -> Callable[..., Any]:
        """Wrap a service caller so each call's outcome is recorded."""

        def watched(operation: str, params: dict[str, Any], context: CallContext) -> Any:
            try:
                result = call(operation, params, context)
            except Exception as exc:
                self.calls.append(
                    CallRecord(
                        context.task_id,
                        context.task_name,
                        operation,
                        ok=False,
                        retryable=not isinstance(exc, PERMANENT),
                        error=f"{type(exc).__name__}: {exc}",
                    )
                )
                raise
            self.calls.append(CallRecord(context.task_id, context.task_name, operation, ok=True))
            return result

        return watched


def tries_for(services: Services, failure: TaskFailure) -> int:
    """How many tries a failed service task gets: the diagram's setting, else the operation's."""
    if failure.retries is not None:
        return max(1, failure.retries)
    if failure.operation is None:
        return 1
    try:
        return max(1, services.registry.get(failure.operation).retries)
    except UnknownOperation:
        return 1


def backoff(failure: TaskFailure, attempt: int) -> timedelta:
    """Wait before the try after ``attempt`` failed ones: base, 2 x base, 4 x base ... (capped)."""
    base = timedelta(seconds=failure.backoff_base) if failure.backoff_base else DEFAULT_BACKOFF
    return min(base * 2 ** max(attempt - 1, 0), BACKOFF_CAP)


@dataclass
class Settlement:
    """How a trigger's failures are settled: retries scheduled, incidents opened, the status."""

    status: str
    calls: list[dict[str, Any]] = field(default_factory=list)
    incidents: list[tuple[TaskFailure, int | None]] = field(default_factory=list)
    retry_times: list[datetime] = field(default_factory=list)
    has_incident: bool = False

    @property
    def retry_at(self) -> datetime | None:
        return min(self.retry_times, default=None)

    @property
    def outcome(self) -> str:
        """The audit outcome: incident, retrying or ok."""
        if self.incidents:
            return "incident"
        return "retrying" if any(c["outcome"] == "failed" for c in self.calls) else "ok"

    def write(self, uow: UnitOfWork, instance_id: str, now: datetime) -> None:
        """Write the attempts and incidents (after the instance row exists)."""
        for values in self.calls:
            uow.calls.record(instance_id=instance_id, at=now, **values)
        for failure, attempts in self.incidents:
            f = failure
            uow.incidents.record(instance_id, f.task_id, f.task_name, f.message, f.detail, now, attempts)


def settle(
    services: Services,
    uow: UnitOfWork,
    row: InstanceRow | None,
    wait: WaitState,
    attempts: Attempts,
    now: datetime,
) -> Settlement:
    """Decide what the trigger's failures mean: a scheduled retry, an incident, or nothing new."""
    failures = {f.task_id: f for f in wait.failures}
    settled = Settlement(status=wait.status)
    earlier = row is not None and (row.has_incident or row.retry_at is not None or bool(attempts.retried))
    prior = uow.calls.latest(row.id) if row is not None and earlier else {}
    handled = _settle_calls(services, attempts, failures, prior, settled, now)
    open_incidents: set[str] = set()
    if row is not None and row.has_incident:
        open_incidents = {i["task_id"] for i in uow.incidents.open_for(row.id)}
    for task_id, failure in failures.items():
        if task_id in handled:
            continue
        previous = prior.get(task_id)
        if task_id in open_incidents:
            settled.has_incident = True
        elif task_id not in attempts.retried and previous is not None and previous["retry_at"] is not None:
            settled.retry_times.append(previous["retry_at"])  # an earlier failure still waiting its turn
        else:
            settled.incidents.append((failure, None))  # a script or expression error: no retry helps
    settled.has_incident = settled.has_incident or bool(settled.incidents)
    if failures:
        settled.status = "error" if settled.has_incident else "waiting"
    return settled


def _settle_calls(
    services: Services,
    attempts: Attempts,
    failures: dict[str, TaskFailure],
    prior: dict[str, ServiceCallRow],
    settled: Settlement,
    now: datetime,
) -> set[str]:
    handled: set[str] = set()
    for call in attempts.calls:
        previous = prior.get(call.task_id)
        attempt = previous["attempt"] + 1 if previous else 1
        row: dict[str, Any] = {
            "task_id": call.task_id,
            "task_name": call.task_name,
            "operation": call.operation,
            "attempt": attempt,
            "outcome": "ok" if call.ok else "failed",
            "error": call.error,
            "retry_at": None,
        }
        failure = failures.get(call.task_id)
        if call.ok or failure is None:
            if attempt > 1 or not call.ok:
                settled.calls.append(row)  # a retry that worked, or a failure a boundary event caught
            continue
        handled.add(call.task_id)
        if call.retryable and attempt < tries_for(services, failure):
            retry_at = now + backoff(failure, attempt)
            row["retry_at"] = retry_at
            settled.retry_times.append(retry_at)
        else:
            settled.incidents.append((failure, attempt))
        settled.calls.append(row)
    return handled


def due_tasks(uow: UnitOfWork, instance_id: str, now: datetime) -> set[str]:
    """Return the failed tasks of an instance whose next try is due."""
    return {
        task_id
        for task_id, last in uow.calls.latest(instance_id).items()
        if last["retry_at"] is not None and last["retry_at"] <= now
    }
