"""The Flask app: settings, the services it runs on, the API, the staff pages, the health check."""

from __future__ import annotations

from typing import Any

from flask import Flask, jsonify

from service import api, web
from service.bootstrap import bootstrap
from service.config import Settings
from service.services import Services


def build(settings: Settings | None = None, services: Services | None = None) -> Flask:
    """Build the Flask app; nothing connects until this is called."""
    settings = settings or (services.settings if services else Settings.from_env())
    services = services or bootstrap(settings)
    # Named after the package so static files and templates are found under service/.
    app = Flask("service", instance_path=str(settings.instance_dir))
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        MAX_CONTENT_LENGTH=4 * 1024 * 1024,
        TESTING=settings.testing,
    )
    app.extensions["rcp"] = services
    api.register(app)
    web.register(app)

    @app.get("/healthz")
    def healthz() -> Any:
        services.db.ping()
        return jsonify({"status": "ok"})

    return app
