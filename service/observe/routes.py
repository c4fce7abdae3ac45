"""The operational endpoints: /healthz (alive), /readyz (ready), /metrics (Prometheus).

None of them needs a session or an API token: load balancers and orchestrators call the first
two; /metrics has its own protection (``service.observe.access``).
"""

from __future__ import annotations

from typing import Any

from flask import Flask, Response, json, jsonify, request

from service.observe.access import MetricsAccess
from service.observe.health import readiness
from service.observe.metrics import CONTENT_TYPE, Metrics
from service.services import Services


def install(app: Flask, services: Services, metrics: Metrics) -> None:
    """Add /healthz, /readyz and /metrics to the app."""
    access = MetricsAccess.from_settings(services.settings.observe)

    @app.get("/healthz")
    def healthz() -> Any:
        # Alive means the process answers; the database is /readyz's business (an orchestrator
        # restarting the service for a database outage would not bring the database back).
        return _no_store(jsonify({"status": "ok"}))

    @app.get("/readyz")
    def readyz() -> Any:
        checks = readiness(services)
        answer = {c.name: c.as_dict() for c in checks}
        failing = [c.name for c in checks if not c.ok]
        if not failing:
            return _no_store(jsonify({"status": "ready", "checks": answer}))
        detail = f"not ready: {', '.join(failing)} failing"
        return problem(503, "Service Unavailable", detail, failing=failing, checks=answer)

    @app.get("/metrics")
    def scrape() -> Any:
        refused = access.refusal(request.headers.get("Authorization"), request.remote_addr)
        if refused is not None:
            title = "Unauthorized" if refused.status == 401 else "Forbidden"
            answer = problem(refused.status, title, refused.detail)
            if refused.status == 401:
                answer.headers["WWW-Authenticate"] = 'Bearer realm="rcp-metrics"'
            return answer
        return Response(metrics.exposition(), mimetype=None, content_type=CONTENT_TYPE)


def problem(status: int, title: str, detail: str, **extra: Any) -> Response:
    """Return an RFC 9457 problem (type ``about:blank``: the status says it all)."""
    body = {"type": "about:blank", "title": title, "status": status, "detail": detail, **extra}
    return _no_store(Response(json.dumps(body), status=status, mimetype="application/problem+json"))


def _no_store(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-store"  # a cached answer would tell of another moment
    return response
