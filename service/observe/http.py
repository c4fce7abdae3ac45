"""Every HTTP request: its id (taken or made, echoed), one access-log line, its metrics."""

from __future__ import annotations

import logging
import time
from typing import Any

from flask import Flask, Response, g, request

from service.observe import context
from service.observe.metrics import Metrics

access_log = logging.getLogger("rcp.access")

HEADER = "X-Request-ID"
ACCESS_FORMAT = "%s %s %s %.1f ms user=%s remote=%s"


def install(app: Flask, metrics: Metrics) -> None:
    """Give every request an id, and log and count it when it is answered."""

    @app.before_request
    def _begin() -> None:
        g.rcp_started = time.perf_counter()
        g.rcp_request_id = context.accept(request.headers.get(HEADER))
        g.rcp_context = context.enter(g.rcp_request_id)

    # Registered before the API's and the pages' hooks, so it runs after them: it sees the
    # status actually sent.
    @app.after_request
    def _finish(response: Response) -> Response:
        request_id = g.get("rcp_request_id") or context.accept(None)
        response.headers[HEADER] = request_id
        seconds = time.perf_counter() - g.get("rcp_started", time.perf_counter())
        route = request.url_rule.rule if request.url_rule is not None else "(unmatched)"
        metrics.request(request.method, route, response.status_code, seconds)
        _log_access(response.status_code, seconds)
        return response

    @app.teardown_request
    def _end(exc: BaseException | None) -> None:
        token = g.pop("rcp_context", None)
        if token is not None:
            context.leave(token)


def _log_access(status: int, seconds: float) -> None:
    # The request id is on the record already (the record factory of service.observe.logs).
    fields: dict[str, Any] = {
        "method": request.method,
        "path": request.path,  # never the query string: it may carry search terms or keys
        "status": status,
        "duration_ms": round(seconds * 1000, 1),
        "user": who(),
        "remote_addr": request.remote_addr,
    }
    if not access_log.isEnabledFor(logging.INFO):
        return
    # The record is made here rather than by ``info``, which would walk the stack to find this
    # line (no format of ours shows it) on every request.
    record = access_log.makeRecord(
        access_log.name,
        logging.INFO,
        __file__,
        0,
        ACCESS_FORMAT,
        tuple(fields[k] for k in ("method", "path", "status", "duration_ms", "user", "remote_addr")),
        None,
        "_log_access",
        fields,
    )
    access_log.handle(record)


def who() -> str | None:
    """Return the signed-in user's or the API token's name, when the request had one."""
    actor = g.get("actor")  # the API's token
    if actor is not None:
        return str(actor.name)
    user = g.get("user")  # the pages' signed-in user
    return str(user.username) if user is not None else None
