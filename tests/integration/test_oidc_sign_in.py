"""Sign-in through a real OpenID Connect provider on loopback: provisioning, refusals, logout.

The provider (npm oidc-provider) runs for the module; the Flask test client plays the browser
on the service's side (``http://localhost``) and ``requests`` logs in at the provider.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from service import create_app
from service.clock import MovableClock
from service.errors import Conflict
from service.identity import users
from service.identity.actors import SYSTEM
from service.services import Services
from tests.e2e.inbox_world import csrf
from tests.oidc import PUBLIC_CLIENT_ID, Provider, free_port, running_provider, sign_in_at_provider
from tests.support import Switchboard, make_services

SITE = "http://localhost"  # the Flask test client's host
CALLBACK = f"{SITE}/login/oidc/callback"
LOCAL_PASSWORD = "a-long-local-password"


@pytest.fixture(scope="module")
def provider() -> Iterator[Provider]:
    with running_provider(free_port(), [SITE]) as running:
        yield running


@pytest.fixture
def oidc_services(
    db_url: str, tmp_path: Path, clock: MovableClock, board: Switchboard, provider: Provider
) -> Iterator[Services]:
    built = make_services(db_url, tmp_path, clock, board)
    built.settings = replace(built.settings, oidc=provider.settings())
    yield built
    built.close()


@pytest.fixture
def app(oidc_services: Services) -> Flask:
    return create_app(services=oidc_services)


def provider_sign_in(client: FlaskClient, login: str, next_page: str | None = None) -> TestResponse:
    """Start at the service, log in at the provider, and return the service's answer to the callback."""
    start = client.get("/login/oidc" + (f"?next={quote(next_page, safe='')}" if next_page else ""))
    assert start.status_code == 302, start.text
    callback = sign_in_at_provider(start.headers["Location"], login, CALLBACK)
    return client.get(callback.removeprefix(SITE))


def audited(services: Services, **equal: Any) -> int:
    with services.db.unit_of_work(readonly=True) as uow:
        return uow.audit.count(action="sign-in", **equal)


def test_the_sign_in_page_offers_the_provider_and_the_password_form(app: Flask) -> None:
    page = app.test_client().get("/login?next=/inbox")
    assert page.status_code == 200
    assert "Sign in with CBP Login" in page.text
    assert 'href="/login/oidc?next=/inbox"' in page.text
    assert 'name="password"' in page.text


def test_a_provider_user_is_created_with_the_mapped_groups_and_lands_where_they_were_going(
    app: Flask, oidc_services: Services, provider: Provider
) -> None:
    client = app.test_client()
    start = client.get("/login/oidc?next=/inbox%3Fview%3Dqueue")
    authorize = parse_qs(urlsplit(start.headers["Location"]).query)
    assert start.headers["Location"].startswith(f"{provider.issuer}/auth?")
    assert authorize["code_challenge_method"] == ["S256"] and authorize["code_challenge"][0]
    assert authorize["scope"] == ["openid profile email"] and authorize["nonce"][0]

    answer = client.get(sign_in_at_provider(start.headers["Location"], "jane", CALLBACK).removeprefix(SITE))

    assert answer.status_code == 303 and answer.headers["Location"] == "/inbox?view=queue"
    jane = users.active_user(oidc_services, "jane.doe")
    assert jane is not None
    assert (jane.groups, jane.display_name, jane.email) == (
        ("reviewers",),
        "Jane Doe",
        "jane.doe@cbp.example",
    )
    inbox = client.get("/inbox?view=queue")
    assert inbox.status_code == 200 and "Jane Doe" in inbox.text and "reviewers" in inbox.text
    assert audited(oidc_services, actor="jane.doe", outcome="ok") == 1


def test_groups_are_replaced_by_the_mapped_ones_at_each_sign_in(app: Flask, oidc_services: Services) -> None:
    assert provider_sign_in(app.test_client(), "dave").status_code == 303
    users.update(oidc_services, "dave", groups=["supervisors", "penalties"], by=SYSTEM)

    assert provider_sign_in(app.test_client(), "dave").status_code == 303

    dave = users.active_user(oidc_services, "dave")
    assert dave is not None and dave.groups == ("field_director",)


