"""Sign-in and sign-out; every other page needs a signed-in, active user."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, request, session, url_for

from service.config import load_program
from service.identity import users
from service.web import oidc, security
from service.web.blueprint import bp, services, user
from service.web.identity import landing, signed_in_user, start_session

# The OIDC callback is protected by the state it carries, not by a form's CSRF token.
PUBLIC_ENDPOINTS = {"web.login", "web.oidc_start", "web.oidc_callback"}


def _here() -> str:
    query = request.query_string.decode()
    return request.path + (f"?{query}" if query else "")


@bp.before_request
def _require_sign_in() -> Any:
    if request.endpoint in PUBLIC_ENDPOINTS:
        security.check_csrf()
        return None
    found = signed_in_user(services())
    if found is None:
        target = _here() if request.method == "GET" else None
        return redirect(url_for("web.login", next=target), 303)
    security.check_csrf()
    g.user = found
    return None


@bp.context_processor
def _sign_in_contact() -> dict[str, Any]:
    # The sign-in page names the agency and the office staff ask for an account (program.toml).
    if request.endpoint not in PUBLIC_ENDPOINTS:
        return {}
    settings = services().settings
    program = settings.program or load_program(settings.program_config)
    return {"agency": program.get("agency", {}), "office": program.get("field_office", {})}


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    given = security.local_path(request.values.get("next"), "")  # kept through the form; "" for none
    if request.method == "GET":
        return oidc.login_page(given)
    username = request.form.get("username", "")
    password = request.form.get("password", "")
    try:
        # remote_addr is the client's: waitress rewrites it from a trusted proxy's headers only.
        signed_in = users.sign_in(services(), username, password, address=request.remote_addr)
    except users.SignInRefused as exc:
        page = oidc.login_page(given, username=username, error=exc.detail, status=exc.status)
        wait = exc.extra.get("retry_after")
        return (*page, {"Retry-After": str(wait)}) if wait else page
    start_session(services(), signed_in)
    security.renew_csrf()
    return redirect(given or landing(signed_in), 303)


@bp.post("/logout")
def logout() -> Any:
    users.record_sign_out(services(), user())
    id_token = session.get("id_token")
    session.clear()
    flash("You are signed out.", "info")
    # Signed in through the provider: end its session too, or the next sign-in skips its login.
    return oidc.logout_redirect(id_token) or redirect(url_for("web.login"), 303)
