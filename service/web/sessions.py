"""The pages' signed cookie session; API requests get none (they authenticate by bearer token).

Flask opens the cookie session on every request and saves it on every answer. The integrator API
(``/api/``) never reads or writes it, so there it is a ``NoSession``: nothing is parsed, verified
or set, a staff cookie sent along is ignored, and a write is a programming error that fails loudly.
"""

from __future__ import annotations

from typing import Any, NoReturn

from flask import Flask, Request
from flask.sessions import NullSession, SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import URLSafeTimedSerializer

API_PREFIX = "/api/"


class NoSession(NullSession):
    """The session of an API request: empty, read-only, never saved."""

    def _fail(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise RuntimeError("API requests have no cookie session; they authenticate by bearer token")

    __setitem__ = __delitem__ = clear = pop = popitem = update = setdefault = _fail


class PageSessions(SecureCookieSessionInterface):
    """Signed cookie sessions for the pages; ``NoSession`` for the API."""

    null_session_class = NoSession

    def __init__(self) -> None:
        self._signer: tuple[tuple[Any, ...], URLSafeTimedSerializer | None] | None = None

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        if request.path.startswith(API_PREFIX):
            return NoSession()
        return super().open_session(app, request)

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        # Built once per key, not per request (the keys are read each time, so a change counts).
        keys = (app.secret_key, *(app.config["SECRET_KEY_FALLBACKS"] or ()))
        if self._signer is None or self._signer[0] != keys:
            self._signer = (keys, super().get_signing_serializer(app))
        return self._signer[1]
