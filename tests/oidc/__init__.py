"""A real OpenID Connect provider on loopback (npm oidc-provider, run by node) for sign-in tests."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urljoin

import pytest
import requests
from lxml import html as lxml_html

from service.config import OidcSettings, parse_group_map

SCRIPT = Path(__file__).with_name("provider.mjs")
PACKAGE = Path(__file__).resolve().parents[2] / "frontend" / "node_modules" / "oidc-provider"
CLIENT_ID = "rcp-staff"
CLIENT_SECRET = "loopback-only-client-secret"
PUBLIC_CLIENT_ID = "rcp-staff-public"  # no secret: PKCE alone binds the code to the browser
GROUP_MAP = "cbp-reviewers=reviewers, cbp-directors=field_director, cbp-supervisors=supervisors"
# The provider's accounts: its own groups, which the service maps (or not) to the program's.
ACCOUNTS: dict[str, dict[str, Any]] = {
    "jane": {
        "preferred_username": "jane.doe",
        "name": "Jane Doe",
        "email": "jane.doe@cbp.example",
        "groups": ["cbp-reviewers", "cbp-all-staff"],
    },
    "dave": {"preferred_username": "dave", "name": "Dave Director", "groups": ["cbp-directors"]},
    "olga": {"preferred_username": "olga", "name": "Olga Outsider", "groups": ["cbp-all-staff"]},
    "rita-at-idp": {"preferred_username": "rita", "name": "Not Rita", "groups": ["cbp-reviewers"]},
}


@dataclass(frozen=True)
class Provider:
    """A running provider: its issuer and the one client registered with it."""

    issuer: str
    redirect_uris: tuple[str, ...]

    def settings(self, **changes: Any) -> OidcSettings:
        """Return the service's OIDC settings for this provider and client."""
        found = OidcSettings(
            issuer=self.issuer,
            client_id=CLIENT_ID,
            client_secret=CLIENT_SECRET,
            group_map=parse_group_map(GROUP_MAP),
            label="CBP Login",
        )
        return replace(found, **changes)


def free_port() -> int:
    """Return a loopback port nobody listens on (the provider's issuer must be known before it runs)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


@contextmanager
def running_provider(port: int, sites: list[str]) -> Iterator[Provider]:
    """Run the provider on ``port`` for a client at each site (callback and sign-in page); stop it after."""
    node = shutil.which("node")
    if node is None or not PACKAGE.exists():
        pytest.fail("node and frontend/node_modules/oidc-provider are needed: npm ci in frontend/")
    issuer = f"http://localhost:{port}"
    redirects = tuple(f"{site}/login/oidc/callback" for site in sites)
    client = {
        "client_id": CLIENT_ID,
        "client_secret": CLIENT_SECRET,
        "redirect_uris": list(redirects),
        "post_logout_redirect_uris": [f"{site}/login" for site in sites],
    }
    public = {**client, "client_id": PUBLIC_CLIENT_ID, "token_endpoint_auth_method": "none"}
    del public["client_secret"]
    config = {"port": port, "issuer": issuer, "clients": [client, public], "accounts": ACCOUNTS}
    process = subprocess.Popen(
        [node, str(SCRIPT), json.dumps(config)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        _wait_until_ready(process)
        yield Provider(issuer, redirects)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def _wait_until_ready(process: subprocess.Popen[str]) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        if line.startswith("ready "):
            # Keep reading what it prints, so a full pipe never blocks it.
            threading.Thread(target=process.stdout.read, name="oidc-provider-out", daemon=True).start()
            return
    raise AssertionError(f"the OIDC provider stopped before it was ready (exit {process.wait()})")


def sign_in_at_provider(authorize_url: str, login: str, callback_prefix: str) -> str:
    """Log in at the provider and consent, as a browser would; return the callback URL it sends back."""
    http = requests.Session()
    url, method, data = authorize_url, "GET", None
    for _ in range(12):
        response = http.request(method, url, data=data, allow_redirects=False, timeout=10)
        if response.is_redirect:
            url, method, data = urljoin(url, response.headers["Location"]), "GET", None
            if url.startswith(callback_prefix):
                return url
            continue
        assert response.status_code == 200, f"{url}: {response.status_code} {response.text[:300]}"
        url, data = _filled_form(url, response.text, login)
        method = "POST"
    raise AssertionError("the provider never sent the browser back")


def _filled_form(url: str, page: str, login: str) -> tuple[str, dict[str, str]]:
    form = lxml_html.fromstring(page).forms[0]
    values = dict(form.form_values())
    if "login" in form.inputs.keys():  # noqa: SIM118  (lxml's InputGetter has no __iter__)
        values.update(login=login, password="any password")  # development interactions take any
    return urljoin(url, form.action or url), values
