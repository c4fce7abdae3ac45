"""The API's blueprint and what every route module uses: the services, the caller, problem answers."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, current_app, g, request
from werkzeug.exceptions import HTTPException

from service.api.problems import from_error, problem
from service.errors import FieldError, Forbidden, InvalidData, ServiceError
from service.identity.actors import Actor
from service.services import Services

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


@bp.errorhandler(ServiceError)
def _service_error(exc: ServiceError) -> Response:
    return from_error(exc)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException) -> Response:
    return http_problem(exc)


def http_problem(exc: HTTPException) -> Response:
    """Answer an HTTP error (404, 405, 413 ...) as a problem document."""
    code = exc.code or 500
    named = {413: "payload-too-large", 405: "method-not-allowed", 500: "internal-error"}
    slug = named.get(code, exc.name.lower().replace(" ", "-"))
    response = problem(code, exc.name, exc.description or exc.name, slug)
    if code == 405 and exc.get_response().headers.get("Allow"):
        response.headers["Allow"] = exc.get_response().headers["Allow"]
    return response
