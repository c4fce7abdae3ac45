"""Who is signed in: the session's user, with the groups that decide what they may do.

The staff web inbox owns sign-in (``/login``) and keeps the username in ``session["user"]``;
this reads it back for the modeler's pages.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import session

from service.cases.actors import Actor

if TYPE_CHECKING:
    from service.bootstrap import Services


def session_actor(services: Services) -> Actor | None:
    """Return the signed-in, active user as an actor, or None."""
    username = session.get("user")
    if not isinstance(username, str):
        return None
    with services.db.unit_of_work(readonly=True) as uow:
        user = uow.users.by_username(username)
    if user is None or not user["active"]:
        return None
    return Actor("user", user["username"], frozenset(user["groups"]))
