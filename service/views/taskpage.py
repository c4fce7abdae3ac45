"""The task page: the task, its case's key facts, its form bound to the case data, the user's draft."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from service.definitions.forms import Form
from service.errors import NotFound
from service.identity.actors import Actor
from service.store import UnitOfWork
from service.store.rows import GroupMemberRow, InstanceRow, TaskRow
from service.views import decision_context, inbox, open_tasks
from service.views.casefile import key_facts
from service.views.local_time import office_zone

if TYPE_CHECKING:
    from service.services import Services


@dataclass(frozen=True)
class CaseLine:
    """The case a task belongs to, as the task page names it."""

    id: str
    business_key: str | None
    status: str
    process_name: str
    applicant: str | None


@dataclass(frozen=True)
class TaskPage:
    """Everything the task page shows, read in one transaction."""

    task: TaskRow
    days_left: int | None
    urgency: str | None
    case: CaseLine
    facts: list[tuple[str, str]]
    context: list[decision_context.ContextItem]
    form: Form
    draft: dict[str, list[str]]
    draft_saved_at: datetime | None
    may_work: bool
    assignable: list[GroupMemberRow]


def page(services: Services, task_id: str, actor: Actor) -> TaskPage:
    """Return the task, its case's facts, its bound form and the actor's draft."""
    with services.db.unit_of_work(readonly=True) as uow:
        task = open_tasks.open_task(uow, task_id, actor)
        row = uow.instances.get(task.instance_id)
        if row is None:
            raise NotFound(f"process instance {task.instance_id} does not exist")
        found = open_tasks.context_in(services, uow, task, row)
        form = open_tasks.bound_form_in(services, uow, task, row, found)
        context = _context(services, uow, row, found) if found else []
        definition = services.catalog.row(uow, row.definition_id)
        applicant = uow.inbox.case_labels([row.id], inbox.APPLICANT_PATHS).get(row.id)
        draft = uow.inbox.draft(task_id, actor.name)
        others = open_tasks.assignable(uow, task.lane) if actor.is_supervisor else []
    due = inbox.due_status(task.due_at, services.clock.now(), office_zone(services))
    return TaskPage(
        task=task,
        days_left=due["days_left"],
        urgency=due["urgency"],
        case=CaseLine(row.id, row.business_key, row.status, definition.name or definition.key, applicant),
        facts=key_facts(row.variables, definition.start_schema),
        context=context,
        form=form,
        draft=draft["fields"] if draft else {},
        draft_saved_at=draft["saved_at"] if draft else None,
        may_work=task.assignee == actor.name,
        assignable=others,
    )


def _context(
    services: Services, uow: UnitOfWork, row: InstanceRow, found: open_tasks.AtTask
) -> list[decision_context.ContextItem]:
    """Return the items the task's declared context shows, labelled from the case's forms."""
    if not found.context:
        return []
    ids = [row.definition_id, *row.called_definitions.values()]
    forms = [form for i in ids for form in services.catalog.row(uow, i).forms.values()]
    words = decision_context.lexicon(f for f in forms if isinstance(f, dict))
    words.zone = office_zone(services)
    decisions = [e.source for e in found.context if e.kind == "decision"]
    logged = decisions or any(e.kind == "message" for e in found.context)
    audit = uow.audit.for_instance(row.id) if logged else []
    actors = {a["actor"] for name in decisions for a in decision_context.completions(audit, name)}
    users = {name: uow.users.by_username(name) for name in actors}
    people = {name: user["display_name"] for name, user in users.items() if user and user["display_name"]}
    return decision_context.items(
        found.context, found.data, audit, words, people, _document_names(uow, row, found)
    )


def _document_names(uow: UnitOfWork, row: InstanceRow, found: open_tasks.AtTask) -> dict[str, str]:
    """Return the case's document names by id, when the task's context shows documents."""
    if not row.business_key or not any(e.kind == "documents" for e in found.context):
        return {}
    return {d["id"]: d["name"] for d in uow.documents.for_case(row.business_key, 0, 500)}