def test_a_user_with_no_mapped_group_is_told_they_have_no_access_and_the_refusal_is_audited(
    app: Flask, oidc_services: Services
) -> None:
    client = app.test_client()
    answer = provider_sign_in(client, "olga", "/inbox")

    assert answer.status_code == 403
    assert "No access to this program" in answer.text
    assert "none of your groups gives access to the Recordkeeping Compliance Program" in answer.text
    assert users.active_user(oidc_services, "olga") is None
    assert client.get("/inbox").status_code == 303  # no session
    assert audited(oidc_services, actor="olga", outcome="refused", detail="no mapped group") == 1


def test_a_deactivated_provider_user_loses_the_session_and_is_refused_at_the_next_sign_in(
    app: Flask, oidc_services: Services
) -> None:
    client = app.test_client()
    provider_sign_in(client, "jane")
    assert client.get("/inbox").status_code == 200

    users.update(oidc_services, "jane.doe", active=False, by=SYSTEM)

    assert client.get("/inbox").status_code == 303
    again = provider_sign_in(client, "jane")
    assert again.status_code == 401 and "Your account here is deactivated" in again.text
    assert client.get("/inbox").status_code == 303
    assert audited(oidc_services, actor="jane.doe", outcome="refused", detail="deactivated") == 1


def test_a_provider_user_never_signs_in_with_a_password_nor_is_given_one(
    app: Flask, oidc_services: Services
) -> None:
    provider_sign_in(app.test_client(), "jane")
    with pytest.raises(Conflict, match="signs in through the identity provider"):
        users.update(oidc_services, "jane.doe", password=LOCAL_PASSWORD, by=SYSTEM)
    client = app.test_client()

    for password in ("", LOCAL_PASSWORD):
        answer = client.post(
            "/login",
            data={"csrf_token": csrf(client, "/login"), "username": "jane.doe", "password": password},
        )
        assert answer.status_code == 401 and "The username or password is not right." in answer.text
    assert client.get("/inbox").status_code == 303
    assert audited(oidc_services, actor="jane.doe", outcome="refused") == 2


def test_the_provider_cannot_take_over_a_local_account_by_its_username(
    app: Flask, oidc_services: Services
) -> None:
    users.create(oidc_services, "rita", LOCAL_PASSWORD, ["penalties"], by=SYSTEM)

    answer = provider_sign_in(app.test_client(), "rita-at-idp")

    assert answer.status_code == 401 and "belongs to another account here" in answer.text
    rita = users.active_user(oidc_services, "rita")
    assert rita is not None and rita.groups == ("penalties",)


@pytest.mark.parametrize("target", ["https://evil.example/phish", "//evil.example/x", "/\\evil.example"])
def test_a_next_page_off_this_site_is_replaced_by_the_inbox(app: Flask, target: str) -> None:
    answer = provider_sign_in(app.test_client(), "jane", target)

    assert answer.status_code == 303 and answer.headers["Location"] == "/inbox"


def test_a_callback_with_another_state_or_replayed_is_refused(app: Flask, oidc_services: Services) -> None:
    client = app.test_client()
    start = client.get("/login/oidc")
    callback = sign_in_at_provider(start.headers["Location"], "jane", CALLBACK).removeprefix(SITE)
    forged = client.get(callback.replace("state=", "state=forged"))
    assert forged.status_code == 401 and "did not complete" in forged.text

    assert client.get(callback).status_code == 303
    stranger = app.test_client()  # the same answer in another browser: its session never asked
    assert stranger.get(callback).status_code == 401
    assert stranger.get("/inbox").status_code == 303
    assert client.get(callback).status_code == 401  # and once used, it is spent


def test_an_answer_naming_another_issuer_is_refused(app: Flask) -> None:
    client = app.test_client()
    start = client.get("/login/oidc")
    callback = urlsplit(sign_in_at_provider(start.headers["Location"], "jane", CALLBACK))
    query = {k: v[0] for k, v in parse_qs(callback.query).items()}
    assert query["iss"]  # the provider names itself (RFC 9207)

    answer = client.get(callback.path, query_string={**query, "iss": "https://evil.example"})

    assert answer.status_code == 401 and "did not complete" in answer.text
    assert client.get("/inbox").status_code == 303


