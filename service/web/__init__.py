"""The staff web inbox: server-rendered pages (Jinja), signed-in users only, CSRF on every form.

Routes parse the request, call one service function and render; the service layer decides who
may see or do what.
"""

from __future__ import annotations

from datetime import datetime

from flask import Blueprint, Flask, Response, current_app, g, render_template
from werkzeug.exceptions import HTTPException

from service.errors import ServiceError
from service.identity.actors import Actor
from service.identity.users import User
from service.services import Services
from service.views.inbox import days_phrase
from service.web import identity, markup, security

bp = Blueprint("web", __name__, template_folder="templates")


def services() -> Services:
    found: Services = current_app.extensions["rcp"]
    return found


def user() -> User:
    found: User = g.user
    return found


def actor() -> Actor:
    return user().actor()


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError) -> tuple[str, int]:
    return render_template("web/error.html", status=exc.status, title=exc.title, error=exc), exc.status


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> tuple[str, int] | HTTPException:
    if exc.code is None or exc.code < 400:
        return exc
    return (
        render_template("web/error.html", status=exc.code, title=exc.name, error=exc.description),
        exc.code,
    )


@bp.after_request
def _no_store(response: Response) -> Response:
    # Pages show case data: never keep them in a shared or back-button cache.
    response.headers.setdefault("Cache-Control", "no-store")
    return response


def _when(value: datetime | str | None, with_time: bool = True) -> str:
    if value is None:
        return "-"
    if isinstance(value, str):
        value = datetime.fromisoformat(value)
    return value.strftime("%Y-%m-%d %H:%M UTC" if with_time else "%Y-%m-%d")


def register(app: Flask) -> None:
    """Attach the web pages, their template helpers and the security headers to the app."""
    from service.web import auth, case_views, deadlines, inbox_views, incidents, task_views  # noqa: F401  (on bp)

    settings = app.extensions["rcp"].settings
    app.config["PERMANENT_SESSION_LIFETIME"] = identity.SESSION_LIFETIME
    security.install(app, secure=settings.session_cookie_secure)
    app.jinja_env.globals.update(csrf_field=security.csrf_field, days_phrase=days_phrase)
    app.jinja_env.filters.update(when=_when, date=lambda v: _when(v, with_time=False), markdown=markup.render)
    app.register_blueprint(bp)
