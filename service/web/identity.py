"""Who is signed in: the one session check every page (inbox, modeler, boards) goes through."""

from __future__ import annotations

from datetime import timedelta
from typing import TYPE_CHECKING

from flask import session, url_for

from service.identity import users
from service.views import inbox

if TYPE_CHECKING:
    from service.services import Services

IDLE_TIMEOUT = timedelta(minutes=30)
SESSION_LIFETIME = timedelta(hours=8)
SESSION_KEYS = ("user", "fp", "seen", "since", "id_token")


def start_session(services: Services, user: users.User, id_token: str | None = None) -> None:
    """Begin a fresh session for a user who just signed in (with the provider's ID token, if any)."""
    session.clear()  # a fresh session: nothing set before signing in carries over
    session.permanent = True
    now = services.clock.now().timestamp()
    session.update(user=user.username, fp=user.fingerprint, seen=now, since=now)
    if id_token:
        session["id_token"] = id_token  # the hint that lets the provider end its own session too


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


def landing(signed_in: users.User) -> str:
    """Return where a sign-in without a ``next`` lands: the modeler for analysts, else the inbox."""
    return url_for("modeler.index") if inbox.lands_in_modeler(signed_in.actor()) else url_for("web.inbox")
