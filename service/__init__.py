"""Process orchestration for the Recordkeeping Compliance Program (19 CFR 163.11-163.13)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from flask import Flask

    from service.config import Settings
    from service.services import Services


def create_app(settings: Settings | None = None, services: Services | None = None) -> Flask:
    """Build the Flask app; nothing connects until this is called."""
    # Imported here, not above: importing a module of the package (a plain value type, the
    # store) must not load Flask, the API or the engine.
    from flask import Flask

    from service import api, limits, observe, web
    from service.bootstrap import bootstrap
    from service.config import Settings
    from service.observe.logs import configure_logging

    if settings is None and services is None:
        # Read from the environment: this is a process of its own (``waitress-serve --call``).
        settings = Settings.from_env()
        configure_logging(settings.observe)
    settings = settings or (services.settings if services else Settings.from_env())
    built = services or bootstrap(settings)
    app = Flask(__name__, instance_path=str(settings.instance_dir))
    app.config.update(
        SECRET_KEY=settings.secret_key,
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.session_cookie_secure,
        MAX_CONTENT_LENGTH=limits.MAX_BODY_BYTES,
        TESTING=settings.testing,
    )
    app.extensions["rcp"] = built
    observe.register(app, built)  # first: its hooks see every request, its answer is logged last
    api.register(app)
    web.register(app)
    return app
