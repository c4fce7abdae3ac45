"""Who is signed in on a modeler page: the inbox's session, checked the way the inbox checks it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from flask import session

from service import users

from .auth import IDLE_TIMEOUT, SESSION_KEYS

if TYPE_CHECKING:
    from service.bootstrap import Services


def signed_in_user(services: Services) -> users.User | None:
    """Return the session's active user and note the visit, or end the session and return None."""
    now = services.clock.now().timestamp()
    username = session.get("user")
    found = users.active_user(services, username) if isinstance(username, str) else None
    seen = session.get("seen")
    # A new password, a deactivated account or 30 idle minutes end the session (as in the inbox).
    if (
        found is None
        or session.get("fp") != found.fingerprint
        or not isinstance(seen, int | float)
        or now - seen > IDLE_TIMEOUT.total_seconds()
    ):
        for key in SESSION_KEYS:
            session.pop(key, None)
        return None
    session["seen"] = now
    return found
