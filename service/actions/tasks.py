"""Human tasks: complete (with server-side form validation), claim, unclaim, reassign.

A completion is one transaction: the case is locked, the task read once under that lock, its form
bound to the case data once, the submission read against it and checked, and the case run on.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import partial
from typing import TYPE_CHECKING, Any, Protocol

from service.definitions import forms
from service.definitions.forms import Form
from service.engine.values import WaitState
from service.errors import Conflict, FieldError, Forbidden, InvalidData, NotFound, ServiceError
from service.identity.actors import Actor
from service.store import UnitOfWork
from service.store.rows import InstanceRow, TaskRow
from service.trigger.core import Answering, Loaded, Outcome, guarded, on_instance
from service.trigger.save import Audit
from service.views import open_tasks

if TYPE_CHECKING:
    from service.services import Services


class Submission(Protocol):
    """What a completion brings, read against the task's bound form (API data, or a web form)."""

    def read(self, form: Form) -> tuple[dict[str, Any], list[FieldError]]:
        """Return the data submitted and the fields that could not be read."""
        ...

    def explain(self, form: Form, errors: list[FieldError]) -> list[FieldError]:
        """Return the field errors in the words the submitter sees."""
        ...

    def recorded(self) -> Any:
        """Return what the audit log keeps of a submission until its fields are read."""
        ...


@dataclass(frozen=True)
class Variables:
    """A submission of process variables as JSON (the API, tests)."""

    data: dict[str, Any]

    def read(self, form: Form) -> tuple[dict[str, Any], list[FieldError]]:
        """Return the variables as they are: JSON is already typed."""
        return self.data, []

    def explain(self, form: Form, errors: list[FieldError]) -> list[FieldError]:
        """Return the errors unchanged (integrators read the validator's own words)."""
        return errors

    def recorded(self) -> Any:
        """Return the variables."""
        return self.data


# Writes what a completion attaches (documents) in its transaction; returns the values to add.
Attach = Callable[[UnitOfWork, InstanceRow, TaskRow], dict[str, Any]]


@dataclass(frozen=True)
class Joined:
    """A submission plus the values its completion made in its transaction (attached documents)."""

    submission: Submission
    added: dict[str, Any]

    def read(self, form: Form) -> tuple[dict[str, Any], list[FieldError]]:
        """Return the submission's data with the added values."""
        data, errors = self.submission.read(form)
        return {**data, **self.added}, errors

    def explain(self, form: Form, errors: list[FieldError]) -> list[FieldError]:
        """Say what went wrong as the submission would."""
        return self.submission.explain(form, errors)

    def recorded(self) -> Any:
        """Return what the submission records."""
        return self.submission.recorded()


@dataclass(frozen=True)
class Completed(Outcome):
    """A completed task's outcome, with the title of the task that was completed."""

    task_title: str = ""


def complete(
    services: Services,
    task_id: str,
    submitted: Submission | dict[str, Any],
    actor: Actor,
    *,
    expected_version: int | None = None,
    must_hold: bool = False,
    answer: Answering | None = None,
    attach: Attach | None = None,
) -> Completed:
    """Complete a READY task with validated data and run the case to its next wait state.

    ``must_hold``: the actor must have claimed the task first (the inbox's rule; integrators may
    complete an unclaimed task). ``answer`` builds the outcome's ``answer``, ``attach`` the form's documents.
    """
    submission = Variables(submitted) if isinstance(submitted, dict) else submitted
    audit = Audit("complete", task_id=task_id, data=submission.recorded())
    title: list[str] = []

    def apply(loaded: Loaded) -> WaitState:
        task = open_tasks.open_task(loaded.uow, task_id, actor)  # the one read, under the case's lock
        audit.task_name = task.name
        title.append(task.label)
        check_holder(task, actor, must_hold)
        ready = services.engine.find_ready_task(loaded.workflow, task_id)
        if ready is None:
            raise Conflict(f"task {task_id} is no longer ready", taskId=task_id)
        # Bound to this task's data, so case-specific bounds (a deadline) hold here too.
        form = open_tasks.form_of(services, loaded.uow, task, loaded.row).bound(
            services.engine.data_of(ready)
        )
        data = _checked(_joined(submission, attach, loaded, task), form, task, audit)
        return services.engine.complete_task(loaded.workflow, ready, data)

    locate = partial(_case_of, task_id=task_id, actor=actor, audit=audit)
    outcome = on_instance(
        services, locate, actor, audit, apply, expected_version=expected_version, answer=answer
    )
    return Completed(**outcome.__dict__, task_title=title[-1])


def _joined(submission: Submission, attach: Attach | None, loaded: Loaded, task: TaskRow) -> Submission:
    """Return the submission with what ``attach`` wrote in the completion's transaction, if anything."""
    added = attach(loaded.uow, loaded.row, task) if attach else {}
    return Joined(submission, added) if added else submission


