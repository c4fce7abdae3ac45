"""Hostile input at the API's door: overlong ids, NUL bytes, deep JSON, broken JSON (issue 18: 3, 4, 5).

Every refusal is a 4xx problem+json naming what is wrong, on SQLite and PostgreSQL alike, and it
changes nothing: the case keeps its version and its history.
"""

from __future__ import annotations

from typing import Any

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from service import limits
from service.actions import lifecycle, tasks
from service.errors import NotFound
from service.services import Services
from service.store.schema import audit_log
from service.views import instances
from tests.apikit import app_for, open_task, problem, start_smoke, token
from tests.support import INTEGRATOR

SCOPES = ("start", "message", "read", "tasks")
LONG_ID = "0" * 8 + "-0000-4000-8000-" + "0" * 12 + "-and-more"  # a UUID and then some: 45 characters


@pytest.fixture
def http(api: Services) -> FlaskClient:
    return app_for(api).test_client()


@pytest.fixture
def auth(api: Services) -> dict[str, str]:
    return token(api, "portal", *SCOPES)


def _history(api: Services, instance_id: str) -> list[tuple[str, str]]:
    return [(e["action"], e["outcome"]) for e in instances.history(api, instance_id)]


WRITES_ON_AN_ID = [
    ("/api/v1/tasks/{id}/claim", None),
    ("/api/v1/tasks/{id}/unclaim", None),
    ("/api/v1/tasks/{id}/complete", {"variables": {"decision": "approve"}}),
    ("/api/v1/process-instances/{id}/suspend", {"reason": "probe"}),
    ("/api/v1/process-instances/{id}/resume", {"reason": "probe"}),
    ("/api/v1/process-instances/{id}/cancel", {"reason": "probe"}),
    ("/api/v1/process-instances/{id}/retry", None),
]


@pytest.mark.parametrize(("path", "body"), WRITES_ON_AN_ID, ids=lambda p: str(p).split("/")[-1])
@pytest.mark.parametrize("bad_id", [LONG_ID, "x" * 300, "not-an-id"])
def test_an_id_out_of_its_format_is_404_before_any_store_access(
    api: Services, http: FlaskClient, auth: dict[str, str], path: str, body: Any, bad_id: str
) -> None:
    answer = http.post(path.format(id=bad_id), json=body, headers=auth)

    assert answer.status_code == 404, answer.get_data(as_text=True)
    assert problem(answer)["type"].endswith("not-found")


def test_a_message_naming_an_overlong_instance_id_is_422_naming_the_field(
    api: Services, http: FlaskClient, auth: dict[str, str]
) -> None:
    answer = http.post(
        "/api/v1/messages",
        json={"messageName": "information_received", "processInstanceId": LONG_ID},
        headers=auth,
    )

    assert answer.status_code == 422, answer.get_data(as_text=True)
    assert {e["field"] for e in problem(answer)["errors"]} == {"processInstanceId"}


REFUSED_ON_A_LONG_ID = [
    ("claim", lambda s, i: tasks.claim(s, i, INTEGRATOR)),
    ("unclaim", lambda s, i: tasks.unclaim(s, i, INTEGRATOR)),
    ("complete", lambda s, i: tasks.complete(s, i, {}, INTEGRATOR)),
    ("suspend", lambda s, i: lifecycle.suspend(s, i, INTEGRATOR, "probe")),
    ("resume", lambda s, i: lifecycle.resume(s, i, INTEGRATOR, "probe")),
    ("cancel", lambda s, i: lifecycle.cancel(s, i, INTEGRATOR, "probe")),
    ("retry", lambda s, i: lifecycle.retry(s, i, INTEGRATOR)),
]


@pytest.mark.parametrize(("action", "act"), REFUSED_ON_A_LONG_ID, ids=[a for a, _ in REFUSED_ON_A_LONG_ID])
def test_a_refusal_naming_an_overlong_id_is_still_audited(api: Services, action: str, act: Any) -> None:
    with pytest.raises(NotFound):
        act(api, "y" * 300)

    with api.db.unit_of_work(readonly=True) as uow:
        refused = uow.conn.execute(select(audit_log).where(audit_log.c.action == action)).mappings().all()
    assert [r["outcome"] for r in refused] == ["refused"]
    kept = refused[0]["instance_id"] or refused[0]["task_id"]
    assert kept is not None and kept.startswith("yyyy") and kept.endswith("…") and len(kept) <= 36


NUL = "A-\x001"


@pytest.mark.parametrize(
    "query",
    [
        "/api/v1/process-instances?businessKey=A-%001",
        "/api/v1/process-instances?processDefinitionKey=smoke%00",
        "/api/v1/process-instances?variables=application_number_eq_A%00",
        "/api/v1/tasks?assignee=rita%00",
        "/api/v1/tasks?businessKey=%00",
    ],
)
def test_a_nul_byte_in_a_query_parameter_is_422_naming_it(
    api: Services, http: FlaskClient, auth: dict[str, str], query: str
) -> None:
    answer = http.get(query, headers=auth)

    assert answer.status_code == 422, answer.get_data(as_text=True)
    name = query.split("?")[1].split("=")[0]
    assert [e["field"] for e in problem(answer)["errors"]] == [name]


