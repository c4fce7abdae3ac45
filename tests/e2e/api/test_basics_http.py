"""The API's frame: documentation, problem details for any error, last use, the rate limit."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask

from service.api import openapi
from service.api.contract import OPERATIONS
from service.api.openapi import SCOPE_TEXT
from service.api.problems import PROBLEM_BASE, PROBLEM_TYPES
from service.clock import MovableClock
from service.errors import ServiceError
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


def test_the_document_and_the_docs_page_are_public_and_each_problem_type_opens_its_explanation(
    api: Services, app: Flask
) -> None:
    client = app.test_client()
    refused = client.get("/api/v1/tasks")  # no token: a problem whose type link a browser opens

    document = client.get("/api/v1/openapi.json")
    assert document.status_code == 200 and document.get_json()["openapi"] == "3.1.0"
    assert document.mimetype == "application/json"
    assert document.get_json() == openapi.document()  # the bytes cached per process say the same
    assert refused.status_code == 401
    for slug in {problem(refused)["type"].rsplit("problem-", 1)[1], *PROBLEM_TYPES}:
        path, _, anchor = (PROBLEM_BASE + slug).partition("#")
        page = client.get(path)  # as a browser follows the link: no Authorization header
        assert page.status_code == 200 and page.mimetype == "text/html"
        assert f"id='{anchor}'" in page.get_data(as_text=True)


def test_every_problem_type_the_api_can_answer_is_explained_on_the_page() -> None:
    modules = ("service.errors", "service.api.", "service.identity.tokens")

    def subclasses(cls: type[ServiceError]) -> list[type[ServiceError]]:
        return [c for sub in cls.__subclasses__() for c in (sub, *subclasses(sub))]

    slugs = {c.type_slug for c in subclasses(ServiceError) if c.__module__.startswith(modules)}
    slugs |= {"not-found", "method-not-allowed", "payload-too-large", "internal-error", "bad-request"}
    assert slugs - set(PROBLEM_TYPES) == set()


def test_every_operation_declares_every_status_its_frame_can_answer(api: Services, app: Flask) -> None:
    document = app.test_client().get("/api/v1/openapi.json").get_json()

    for path, item in document["paths"].items():
        for method, op in item.items():
            declared, declared_op = set(op["responses"]), OPERATIONS[op["operationId"]]
            expected = {"500"} | (set() if declared_op.public else {"401", "429", "503"})
            expected |= {"404"} if "{" in path else set()
            expected |= {"400", "413", "415", "422"} if "requestBody" in op else set()
            expected |= {"403"} if declared_op.scope else set()
            assert expected <= declared, (method, path, expected - declared)
            for status in declared - {"200", "201", "202", "204"}:
                media = op["responses"][status]["content"]
                assert list(media) == ["application/problem+json"], (method, path, status)


def test_every_list_answers_one_envelope_of_items_and_next(api: Services, app: Flask) -> None:
    document = app.test_client().get("/api/v1/openapi.json").get_json()
    schemas = document["components"]["schemas"]

    lists = 0
    for item in document["paths"].values():
        for op in item.values():
            for answer in op["responses"].values():
                for content in answer.get("content", {}).values():
                    schema = content["schema"]
                    if "$ref" in schema:
                        schema = schemas[schema["$ref"].rsplit("/", 1)[1]]
                    assert schema.get("type") != "array", op["operationId"]  # never a bare array
                    if "items" in schema.get("properties", {}):
                        lists += 1
                        assert schema["required"] == ["items", "next"], op["operationId"]
    # instances, history, tasks, definitions, notices, incidents, webhooks, deliveries, cases,
    # a case's documents, the documents just attached
    assert lists == 11


def test_each_operation_names_its_scope_in_its_security_and_every_scope_is_described(
    api: Services, app: Flask
) -> None:
    document = app.test_client().get("/api/v1/openapi.json").get_json()

    assert set(SCOPE_TEXT) == set(tokens.SCOPES)
    for item in document["paths"].values():
        for op in item.values():
            declared = OPERATIONS[op["operationId"]]
            expected = [] if declared.public else [{"bearer": [declared.scope] if declared.scope else []}]
            assert op["security"] == expected, op["operationId"]


def test_unknown_paths_and_methods_answer_with_problem_details(api: Services, app: Flask) -> None:
    client = app.test_client()
    auth = token(api, "portal", "read")

    missing = client.get("/api/v1/no-such-thing", headers=auth)
    wrong_method = client.put("/api/v1/process-definitions", headers=auth)

    assert missing.status_code == 404 and problem(missing)["type"].endswith("not-found")
    assert wrong_method.status_code == 405
    assert problem(wrong_method)["type"].endswith("method-not-allowed")
    assert "GET" in wrong_method.headers["Allow"]


def test_options_is_an_undeclared_method_answered_with_a_problem_naming_the_allowed_ones(
    api: Services, app: Flask
) -> None:
    answer = app.test_client().options("/api/v1/tasks", headers=token(api, "portal", "read"))

    assert answer.status_code == 405
    assert problem(answer)["type"].endswith("method-not-allowed")
    assert set(answer.headers["Allow"].split(", ")) == {"GET", "HEAD"}


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
