"""Saved inbox filters: a staff member names the list they are looking at, or forgets one."""

from __future__ import annotations

from typing import TYPE_CHECKING
from urllib.parse import urlencode

from service.errors import FieldError, InvalidData, NotFound
from service.identity.actors import Actor
from service.store import UnitOfWork
from service.views.inbox import InboxQuery

if TYPE_CHECKING:
    from service.services import Services

MAX_SAVED_FILTERS = 50


def save(services: Services, actor: Actor, name: str, query: InboxQuery) -> None:
    """Save the current filter under a name (replacing one of the same name)."""
    name = " ".join(name.split())[:100]
    if not name:
        raise InvalidData("the filter needs a name", [FieldError("name", "Enter a name for the filter")])

    def work(uow: UnitOfWork) -> None:
        existing = uow.inbox.filters(actor.name)
        if len(existing) >= MAX_SAVED_FILTERS and name not in {f["name"] for f in existing}:
            raise InvalidData(
                f"at most {MAX_SAVED_FILTERS} saved filters",
                [FieldError("name", f"Delete a filter first: at most {MAX_SAVED_FILTERS} are kept")],
            )
        uow.inbox.save_filter(actor.name, name, urlencode(query.to_args(page=1)), services.clock.now())
        uow.commit()

    services.db.run(work)


def delete(services: Services, actor: Actor, filter_id: int) -> None:
    """Forget one of the actor's saved filters."""

    def work(uow: UnitOfWork) -> None:
        if not uow.inbox.delete_filter(actor.name, filter_id):
            raise NotFound(f"no saved filter {filter_id}")
        uow.commit()

    services.db.run(work)
