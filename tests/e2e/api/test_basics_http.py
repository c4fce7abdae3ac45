"""The API's frame: documentation, problem details for any error, last use, the rate limit."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask

from service.api.contract import OPERATIONS
from service.api.problems import PROBLEM_TYPES
from service.clock import MovableClock
from service.identity import tokens
from service.services import Services
from tests.apikit import api_services, app_for, deploy_all, problem, token
from tests.support import Switchboard


def test_the_docs_page_renders_every_operation_and_problem_without_loading_anything(
    api: Services, app: Flask
) -> None:
    page = app.test_client().get("/api/v1/docs", headers=token(api, "portal"))

    assert page.status_code == 200
    assert page.mimetype == "text/html"
    html = page.get_data(as_text=True)
    assert set(re.findall(r"id='op-(\w+)'", html)) == set(OPERATIONS)
    assert set(re.findall(r"id='problem-([\w-]+)'", html)) == set(PROBLEM_TYPES)
    assert "<script" not in html
    assert not re.search(r"(src|href)=['\"]?(https?:)?//", html)  # no CDN, no remote font or style
    assert "default-src 'none'" in page.headers["Content-Security-Policy"]


def test_the_openapi_document_declares_bearer_auth_and_every_operation(api: Services, app: Flask) -> None:
    document = app.test_client().get("/api/v1/openapi.json", headers=token(api, "portal")).get_json()

    assert document["openapi"] == "3.1.0"
    assert document["components"]["securitySchemes"]["bearer"]["scheme"] == "bearer"
    declared = {op["operationId"]: op for item in document["paths"].values() for op in item.values()}
    assert set(declared) == set(OPERATIONS)
    start = declared["startProcessInstance"]
    assert start["x-required-scope"] == "start"
    assert set(start["responses"]["201"]["links"]) == {
        "GetProcessInstance",
        "GetProcessInstanceHistory",
        "DeliverAwaitedMessage",
    }


def test_unknown_paths_and_methods_answer_with_problem_details(api: Services, app: Flask) -> None:
    client = app.test_client()
    auth = token(api, "portal", "read")

    missing = client.get("/api/v1/no-such-thing", headers=auth)
    wrong_method = client.put("/api/v1/process-definitions", headers=auth)

    assert missing.status_code == 404 and problem(missing)["type"].endswith("not-found")
    assert wrong_method.status_code == 405
    assert problem(wrong_method)["type"].endswith("method-not-allowed")
    assert "GET" in wrong_method.headers["Allow"]


def test_a_revoked_or_malformed_token_is_401(api: Services, app: Flask) -> None:
    auth = token(api, "portal", "read")
    tokens.revoke(api, "portal")
    client = app.test_client()

    revoked = client.get("/api/v1/tasks", headers=auth)
    malformed = client.get("/api/v1/tasks", headers={"Authorization": "Bearer nonsense"})
    basic = client.get("/api/v1/tasks", headers={"Authorization": "Basic dXNlcjpwYXNz"})

    assert [revoked.status_code, malformed.status_code, basic.status_code] == [401, 401, 401]
    assert problem(revoked)["detail"] == "unknown or revoked token"


def test_the_last_use_of_a_token_is_recorded(api: Services, app: Flask, clock: MovableClock) -> None:
    auth = token(api, "portal", "read")
    assert tokens.list_tokens(api)[0]["last_used_at"] is None

    app.test_client().get("/api/v1/tasks", headers=auth)

    assert tokens.list_tokens(api)[0]["last_used_at"] == clock.now()


def test_a_token_over_its_budget_is_told_when_to_come_back(
    sqlite_url: str, tmp_path: Path, clock: MovableClock, board: Switchboard
) -> None:
    services = api_services(sqlite_url, tmp_path, clock, board, rate_limit=3)
    try:
        deploy_all(services)
        client = app_for(services).test_client()
        auth = token(services, "portal", "read")
        other = token(services, "scanner", "read")

        answers = [client.get("/api/v1/tasks", headers=auth).status_code for _ in range(4)]
        refused = client.get("/api/v1/tasks", headers=auth)
        assert answers == [200, 200, 200, 429]
        assert problem(refused)["type"].endswith("rate-limited")
        assert refused.headers["Retry-After"] == "20"  # one request every 60 s / 3
        assert client.get("/api/v1/tasks", headers=other).status_code == 200  # budgets are per token

        clock.advance(seconds=20)
        assert client.get("/api/v1/tasks", headers=auth).status_code == 200
        assert client.get("/api/v1/tasks", headers=auth).status_code == 429
    finally:
        services.close()