def _case_of(uow: UnitOfWork, *, task_id: str, actor: Actor, audit: Audit) -> InstanceRow:
    """Lock the case an open task belongs to; say why when there is no such open task."""
    row = uow.instances.holding_task(task_id, lock=True, tasks=uow.tasks)  # and the task, one round trip
    if row is None:
        _note_case(uow, task_id, audit)
        open_tasks.open_task(uow, task_id, actor)  # says why: completed already, or not open
        raise NotFound(f"task {task_id} is not open", taskId=task_id)
    return row


def _note_case(uow: UnitOfWork, task_id: str, audit: Audit) -> None:
    """Note the case a task belongs (or belonged) to, for the audit entry of a refusal."""
    open_task = uow.tasks.get(task_id)
    done = uow.audit.completed_task(task_id) if open_task is None else None
    audit.instance_id = open_task.instance_id if open_task else done["instance_id"] if done else None


def check_holder(task: TaskRow, actor: Actor, must_hold: bool) -> None:
    """Refuse when someone else holds the task (or, with ``must_hold``, when nobody does)."""
    holder = task.assignee
    if holder not in (None, actor.name) and not actor.is_supervisor:
        raise Conflict(f"task {task.id} is claimed by {holder}", taskId=task.id, assignee=holder)
    if must_hold and holder is None:
        raise Conflict("Claim this task before working on it.", taskId=task.id, needsClaim=True)


def _checked(submission: Submission, form: Form, task: TaskRow, audit: Audit) -> dict[str, Any]:
    """Read and validate the submission; raise every failing field at once, in its own words."""
    data, errors = submission.read(form)
    what = f"form of task {task.name}"
    if not errors:
        audit.data = data  # what the case received (typed), not what was posted
        try:
            forms.validate(data, form.schema, what)
        except InvalidData as exc:
            raise InvalidData(exc.detail, submission.explain(form, exc.errors)) from None
        return data
    unread = {e.field for e in errors}
    try:
        forms.validate({k: v for k, v in data.items() if k not in unread}, form.schema, what)
    except InvalidData as more:
        errors += [e for e in more.errors if e.field.split(".")[0] not in unread]
    raise InvalidData(f"{what}: fix the marked fields", submission.explain(form, errors))


def claim(services: Services, task_id: str, actor: Actor) -> TaskRow:
    """Claim a task for the actor; refused when someone else claimed it first."""
    return _assignment(services, task_id, actor, "claim", actor.name)


def unclaim(services: Services, task_id: str, actor: Actor) -> TaskRow:
    """Give a claimed task back to its group queue."""
    return _assignment(services, task_id, actor, "unclaim", None)


def reassign(services: Services, task_id: str, actor: Actor, assignee: str | None) -> TaskRow:
    """Give a task to a member of its lane's group or a supervisor, or back to the queue."""
    if not actor.is_supervisor:
        raise Forbidden("only supervisors reassign tasks")
    return _assignment(services, task_id, actor, "reassign", assignee)


def _assignment(services: Services, task_id: str, actor: Actor, action: str, assignee: str | None) -> TaskRow:
    audit = Audit(action, task_id=task_id, data={"assignee": assignee})

    def work(uow: UnitOfWork) -> TaskRow:
        try:
            task = open_tasks.open_task(uow, task_id, actor)
        except ServiceError:
            _note_case(uow, task_id, audit)  # the refusal is recorded on the task's case
            raise
        audit.instance_id = task.instance_id
        now = services.clock.now()
        _check_assignment(uow, task, actor, action, assignee)
        if action == "claim":
            if not uow.tasks.claim(task_id, actor.name, now):
                raise Conflict(f"task {task_id} is already claimed", taskId=task_id)
        else:
            uow.tasks.assign(task_id, assignee, now if assignee else None)
        uow.audit.append(
            at=now,
            actor_kind=actor.kind,
            actor=actor.name,
            action=action,
            outcome="ok",
            instance_id=task.instance_id,
            task_id=task_id,
            task_name=task.name,
            data={"assignee": assignee, "previous": task.assignee},
        )
        uow.commit()
        return replace(task, assignee=assignee, claimed_at=now if assignee else None)

    return guarded(services, actor, audit, lambda: services.db.run(work), None)


def _check_assignment(
    uow: UnitOfWork, task: TaskRow, actor: Actor, action: str, assignee: str | None
) -> None:
    holder = task.assignee
    if action == "claim" and holder not in (None, actor.name):
        raise Conflict(f"task {task.id} is already claimed by {holder}", taskId=task.id, assignee=holder)
    if action == "unclaim" and holder not in (None, actor.name) and not actor.is_supervisor:
        raise Conflict(f"task {task.id} is claimed by {holder}", taskId=task.id, assignee=holder)
    allowed = {u["username"] for u in open_tasks.assignable(uow, task.lane)} if action == "reassign" else ()
    if assignee is not None and action == "reassign" and assignee not in allowed:
        raise InvalidData(
            f"{assignee} may not work on this task",
            [FieldError("assignee", f"Choose a member of {task.lane or 'supervisors'}")],
        )