START = "/api/v1/process-definitions/smoke/start"
SMOKE = {"application_number": "A-1", "received_on": "2026-01-05"}


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        (START, {"businessKey": NUL, "variables": SMOKE}, "businessKey"),
        (
            START,
            {"businessKey": "A-1", "variables": {**SMOKE, "application_number": NUL}},
            "variables.application_number",
        ),
        (START, {"variables": {**SMOKE, "note": {"lines": ["ok", "bell\x07"]}}}, "variables.note.lines.1"),
        ("/api/v1/messages", {"messageName": "information\x00received"}, "messageName"),
        ("/api/v1/messages", {"messageName": "m", "businessKey": NUL}, "businessKey"),
        ("/api/v1/messages", {"messageName": "m", "correlationKeys": {"n": NUL}}, "correlationKeys.n"),
        ("/api/v1/messages", {"messageName": "m", "variables": {"memo": NUL}}, "variables.memo"),
    ],
)
def test_a_control_character_anywhere_in_a_body_is_422_naming_the_field_and_starts_nothing(
    api: Services, http: FlaskClient, auth: dict[str, str], url: str, body: Any, field: str
) -> None:
    answer = http.post(url, json=body, headers=auth)

    assert answer.status_code == 422, answer.get_data(as_text=True)
    assert [e["field"] for e in problem(answer)["errors"]] == [field]
    listed = http.get("/api/v1/process-instances", headers=auth).get_json()
    assert listed["items"] == []


def test_tabs_and_new_lines_in_text_are_still_accepted(
    api: Services, http: FlaskClient, auth: dict[str, str]
) -> None:
    instance = start_smoke(api)

    answer = http.post(
        f"/api/v1/process-instances/{instance}/suspend", json={"reason": "line 1\n\tline 2"}, headers=auth
    )

    assert answer.status_code == 200, answer.get_data(as_text=True)


def _nested(depth: int) -> str:
    return "[" * depth + "]" * depth


@pytest.mark.parametrize("depth", [65, 5_000, 100_000])
def test_json_nested_past_64_levels_is_422_and_starts_nothing(
    api: Services, http: FlaskClient, auth: dict[str, str], depth: int
) -> None:
    variables = (
        '{"application_number": "A-1", "received_on": "2026-01-05", "deep": ' + _nested(depth - 2) + "}"
    )
    answer = http.post(
        START,
        data='{"businessKey": "A-1", "variables": ' + variables + "}",
        headers={**auth, "Content-Type": "application/json"},
    )

    assert answer.status_code == 422, answer.get_data(as_text=True)[:300]
    assert problem(answer)["errors"][0]["message"].startswith("nested deeper than 64")
    assert http.get("/api/v1/process-instances", headers=auth).get_json()["items"] == []


def test_a_bare_array_100000_deep_is_422_not_a_server_error(
    api: Services, http: FlaskClient, auth: dict[str, str]
) -> None:
    answer = http.post(
        "/api/v1/messages", data=_nested(100_000), headers={**auth, "Content-Type": "application/json"}
    )

    assert answer.status_code == 422
    assert problem(answer)["errors"][0]["field"] == "(body)"


def test_json_64_levels_deep_is_accepted(api: Services, http: FlaskClient, auth: dict[str, str]) -> None:
    task = open_task(api, start_smoke(api))
    deep: Any = "bottom"
    for _ in range(61):  # the body, variables and "note" make 64 levels with these 61 lists
        deep = [deep]

    answer = http.post(
        f"/api/v1/tasks/{task['id']}/complete",
        json={"variables": {"decision": "approve", "note": deep}},
        headers=auth,
    )

    assert answer.status_code in (200, 422), answer.get_data(as_text=True)
    assert "nested deeper" not in answer.get_data(as_text=True)


def test_malformed_json_is_400_problem_json(api: Services, http: FlaskClient, auth: dict[str, str]) -> None:
    answer = http.post(START, data='{"businessKey": ', headers={**auth, "Content-Type": "application/json"})

    assert answer.status_code == 400
    assert problem(answer)["type"].endswith("bad-request")


def test_a_body_past_the_size_limit_is_413_problem_json(
    api: Services, http: FlaskClient, auth: dict[str, str]
) -> None:
    padding = "x" * limits.MAX_BODY_BYTES
    answer = http.post(
        START, json={"businessKey": "A-1", "variables": {**SMOKE, "pad": padding}}, headers=auth
    )

    assert answer.status_code == 413
    assert problem(answer)["type"].endswith("payload-too-large")


def test_a_nul_byte_in_the_bearer_token_is_401_not_a_server_error(api: Services, http: FlaskClient) -> None:
    answer = http.get("/api/v1/tasks", headers={"Authorization": "Bearer rcp_ab\x00cd_secret"})

    assert answer.status_code == 401
    assert problem(answer)["detail"] == "malformed token"
