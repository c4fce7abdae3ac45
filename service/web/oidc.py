"""Sign-in through the agency's OpenID Connect provider: authorization code with PKCE, and logout.

Authlib's Flask client does the protocol: the state and nonce (kept in the session) protect the
callback, the code verifier binds the code to this browser, and the ID token's signature, issuer,
audience, nonce and expiry are checked against the provider's discovery document and keys. The
discovery document is fetched at the first sign-in, never when the app is built.
"""

from __future__ import annotations

import logging
from typing import Any
from urllib.parse import urlsplit

import requests
from authlib.common.errors import AuthlibBaseError
from authlib.integrations.flask_client import OAuth
from flask import Flask, Response, abort, current_app, redirect, render_template, request, session, url_for
from joserfc.errors import JoseError
from werkzeug.wrappers import Response as WerkzeugResponse

from service.config import OidcSettings
from service.identity import external, users
from service.web import security
from service.web.blueprint import bp, services
from service.web.identity import landing, start_session

log = logging.getLogger("rcp.oidc")

EXTENSION = "rcp.oidc"
NEXT = "oidc_next"  # the session key keeping where to go once the provider sends the user back
# What a provider (or the network to it) can get wrong during the callback.
CALLBACK_ERRORS = (AuthlibBaseError, JoseError, requests.RequestException, ValueError, KeyError)


def install(app: Flask, settings: OidcSettings) -> None:
    """Register the provider's client on the app when an issuer is configured (no network yet)."""
    if not settings.enabled:
        return
    external.check_group_map(settings)
    client_kwargs: dict[str, Any] = {
        "scope": settings.scopes,
        "code_challenge_method": "S256",
        "default_timeout": settings.timeout,
    }
    oauth = OAuth(app)
    app.extensions[EXTENSION] = oauth.register(
        "idp",
        client_id=settings.client_id,
        client_secret=settings.client_secret or None,  # None: a public client, PKCE alone
        server_metadata_url=settings.metadata_url,
        client_kwargs=client_kwargs,
    )
    origin = _origin(settings.issuer or "")

    @app.after_request
    def _allow_the_provider_as_form_target(response: Response) -> Response:
        # Signing out posts a form whose answer redirects to the provider's end-session page;
        # browsers hold that redirect to the policy's form-action, so the provider is named there.
        if response.mimetype == "text/html":
            response.headers["Content-Security-Policy"] = security.CSP.replace(
                "form-action 'self'", f"form-action 'self' {origin}"
            )
        return response


def login_page(target: str, *, username: str = "", error: str | None = None, status: int = 200) -> Any:
    """Render the sign-in page: the provider's button when configured, the password form when on."""
    settings = services().settings.oidc
    page = render_template(
        "web/login.html",
        next=target,
        username=username,
        error=error,
        oidc_label=settings.label if _client() is not None else None,
        local_passwords=settings.local_passwords,
    )
    return page, status


@bp.get("/login/oidc")
def oidc_start() -> Any:
    client = _client_or_404()
    session[NEXT] = security.local_path(request.args.get("next"), "")  # "": where the user lands
    try:
        return client.authorize_redirect(url_for("web.oidc_callback", _external=True))
    except CALLBACK_ERRORS as exc:
        log.warning("OIDC sign-in could not start: %s", exc)
        error = "The identity provider cannot be reached. Try again later."
        return login_page(session[NEXT], error=error, status=502)


@bp.get("/login/oidc/callback")
def oidc_callback() -> Any:
    client = _client_or_404()
    target = security.local_path(session.pop(NEXT, None), "")
    try:
        _check_issuer(client)
        token = client.authorize_access_token()
    except CALLBACK_ERRORS as exc:
        log.warning("OIDC sign-in refused: %s", exc)
        error = f"Signing in with {services().settings.oidc.label} did not complete. Try again."
        return login_page(target, error=error, status=401)
    try:
        signed_in = external.sign_in_external(services(), dict(token.get("userinfo") or {}))
    except external.NoProgramAccess as exc:
        return render_template("web/no_access.html", error=exc), 403
    except users.SignInRefused as exc:
        return login_page(target, error=exc.detail, status=401)
    start_session(services(), signed_in, token.get("id_token"))
    security.renew_csrf()
    return redirect(target or landing(signed_in), 303)


def logout_redirect(id_token: str | None) -> WerkzeugResponse | None:
    """Return the redirect to the provider's end-session page, or None when it has none."""
    client = _client()
    if client is None or not id_token:
        return None
    try:
        if not client.load_server_metadata().get("end_session_endpoint"):
            return None
        url = client.create_logout_url(
            post_logout_redirect_uri=url_for("web.login", _external=True), id_token_hint=id_token
        )["url"]
    except CALLBACK_ERRORS as exc:
        log.warning("OIDC logout at the provider skipped: %s", exc)
        return None
    return redirect(url, 303)


def _client() -> Any:
    return current_app.extensions.get(EXTENSION)


def _client_or_404() -> Any:
    client = _client()
    if client is None:
        abort(404)
    return client


def _check_issuer(client: Any) -> None:
    # RFC 9207: a provider that names itself in the answer must be the one this client asked.
    given = request.args.get("iss")
    if given is not None and given != client.load_server_metadata().get("issuer"):
        raise ValueError(f"the answer came from issuer {given!r}")


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"
