"""The task page: the task with its case's key facts and generated form; drafts; completing it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from service.actions import tasks
from service.definitions import forms
from service.errors import Conflict, InvalidData
from service.identity.actors import Actor
from service.trigger.core import Outcome, record_refusal
from service.trigger.save import Audit
from service.views import inbox, open_tasks
from service.views.casefile import key_facts
from service.web import webform

if TYPE_CHECKING:
    from collections.abc import Mapping

    from service.services import Services

Posted = dict[str, list[str]]


def _form(services: Services, task_id: str, actor: Actor) -> tuple[list[webform.FormField], Any]:
    """Return the task's form fields and schema, bound to the case's data ({{path}} placeholders)."""
    found = open_tasks.bound_form(services, task_id, actor)
    return webform.build(found["schema"], found["uiSchema"]), found["schema"]


def page(services: Services, task_id: str, actor: Actor) -> dict[str, Any]:
    """Return the task, its case's facts, its form fields and the actor's draft."""
    fields, _ = _form(services, task_id, actor)
    with services.db.unit_of_work(readonly=True) as uow:
        task = open_tasks.open_task(services, uow, task_id, actor)
        case = uow.instances.summary(task["instance_id"])
        assert case is not None  # an open task's instance exists (foreign key)
        definition = services.catalog.row(uow, case["definition_id"])
        applicant = uow.inbox.case_labels([case["id"]], inbox.APPLICANT_PATHS).get(case["id"])
        draft = uow.inbox.draft(task_id, actor.name)
        assignable = inbox.assignable(uow, task["lane"]) if actor.is_supervisor else []
    return {
        "task": {
            **task,
            "title": task["title"] or task["name"],
            **inbox.due_status(task["due_at"], services.clock.now()),
        },
        "case": {
            "id": case["id"],
            "businessKey": case["business_key"],
            "status": case["status"],
            "processName": definition.name or definition.key,
            "applicant": applicant,
        },
        "facts": key_facts(case["variables"], definition.start_schema),
        "fields": fields,
        "values": draft["fields"] if draft else {},
        "draftSavedAt": draft["saved_at"] if draft else None,
        "mayWork": task["assignee"] == actor.name,
        "assignable": assignable,
    }


def _must_hold(task: dict[str, Any], actor: Actor) -> None:
    holder = task["assignee"]
    if holder == actor.name or (holder is not None and actor.is_supervisor):
        return
    if holder is None:
        raise Conflict("Claim this task before working on it.", taskId=task["id"], needsClaim=True)
    raise Conflict(f"task {task['id']} is claimed by {holder}", taskId=task["id"], assignee=holder)


def save_draft(services: Services, task_id: str, actor: Actor, posted: Mapping[str, list[str]]) -> None:
    """Keep the entered values (valid or not) for the actor without completing the task."""
    fields, _ = _form(services, task_id, actor)
    with services.db.unit_of_work() as uow:
        task = open_tasks.open_task(services, uow, task_id, actor)
        _must_hold(task, actor)
        kept = {f.name: list(posted.get(f.name, [])) for f in webform.leaves(fields)}
        now = services.clock.now()
        uow.inbox.save_draft(task_id, actor.name, kept, now)
        uow.audit.append(
            at=now,
            actor_kind=actor.kind,
            actor=actor.name,
            action="save-draft",
            outcome="ok",
            instance_id=task["instance_id"],
            task_id=task_id,
            task_name=task["name"],
            data=kept,
        )
        uow.commit()


@dataclass(frozen=True)
class Submitted:
    """A completed task: what it was, and what the case does next."""

    title: str
    outcome: Outcome

    def confirmation(self) -> str:
        """Return the sentence the inbox shows after completing."""
        key = f" for case {self.outcome.business_key}" if self.outcome.business_key else ""
        return " ".join([f"\u201c{self.title}\u201d completed{key}.", *next_steps(self.outcome)])


def submit(services: Services, task_id: str, actor: Actor, posted: Mapping[str, list[str]]) -> Submitted:
    """Complete a task from posted form values; field errors come back in the form's words."""
    with services.db.unit_of_work(readonly=True) as uow:
        task = open_tasks.open_task(services, uow, task_id, actor)
    _must_hold(task, actor)
    fields, schema = _form(services, task_id, actor)
    data, errors = webform.coerce(fields, posted)
    if errors:
        bad = {e.field for e in errors}
        try:
            forms.validate({k: v for k, v in data.items() if k not in bad}, schema, "form")
        except InvalidData as more:
            errors += [e for e in more.errors if e.field.split(".")[0] not in bad]
        refused = InvalidData(f"form of task {task['name']}: fix the marked fields", errors)
        audit = Audit("complete", task_id=task_id, task_name=task["name"], data=dict(posted))
        record_refusal(services, actor, audit, task["instance_id"], refused)
        raise InvalidData(refused.detail, webform.friendly(errors, fields))
    try:
        outcome = tasks.complete(services, task_id, data, actor)
    except InvalidData as exc:
        raise InvalidData(exc.detail, webform.friendly(exc.errors, fields)) from None
    return Submitted(task["title"] or task["name"], outcome)


def next_steps(outcome: Outcome) -> list[str]:
    """Say in plain sentences what happens next in the case."""
    summary = outcome.summary()
    if summary["status"] == "completed":
        return ["The case is complete."]
    found = [
        f"Next: \u201c{t['title'] or t['name']}\u201d for {t['candidateGroup'] or 'supervisors'}"
        + (f", due {t['due'][:10]}" if t["due"] else "")
        + "."
        for t in summary["activeTasks"]
    ]
    if summary["waitingMessages"]:
        found.append(f"The case now waits for: {', '.join(summary['waitingMessages'])}.")
    if summary["nextTimerDue"]:
        found.append(f"A timer is due {summary['nextTimerDue'][:16].replace('T', ' ')} UTC.")
    if summary["incidents"]:
        found.append(
            "A step failed and needs attention: "
            + "; ".join(f"{i['task']}: {i['message']}" for i in summary["incidents"])
            + "."
        )
    return found or ["The case has nothing left to wait for."]
