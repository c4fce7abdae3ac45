"""Sign-in and sign-out; every other page needs a signed-in, active user."""

from __future__ import annotations

from typing import Any

from flask import flash, g, redirect, render_template, request, session, url_for

from service.identity import users
from service.web import security
from service.web.blueprint import bp, services, user
from service.web.identity import signed_in_user

PUBLIC_ENDPOINTS = {"web.login"}


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


@bp.route("/login", methods=["GET", "POST"])
def login() -> Any:
    target = security.local_path(request.values.get("next"), url_for("web.inbox"))
    if request.method == "GET":
        return render_template("web/login.html", next=target, username="")
    username = request.form.get("username", "")
    try:
        signed_in = users.sign_in(services(), username, request.form.get("password", ""))
    except users.SignInRefused as exc:
        return render_template("web/login.html", next=target, username=username, error=exc.detail), 401
    session.clear()  # a fresh session: nothing set before signing in carries over
    session.permanent = True
    now = services().clock.now().timestamp()
    session.update(user=signed_in.username, fp=signed_in.fingerprint, seen=now, since=now)
    security.renew_csrf()
    return redirect(target, 303)


@bp.post("/logout")
def logout() -> Any:
    users.record_sign_out(services(), user())
    session.clear()
    flash("You are signed out.", "info")
    return redirect(url_for("web.login"), 303)
