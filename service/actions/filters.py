"""Saved inbox filters: a staff member names the list they are looking at, or forgets one."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Protocol
from urllib.parse import urlencode

from service.errors import FieldError, InvalidData, NotFound
from service.identity.actors import Actor
from service.store import UnitOfWork
from service.views.inbox import InboxQuery

if TYPE_CHECKING:
    from service.services import Services

MAX_SAVED_FILTERS = 50


class ListQuery(Protocol):
    """A list's query as its URL states it (the task lists' or the case list's)."""

    def to_args(self, **changes: Any) -> dict[str, str]: ...


def save(
    services: Services, actor: Actor, name: str, query: InboxQuery | ListQuery, kind: str = "tasks"
) -> None:
    """Save the current filter of a list (tasks or cases) under a name, replacing one of that name."""
    name = " ".join(name.split())[:100]
    if not name:
        raise InvalidData("the filter needs a name", [FieldError("name", "Enter a name for the filter")])

    def work(uow: UnitOfWork) -> None:
        existing = uow.inbox.filters(actor.name, kind)
        other = "case list" if kind == "tasks" else "task lists"
        if name in {
            f["name"] for f in uow.inbox.filters(actor.name, "cases" if kind == "tasks" else "tasks")
        }:
            raise InvalidData("name taken", [FieldError("name", f"A filter of the {other} has that name")])
        if len(existing) >= MAX_SAVED_FILTERS and name not in {f["name"] for f in existing}:
            raise InvalidData(
                f"at most {MAX_SAVED_FILTERS} saved filters",
                [FieldError("name", f"Delete a filter first: at most {MAX_SAVED_FILTERS} are kept")],
            )
        uow.inbox.save_filter(actor.name, name, urlencode(query.to_args(page=1)), services.clock.now(), kind)
        uow.commit()

    services.db.run(work)


def delete(services: Services, actor: Actor, filter_id: int) -> None:
    """Forget one of the actor's saved filters."""

    def work(uow: UnitOfWork) -> None:
        if not uow.inbox.delete_filter(actor.name, filter_id):
            raise NotFound(f"no saved filter {filter_id}")
        uow.commit()

    services.db.run(work)
