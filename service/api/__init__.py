"""The integrator JSON API under /api/v1: parse the request, call one service function, respond.

Routes live in small modules listed in ``ROUTE_MODULES``; each declares its operations with
``contract.operation`` (validation + OpenAPI in one place). A new area adds its module here.
"""

from __future__ import annotations

import importlib
from typing import Any

from flask import Flask, request
from werkzeug.exceptions import HTTPException

from service.api.blueprint import bp, http_problem

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
    "cases",
    "records",
    "documents",
)


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
        return http_problem(exc) if request.path.startswith(bp.url_prefix or "/api/") else exc

    app.register_error_handler(404, outside_routes)
    app.register_error_handler(405, outside_routes)
