"""Bearer tokens (401), scopes (403, in ``contract``), the per-token rate limit (429)."""

from __future__ import annotations

import logging
from datetime import timedelta

from flask import Flask, Response, current_app, g, request

from service import limits
from service.api.blueprint import bp
from service.api.contract import OPERATIONS, conformance_problems, validating_responses
from service.api.problems import problem
from service.api.ratelimit import RateLimiter, limiter_for, retry_after_seconds
from service.errors import ServiceError
from service.identity import tokens
from service.identity.actors import Actor
from service.services import Services

log = logging.getLogger("rcp.api")
LIMITER = "rcp_api_rate_limiter"
# Who reads the public operations (the documentation): no token, no scope, no request budget.
ANONYMOUS = Actor("integrator", "(anonymous)")


class RateLimited(ServiceError):
    status = 429
    title = "Too many requests"
    type_slug = "rate-limited"

    def __init__(self, wait: timedelta) -> None:
        seconds = retry_after_seconds(wait)
        super().__init__(f"this token's request budget is spent; retry in {seconds} s", retryAfter=seconds)


def install(app: Flask) -> None:
    """Give the app its rate limiter (shared through the database or Redis when configured)."""
    services: Services = app.extensions["rcp"]
    app.extensions[LIMITER] = limiter_for(services)


@bp.before_request
def _authenticate() -> None:
    if _public(request.endpoint):
        g.actor = ANONYMOUS
        return
    services: Services = current_app.extensions["rcp"]
    header = request.headers.get("Authorization")
    if header is not None and limits.control_character(header):
        raise tokens.Unauthenticated("malformed token")  # no token holds one; NUL never reaches the store
    g.actor = tokens.authenticate(services, header)
    limiter: RateLimiter | None = current_app.extensions.get(LIMITER)
    if limiter is not None:
        wait = limiter.take(g.actor.name, services.clock.now())
        if wait is not None:
            raise RateLimited(wait)


def _public(endpoint: str | None) -> bool:
    op = OPERATIONS.get((endpoint or "").removeprefix(f"{bp.name}."))
    return op is not None and op.public


@bp.after_request
def _finish(response: Response) -> Response:
    if response.status_code == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="rcp"'
    if request.endpoint and validating_responses():
        problems = conformance_problems(request.endpoint.removeprefix(f"{bp.name}."), response)
        if problems:
            # Only when checking is on (tests, RCP_API_VALIDATE_RESPONSES=1): a contract breach
            # is the service's fault, so it surfaces as a 500 that no test can overlook.
            log.error("%s %s broke its contract: %s", request.method, request.path, "; ".join(problems))
            return problem(
                500, "Response broke the API contract", "; ".join(problems)[:2000], "internal-error"
            )
    return response
