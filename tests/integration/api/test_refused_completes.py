"""Refused completes are audited like refused messages, on the case they concern (issue 18: 10)."""

from __future__ import annotations

from service.services import Services
from service.views import instances
from tests.apikit import app_for, open_task, problem, start_smoke, token


def _history(api: Services, instance_id: str) -> list[tuple[str, str]]:
    return [(e["action"], e["outcome"]) for e in instances.history(api, instance_id)]


def test_completing_a_task_twice_is_409_and_the_refusal_is_in_the_case_history(api: Services) -> None:
    http, auth = app_for(api).test_client(), token(api, "portal", "tasks", "read")
    case = start_smoke(api)
    url = f"/api/v1/tasks/{open_task(api, case)['id']}/complete"
    assert http.post(url, json={"variables": {"decision": "ok"}}, headers=auth).status_code == 200

    again = http.post(url, json={"variables": {"decision": "more_information"}}, headers=auth)

    assert again.status_code == 409
    assert "already completed" in problem(again)["detail"]
    assert _history(api, case)[-2:] == [("complete", "ok"), ("complete", "refused")]


def test_a_complete_refused_by_the_form_is_in_the_case_history_and_changes_nothing(api: Services) -> None:
    http, auth = app_for(api).test_client(), token(api, "portal", "tasks", "read")
    case = start_smoke(api)
    task = open_task(api, case)

    refused = http.post(
        f"/api/v1/tasks/{task['id']}/complete", json={"variables": {"decision": "maybe"}}, headers=auth
    )

    assert refused.status_code == 422
    assert [e["field"] for e in problem(refused)["errors"]] == ["decision"]
    assert _history(api, case) == [("start", "ok"), ("complete", "refused")]
    assert instances.instance(api, case)["version"] == 1


def test_a_refused_claim_is_in_the_case_history_like_a_refused_complete(api: Services) -> None:
    http = app_for(api).test_client()
    case = start_smoke(api)
    url = f"/api/v1/tasks/{open_task(api, case)['id']}/claim"
    assert http.post(url, headers=token(api, "portal", "tasks")).status_code == 200

    taken = http.post(url, headers=token(api, "mailroom", "tasks"))

    assert taken.status_code == 409
    assert _history(api, case)[-2:] == [("claim", "ok"), ("claim", "refused")]
