"""The staff pages' blueprint and what every page module uses: the services, the signed-in user."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, g, render_template
from werkzeug.exceptions import HTTPException

from service.errors import ServiceError
from service.identity.actors import Actor
from service.identity.users import User
from service.services import Services

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