def test_sign_out_ends_the_session_here_and_at_the_provider(app: Flask, provider: Provider) -> None:
    client = app.test_client()
    provider_sign_in(client, "jane")
    page = client.get("/inbox")
    assert f"form-action 'self' {provider.issuer}" in page.headers["Content-Security-Policy"]

    answer = client.post("/logout", data={"csrf_token": csrf(client)})

    assert answer.status_code == 303
    location = urlsplit(answer.headers["Location"])
    query = parse_qs(location.query)
    assert f"{location.scheme}://{location.netloc}{location.path}" == f"{provider.issuer}/session/end"
    assert query["post_logout_redirect_uri"] == [f"{SITE}/login"] and query["id_token_hint"][0]
    assert client.get("/inbox").status_code == 303


def test_a_local_user_signs_out_to_the_sign_in_page(app: Flask, oidc_services: Services) -> None:
    users.create(oidc_services, "rita", LOCAL_PASSWORD, ["reviewers"], by=SYSTEM)
    client = app.test_client()
    signed_in = client.post(
        "/login", data={"csrf_token": csrf(client, "/login"), "username": "rita", "password": LOCAL_PASSWORD}
    )
    assert signed_in.status_code == 303

    answer = client.post("/logout", data={"csrf_token": csrf(client)})

    assert answer.status_code == 303 and answer.headers["Location"] == "/login"


def test_with_local_passwords_off_the_form_is_gone_and_a_password_is_refused(
    oidc_services: Services, provider: Provider
) -> None:
    users.create(oidc_services, "rita", LOCAL_PASSWORD, ["reviewers"], by=SYSTEM)
    oidc_services.settings = replace(oidc_services.settings, oidc=provider.settings(local_passwords=False))
    client = create_app(services=oidc_services).test_client()

    page = client.get("/login")
    assert "Sign in with CBP Login" in page.text
    assert 'name="password"' not in page.text
    with client.session_transaction() as session:  # a password form kept open from before the switch
        session["csrf_token"] = "token-of-an-old-form"
    answer = client.post(
        "/login", data={"csrf_token": "token-of-an-old-form", "username": "rita", "password": LOCAL_PASSWORD}
    )

    assert answer.status_code == 401
    assert "Signing in with a password is turned off here. Sign in with CBP Login." in answer.text
    assert client.get("/inbox").status_code == 303
    assert audited(oidc_services, actor="rita", outcome="refused", detail="local passwords off") == 1
    assert users.ensure_demo_users(oidc_services) == 0


def test_a_provider_that_cannot_be_reached_is_named_on_the_sign_in_page(
    oidc_services: Services, provider: Provider
) -> None:
    gone = f"http://127.0.0.1:{free_port()}"  # nobody listens there
    oidc_services.settings = replace(oidc_services.settings, oidc=provider.settings(issuer=gone, timeout=2.0))
    client = create_app(services=oidc_services).test_client()

    answer = client.get("/login/oidc?next=/inbox")

    assert answer.status_code == 502
    assert "The identity provider cannot be reached. Try again later." in answer.text
    assert 'name="password"' in answer.text  # the password form is still there


def test_a_group_map_naming_a_group_the_program_lacks_stops_the_app_at_start(
    oidc_services: Services, provider: Provider
) -> None:
    oidc_services.settings = replace(
        oidc_services.settings, oidc=provider.settings(group_map=(("cbp-reviewers", "reviewer"),))
    )

    with pytest.raises(ValueError, match="RCP_OIDC_GROUP_MAP names unknown group"):
        create_app(services=oidc_services)


def test_a_public_client_without_a_secret_signs_in_with_pkce_alone(
    oidc_services: Services, provider: Provider
) -> None:
    public = provider.settings(client_id=PUBLIC_CLIENT_ID, client_secret="")
    oidc_services.settings = replace(oidc_services.settings, oidc=public)
    client = create_app(services=oidc_services).test_client()

    answer = provider_sign_in(client, "dave")

    assert answer.status_code == 303 and answer.headers["Location"] == "/inbox"
    assert client.get("/inbox").status_code == 200
