"""CSRF tokens on every form, security headers on every response, safe redirect targets."""

from __future__ import annotations

import hmac
import secrets
from urllib.parse import urlsplit

from flask import Flask, Response, abort, request, session
from markupsafe import Markup, escape

CSRF_FIELD = "csrf_token"
# Pages load scripts, styles, fonts and images only from this origin; no inline script or style
# anywhere (bpmn-js styles its SVG through the CSSOM, which the policy allows).
CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)
HEADERS = {
    "Content-Security-Policy": CSP,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
}


def csrf_token() -> str:
    """Return this session's CSRF token, creating it on first use."""
    token = session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[CSRF_FIELD] = token
    return token


def csrf_field() -> Markup:
    """Return the hidden input every POST form carries."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(CSRF_FIELD, escape(csrf_token()))


def check_csrf() -> None:
    """Refuse a state-changing request whose form lacks this session's token (400)."""
    if request.method in ("GET", "HEAD", "OPTIONS"):
        return
    expected = session.get(CSRF_FIELD)
    given = request.form.get(CSRF_FIELD, "")
    if not isinstance(expected, str) or not hmac.compare_digest(expected.encode(), given.encode()):
        abort(
            400,
            description="The form has expired or did not come from this site. Reload the page and try again.",
        )


def renew_csrf() -> None:
    """Give the session a fresh token (after signing in, so a planted token is worthless)."""
    session[CSRF_FIELD] = secrets.token_urlsafe(32)


HSTS = ("Strict-Transport-Security", "max-age=31536000; includeSubDomains")
# (lower-case name, name, value): looked up against the names the response holds already.
_PLAIN = tuple((name.lower(), name, value) for name, value in HEADERS.items())
_SECURE = (*_PLAIN, (HSTS[0].lower(), *HSTS))


def add_headers(response: Response, *, secure: bool) -> Response:
    """Add each security header the response does not set itself (a page may set its own policy)."""
    # One pass over the names present, not a lookup per header (Headers.setdefault raises and
    # catches a KeyError for each header missing, which is every header on most answers).
    headers = response.headers
    present = {key.lower() for key, _ in headers}
    for lower, name, value in _SECURE if secure else _PLAIN:
        if lower not in present:
            headers.add(name, value)
    return response


def install(app: Flask, *, secure: bool) -> None:
    """Put the security headers on every response of the app (pages, API, static files)."""

    @app.after_request
    def _headers(response: Response) -> Response:
        return add_headers(response, secure=secure)


def local_path(target: str | None, default: str) -> str:
    """Return ``target`` if it is a path on this site (no scheme, no host), else ``default``."""
    if not target:
        return default
    parts = urlsplit(target)
    if (
        parts.scheme
        or parts.netloc
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
    ):
        return default
    return target
