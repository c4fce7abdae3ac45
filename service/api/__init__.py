"""The integrator JSON API under /api/v1: parse the request, call one service function, respond.

Routes live in small modules listed in ``ROUTE_MODULES``; each declares its operations with
``contract.operation`` (validation + OpenAPI in one place). A new area adds its module here.
"""

from __future__ import annotations

import importlib
from typing import Any

from flask import Blueprint, Flask, Response, current_app, g, request
from werkzeug.exceptions import HTTPException

from service.api.problems import from_error, problem
from service.errors import FieldError, Forbidden, InvalidData, ServiceError
from service.identity.actors import Actor
from service.services import Services

bp = Blueprint("api", __name__, url_prefix="/api/v1")

# One line per module; each registers its routes on ``bp`` when imported.
ROUTE_MODULES = (
    "definitions",
    "instances",
    "messages",
    "tasks",
    "notices",
    "webhooks",
    "documentation",
    "incidents",
)


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


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError) -> Response:
    return from_error(exc)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    return _http_problem(exc)


def _http_problem(exc: HTTPException) -> Response:
    code = exc.code or 500
    slug = {413: "payload-too-large", 405: "method-not-allowed"}.get(code, exc.name.lower().replace(" ", "-"))
    response = problem(code, exc.name, exc.description or exc.name, slug)
    if code == 405 and exc.get_response().headers.get("Allow"):
        response.headers["Allow"] = exc.get_response().headers["Allow"]
    return response


def load_routes() -> None:
    """Import every route module (each declares its operations on ``bp``)."""
    for name in ROUTE_MODULES:
        importlib.import_module(f"{__name__}.{name}")


def register(app: Flask) -> None:
    """Attach the API's routes, authentication, rate limit and problem responses to the app."""
    from service.api import auth

    load_routes()
    auth.install(app)
    app.register_blueprint(bp)

    def outside_routes(exc: HTTPException) -> Any:
        # Unknown paths and methods under /api/ never reach the blueprint: answer them in kind.
        return _http_problem(exc) if request.path.startswith(bp.url_prefix or "/api/") else exc

    app.register_error_handler(404, outside_routes)
    app.register_error_handler(405, outside_routes)
