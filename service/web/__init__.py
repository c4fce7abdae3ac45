"""The staff web inbox: server-rendered pages (Jinja), signed-in users only, CSRF on every form.

Routes parse the request, call one service function and render; the service layer decides who
may see or do what.
"""

from __future__ import annotations

from flask import Flask

from service.views import labels
from service.views.local_time import office_zone, when
from service.web import identity, markup, oidc, security, sessions
from service.web.blueprint import bp
from service.web.phrases import days_phrase


def register(app: Flask) -> None:
    """Attach the web pages, their template helpers and the security headers to the app."""
    # Each page module attaches its routes to a blueprint when imported.
    from service.web import (  # noqa: F401
        auth,
        case_actions,
        case_decisions,
        case_list_views,
        case_views,
        deadlines,
        documents_views,
        inbox_views,
        incidents,
        modeler,
        modeler_decisions,
        modeler_json,
        task_views,
    )

    settings = app.extensions["rcp"].settings
    app.config["PERMANENT_SESSION_LIFETIME"] = identity.SESSION_LIFETIME
    app.session_interface = sessions.PageSessions()  # the API's requests open none
    security.install(app, secure=settings.session_cookie_secure)
    oidc.install(app, settings.oidc)  # after the headers: its page policy names the provider
    app.jinja_env.globals.update(csrf_field=security.csrf_field, days_phrase=days_phrase)
    zone = office_zone(app.extensions["rcp"])  # pages say times where the offices keep their days
    app.jinja_env.globals.update(office_zone=str(zone))
    app.jinja_env.filters.update(
        when=lambda v: when(v, zone), date=lambda v: when(v, zone, with_time=False), markdown=markup.render
    )
    # Internal names (groups, messages, actors) shown as people say them (service.views.labels).
    app.jinja_env.filters.update(
        group=labels.group_title, message=labels.message_title, actor=labels.actor_label
    )
    app.register_blueprint(bp)
    app.register_blueprint(modeler.bp)
