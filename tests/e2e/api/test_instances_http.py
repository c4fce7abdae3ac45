"""Instances over HTTP: search with filters and cursor pages, detail, history, suspend/resume/cancel."""

from __future__ import annotations

from typing import Any

from flask import Flask

from service.actions import starting
from service.clock import MovableClock
from service.services import Services
from tests.apikit import problem, start_smoke, token
from tests.support import INTEGRATOR, Switchboard


def _page(app: Flask, auth: dict[str, str], query: str) -> dict[str, Any]:
    answer = app.test_client().get(f"/api/v1/process-instances?{query}", headers=auth)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    page: dict[str, Any] = answer.get_json()
    return page


def _start(services: Services, number: str, priority: int | None = None) -> str:
    variables: dict[str, Any] = {"case_number": number}
    if priority is not None:
        variables["priority"] = priority
    return starting.start(services, "api_waiting", variables, INTEGRATOR, business_key=number).instance_id


def test_pages_follow_the_cursor_and_stay_stable_while_cases_start(
    api: Services, app: Flask, clock: MovableClock
) -> None:
    auth = token(api, "portal", "read")
    ids = []
    for n in range(5):
        ids.append(_start(api, f"C-{n}"))
        clock.advance(seconds=1)

    first = _page(app, auth, "maxResults=2")
    _start(api, "C-new")  # a case starting meanwhile appears at the end, shifting nothing
    second = _page(app, auth, f"maxResults=2&cursor={first['next']}")
    third = _page(app, auth, f"maxResults=2&cursor={second['next']}")

    assert [i["id"] for i in first["items"] + second["items"]] == ids[:4]
    assert [i["id"] for i in third["items"]] == [ids[4], third["items"][1]["id"]]
    assert third["items"][1]["businessKey"] == "C-new"
    newest = _page(app, auth, "maxResults=1&sortOrder=desc")
    assert newest["items"][0]["businessKey"] == "C-new"


def test_instances_are_filtered_by_status_incident_dates_and_variables(
    api: Services, app: Flask, clock: MovableClock, board: Switchboard
) -> None:
    auth = token(api, "portal", "read")
    early = _start(api, "C-1", priority=1)
    clock.advance(days=1)
    late = _start(api, "C-2", priority=2)
    board.failures_left = 1
    failed = starting.start(api, "api_flaky", {}, INTEGRATOR, business_key="F-1").instance_id

    def ids(query: str) -> set[str]:
        return {i["id"] for i in _page(app, auth, query)["items"]}

    assert ids("withIncident=true") == {failed}
    assert ids("withIncident=false&processDefinitionKey=api_waiting") == {early, late}
    assert ids("status=error") == {failed}
    assert ids("status=waiting&status=error") == {early, late, failed}
    assert ids("startedBefore=2026-01-06T00:00:00Z") == {early}
    assert ids("startedAfter=2026-01-06T00:00:00%2B00:00") == {late, failed}
    assert ids("variables=priority_eq_2") == {late}
    assert ids('variables=case_number_eq_"C-1"') == {early}
    assert ids("variables=case_number_eq_C-1&variables=priority_eq_1") == {early}
    assert ids("variables=priority_eq_3") == set()
    assert ids("businessKey=C-2") == {late}


def test_a_bad_filter_is_a_422_naming_the_parameter(api: Services, app: Flask) -> None:
    auth = token(api, "portal", "read")
    client = app.test_client()

    naive = client.get("/api/v1/process-instances?startedAfter=2026-01-05T09:00:00", headers=auth)
    cursor = client.get("/api/v1/process-instances?cursor=nonsense", headers=auth)
    unknown = client.get("/api/v1/process-instances?busnessKey=C-1", headers=auth)
    nested = client.get('/api/v1/process-instances?variables=a_eq_{"b":1}', headers=auth)

    assert [e["field"] for e in problem(naive)["errors"]] == ["startedAfter"]
    assert [e["field"] for e in problem(cursor)["errors"]] == ["cursor"]
    assert problem(unknown)["errors"] == [{"field": "busnessKey", "message": "unknown query parameter"}]
    assert [e["field"] for e in problem(nested)["errors"]] == ["variables"]


def test_an_instance_is_read_with_its_tasks_deadlines_and_history(api: Services, app: Flask) -> None:
    auth = token(api, "portal", "read")
    instance = start_smoke(api)
    client = app.test_client()

    view = client.get(f"/api/v1/process-instances/{instance}", headers=auth).get_json()
    history = client.get(f"/api/v1/process-instances/{instance}/history", headers=auth).get_json()["items"]

    assert view["status"] == "waiting"
    assert view["deadlines"] == [
        {
            "kind": "task",
            "element": "review",
            "title": "Review",
            "due": "2026-01-20T23:59:59+00:00",
            "citation": "§163.11(b)",
        }
    ]
    assert [(h["action"], h["actor"], h["outcome"]) for h in history] == [("start", "portal", "ok")]
    missing = client.get("/api/v1/process-instances/no-such-id", headers=auth)
    assert missing.status_code == 404


def test_suspend_resume_and_cancel_are_recorded_with_their_reason(api: Services, app: Flask) -> None:
    auth = token(api, "portal", "start", "read")
    client = app.test_client()
    instance = _start(api, "C-1")
    base = f"/api/v1/process-instances/{instance}"

    suspended = client.post(f"{base}/suspend", json={"reason": "counsel asked for time"}, headers=auth)
    twice = client.post(f"{base}/suspend", json={"reason": "again"}, headers=auth)
    resumed = client.post(f"{base}/resume", json={"reason": "counsel answered"}, headers=auth)
    blank = client.post(f"{base}/cancel", json={"reason": "   "}, headers=auth)
    cancelled = client.post(f"{base}/cancel", json={"reason": "application withdrawn"}, headers=auth)

    assert suspended.get_json()["suspended"] is True
    assert twice.status_code == 409
    assert resumed.get_json()["suspended"] is False
    assert blank.status_code == 422
    assert cancelled.get_json()["status"] == "cancelled"
    history = client.get(f"{base}/history", headers=auth).get_json()["items"]
    assert [(h["action"], h["outcome"], (h["data"] or {}).get("reason")) for h in history] == [
        ("start", "ok", None),
        ("suspend", "ok", "counsel asked for time"),
        ("suspend", "refused", "again"),
        ("resume", "ok", "counsel answered"),
        ("cancel", "ok", "application withdrawn"),
    ]
