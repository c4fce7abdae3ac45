"""API requests open no cookie session: nothing read, nothing written, no cookie set; pages keep theirs."""

from __future__ import annotations

import pytest
from flask import Flask, session

from service.services import Services
from service.web.sessions import NoSession
from tests.apikit import token


def _signed_in_client(app: Flask):  # type: ignore[no-untyped-def]
    client = app.test_client()
    with client.session_transaction() as staff:  # a browser holding a long-lived staff session
        staff.permanent = True
        staff["csrf_token"] = "planted"
    return client


def test_an_api_request_sets_no_cookie_while_a_page_request_refreshes_it(api: Services, app: Flask) -> None:
    client = _signed_in_client(app)

    answer = client.get("/api/v1/tasks", headers=token(api, "portal", "read"))
    page = client.get("/login")

    assert answer.status_code == 200
    assert "Set-Cookie" not in answer.headers
    assert "cookie" not in answer.headers.get("Vary", "").lower()
    assert "session=" in page.headers["Set-Cookie"]  # the pages' session is still opened and saved


def test_the_session_cookie_never_stands_in_for_a_token(app: Flask) -> None:
    refused = _signed_in_client(app).get("/api/v1/tasks")

    assert refused.status_code == 401
    assert "Set-Cookie" not in refused.headers


@pytest.mark.parametrize("path", ["/api/v1/tasks", "/api/v1/no-such-resource"])
def test_inside_an_api_request_the_session_is_empty_and_refuses_writes(app: Flask, path: str) -> None:
    client = _signed_in_client(app)
    cookie = client.get_cookie("session")
    assert cookie is not None
    headers = {"Cookie": f"session={cookie.value}"}

    with app.test_request_context(path, headers=headers):
        assert isinstance(session, NoSession) and dict(session) == {}
        with pytest.raises(RuntimeError, match="no cookie session"):
            session["user"] = "someone"
    with app.test_request_context("/login", headers=headers):
        assert session.get("csrf_token") == "planted"  # the same cookie opens a page's session
