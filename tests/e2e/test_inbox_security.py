"""Sign-in, sessions, CSRF and headers of the web inbox; the integrator API is left as it was."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest

from service.clock import MovableClock
from service.identity import tokens, users
from service.identity.actors import SYSTEM
from tests.e2e.inbox_world import PASSWORD, World, build_world, csrf, notices
from tests.support import Switchboard, make_services


@pytest.fixture
def world(sqlite_url: str, tmp_path: Path, clock: MovableClock, board: Switchboard) -> Iterator[World]:
    services = make_services(sqlite_url, tmp_path, clock, board)
    yield build_world(services)
    services.close()


def sign_in(world: World, username: str, password: str, next_page: str = "") -> tuple[int, str]:
    client = world.app.test_client()
    response = client.post(
        "/login",
        data={
            "csrf_token": csrf(client, "/login"),
            "username": username,
            "password": password,
            "next": next_page,
        },
    )
    return response.status_code, response.headers.get("Location", "")


def test_pages_api_and_static_files_carry_the_security_headers(world: World) -> None:
    client = world.client("rita")
    for path in ("/login", "/inbox", "/api/v1/tasks", "/static/web/inbox.css"):
        with client.get(path) as response:  # closes the static file it streams
            headers = response.headers
        csp = headers["Content-Security-Policy"]
        assert "default-src 'self'" in csp and "script-src 'self'" in csp and "frame-ancestors 'none'" in csp
        assert "unsafe-inline" not in csp
        assert headers["X-Frame-Options"] == "DENY"
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
    assert client.get("/inbox").headers["Cache-Control"] == "no-store"


def test_the_session_cookie_is_http_only_same_site_and_secure_when_configured(world: World) -> None:
    client = world.client("rita")
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only and cookie.same_site == "Lax" and not cookie.secure

    from dataclasses import replace

    from service import create_app

    secure = create_app(
        services=replace(
            world.services, settings=replace(world.services.settings, session_cookie_secure=True)
        )
    )
    response = secure.test_client().get("/login")
    assert "Secure" in response.headers["Set-Cookie"]
    assert response.headers["Strict-Transport-Security"].startswith("max-age=")


def test_a_form_without_the_sessions_csrf_token_is_refused_and_changes_nothing(world: World) -> None:
    case_id = world.start_case("X-1")
    task_id = world.open_task(case_id)["id"]
    client = world.client("rita")

    for token in ("", "forged-token"):
        response = client.post(f"/tasks/{task_id}/claim", data={"csrf_token": token})
        assert response.status_code == 400
    assert world.open_task(case_id)["assignee"] is None
    anonymous = world.app.test_client()
    assert anonymous.post("/login", data={"username": "rita", "password": PASSWORD}).status_code == 400


def test_five_wrong_passwords_from_one_address_hold_that_address_back_for_thirty_seconds(
    world: World, clock: MovableClock
) -> None:
    # A delay, not a lockout: it holds back the address that failed (tests/e2e/test_sign_in_throttle.py).
    world.ensure_user("rita")
    for _ in range(users.throttle.PAIR.free):
        assert sign_in(world, "rita", "not-the-password")[0] == 401

    assert sign_in(world, "rita", PASSWORD)[0] == 429  # held back, even with the right password
    clock.advance(timedelta(seconds=31))
    assert sign_in(world, "rita", PASSWORD) == (303, "/inbox")


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(world: World) -> None:
    world.ensure_user("rita")
    client = world.app.test_client()
    answers = []
    for username in ("rita", "nobody"):
        response = client.post(
            "/login",
            data={"csrf_token": csrf(client, "/login"), "username": username, "password": "wrong-password"},
        )
        answers.append((response.status_code, notices(response.text)))
    assert answers[0] == answers[1] == (401, ["Sign-in failed The username or password is not right."])


def test_signing_in_returns_only_to_a_page_of_this_site(world: World) -> None:
    world.ensure_user("rita")
    assert sign_in(world, "rita", PASSWORD, "/inbox?view=queue") == (303, "/inbox?view=queue")
    for elsewhere in ("https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)"):
        assert sign_in(world, "rita", PASSWORD, elsewhere) == (303, "/inbox")


def test_an_anonymous_visit_is_sent_to_sign_in_and_back_afterwards(world: World) -> None:
    world.ensure_user("rita")
    client = world.app.test_client()
    response = client.get("/inbox?view=queue")
    assert (response.status_code, response.headers["Location"]) == (303, "/login?next=/inbox?view%3Dqueue")
    signed_in = client.post(
        "/login",
        data={
            "csrf_token": csrf(client, "/login"),
            "username": "rita",
            "password": PASSWORD,
            "next": "/inbox?view=queue",
        },
    )
    assert signed_in.headers["Location"] == "/inbox?view=queue"


def test_signing_out_ends_the_session(world: World) -> None:
    client = world.client("rita")
    assert client.post("/logout", data={"csrf_token": csrf(client)}).status_code == 303
    assert client.get("/inbox").status_code == 303


def test_a_new_password_or_deactivation_ends_existing_sessions(world: World) -> None:
    rita, rob = world.client("rita"), world.client("rob")
    users.update(world.services, "rita", by=SYSTEM, password="a-brand-new-password")
    users.update(world.services, "rob", by=SYSTEM, active=False)

    assert rita.get("/inbox").status_code == 303
    assert rob.get("/inbox").status_code == 303
    assert sign_in(world, "rob", PASSWORD)[0] == 401


def test_a_session_idle_for_thirty_minutes_ends(world: World, clock: MovableClock) -> None:
    client = world.client("rita")
    clock.advance(timedelta(minutes=29))
    assert client.get("/inbox").status_code == 200
    clock.advance(timedelta(minutes=29))
    assert client.get("/inbox").status_code == 200
    clock.advance(timedelta(minutes=31))
    assert client.get("/inbox").status_code == 303


def test_a_session_ends_eight_hours_after_signing_in_however_busy(world: World, clock: MovableClock) -> None:
    client = world.client("rita")
    for _ in range(16):  # 16 x 29 minutes = 7 h 44 min
        clock.advance(timedelta(minutes=29))
        assert client.get("/inbox").status_code == 200
    clock.advance(timedelta(minutes=29))
    assert client.get("/inbox").status_code == 303


def test_the_api_takes_bearer_tokens_and_ignores_a_web_session(world: World) -> None:
    client = world.client("sam")
    assert client.get("/api/v1/tasks").status_code == 401
    token = tokens.create(world.services, "portal", ["read"])
    response = world.app.test_client().get("/api/v1/tasks", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response.get_json() == {"items": [], "next": None}
