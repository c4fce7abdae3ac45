"""The integrator JSON API under /api/v1: parse the request, call one service function, respond."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, request
from werkzeug.exceptions import HTTPException

from service.bootstrap import Services
from service.cases.actors import Actor
from service.errors import FieldError, Forbidden, InvalidData, ServiceError
from service.tokens import authenticate

from .problems import from_error, problem

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def services() -> Services:
    found: Services = current_app.extensions["rcp"]
    return found


def actor() -> Actor:
    found: Actor = g.actor
    return found


def require(scope: str) -> Actor:
    """Return the caller, or refuse with 403 when its token lacks ``scope``."""
    caller = actor()
    if scope not in caller.scopes:
        raise Forbidden(f"this token lacks the '{scope}' scope", requiredScope=scope)
    return caller


def json_body() -> dict[str, Any]:
    """Return the request's JSON object, or a 422 naming what is wrong with it."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise InvalidData(
            "the request body must be a JSON object", [FieldError("(body)", "expected an object")]
        )
    return body


@bp.before_request
def _authenticate() -> None:
    g.actor = authenticate(services(), request.headers.get("Authorization"))


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError) -> Response:
    return from_error(exc)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    return problem(exc.code or 500, exc.name, exc.description or exc.name, exc.name.lower().replace(" ", "-"))


def register(app: Flask) -> None:
    """Attach the API's routes to the app."""
    from . import incidents, routes  # noqa: F401  (they attach themselves to the blueprint)

    app.register_blueprint(bp)
