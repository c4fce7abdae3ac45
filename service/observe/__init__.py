"""Observing the service: logs (``logs``), request ids (``context``), metrics, health and readiness.

Nothing heavy is imported here: the store imports ``service.observe.context``, which loads this
package first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

    from service.services import Services


def register(app: Flask, services: Services) -> None:
    """Give the app request ids, the access log, metrics, /healthz, /readyz and /metrics."""
    from service.observe import http, routes
    from service.observe.logs import install_record_factory
    from service.observe.metrics import metrics_of

    install_record_factory()
    metrics = metrics_of(services)
    app.extensions["rcp_metrics"] = metrics
    http.install(app, metrics)
    routes.install(app, services, metrics)
