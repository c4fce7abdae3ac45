"""Drafts: what someone typed into a task's form, kept for them without completing the task."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol

from service.actions.tasks import check_holder
from service.definitions.forms import Form
from service.identity.actors import Actor
from service.store import UnitOfWork
from service.views import open_tasks

if TYPE_CHECKING:
    from service.services import Services


class Draft(Protocol):
    """Entered values, valid or not, as the form's inputs hold them."""

    def kept(self, form: Form) -> dict[str, list[str]]:
        """Return the values of the form's own inputs (anything else posted is dropped)."""
        ...


def save(services: Services, task_id: str, actor: Actor, draft: Draft) -> None:
    """Keep the entered values for the actor, who must hold the task; the case does not move."""

    def work(uow: UnitOfWork) -> None:
        task = open_tasks.open_task(uow, task_id, actor)
        check_holder(task, actor, must_hold=True)
        kept = draft.kept(open_tasks.form_of(services, uow, task))
        now = services.clock.now()
        uow.inbox.save_draft(task_id, actor.name, kept, now)
        uow.audit.append(
            at=now,
            actor_kind=actor.kind,
            actor=actor.name,
            action="save-draft",
            outcome="ok",
            instance_id=task.instance_id,
            task_id=task_id,
            task_name=task.name,
            data=kept,
        )
        uow.commit()

    services.db.run(work)
