"""Who is signed in: the one session check every page (inbox, modeler, boards) goes through."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from flask import session

from service.identity import users

if TYPE_CHECKING:
    from service.services import Services

IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_LIFETIME = timedelta(hours=8)
SESSION_KEYS = ("user", "fp", "seen", "since")


def signed_in_user(services: Services) -> users.User | None:
    """Return the session's active user and note the visit, or end the session and return None."""
    now = services.clock.now().timestamp()
    username = session.get("user")
    found = users.active_user(services, username) if isinstance(username, str) else None
    seen, since = session.get("seen"), session.get("since")
    # A new password, a deactivated account, 30 idle minutes or 8 hours end the session.
    if (
        found is None
        or session.get("fp") != found.fingerprint
        or not isinstance(seen, int | float)
        or not isinstance(since, int | float)
        or now - seen > IDLE_TIMEOUT.total_seconds()
        or now - since > SESSION_LIFETIME.total_seconds()
    ):
        for key in SESSION_KEYS:
            session.pop(key, None)
        return None
    session["seen"] = now
    return found
