"""The case page's decision tables: the decisions taken in a case the viewer may open."""

from __future__ import annotations

from typing import TYPE_CHECKING

from service.errors import NotFound
from service.identity.actors import Actor
from service.views import casefile
from service.views.decisions import TableDecision, taken_in

if TYPE_CHECKING:
    from service.services import Services


def for_case_page(services: Services, instance_id: str, actor: Actor) -> list[TableDecision]:
    """Return the decisions taken in a case the actor may open (the case page's own rule)."""
    if not casefile.may_see(services, instance_id, actor):
        raise NotFound(f"process instance {instance_id} does not exist", instanceId=instance_id)
    with services.db.unit_of_work(readonly=True) as uow:
        return taken_in(uow, [instance_id])
