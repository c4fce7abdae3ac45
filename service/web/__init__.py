"""The staff web inbox: server-rendered pages (Jinja), signed-in users only, CSRF on every form.

Routes parse the request, call one service function and render; the service layer decides who
may see or do what.
"""

from __future__ import annotations

from datetime import datetime

from flask import Flask

from service.web import identity, markup, oidc, security
from service.web.blueprint import bp
from service.web.phrases import days_phrase


def _when(value: datetime | str | None, with_time: bool = True) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.strftime("%Y-%m-%d %H:%M UTC" if with_time else "%Y-%m-%d")


def register(app: Flask) -> None:
    """Attach the web pages, their template helpers and the security headers to the app."""
    # Each page module attaches its routes to a blueprint when imported.
    from service.web import (  # noqa: F401
        auth,
        case_views,
        deadlines,
        inbox_views,
        incidents,
        modeler,
        modeler_json,
        task_views,
    )

    settings = app.extensions["rcp"].settings
    app.config["PERMANENT_SESSION_LIFETIME"] = identity.SESSION_LIFETIME
    security.install(app, secure=settings.session_cookie_secure)
    oidc.install(app, settings.oidc)  # after the headers: its page policy names the provider
    app.jinja_env.globals.update(csrf_field=security.csrf_field, days_phrase=days_phrase)
    app.jinja_env.filters.update(when=_when, date=lambda v: _when(v, with_time=False), markdown=markup.render)
    app.register_blueprint(bp)
    app.register_blueprint(modeler.bp)
