"""Tasks over HTTP: filters, and claim/unclaim/complete with the inbox's conflicts."""

from __future__ import annotations

from flask import Flask

from service.actions import starting, tasks
from service.clock import MovableClock
from service.services import Services
from tests.apikit import SMOKE_VARS, open_task, problem, start_smoke, token
from tests.support import INTEGRATOR, REVIEWER


def test_tasks_are_filtered_by_group_assignment_and_due_time(
    api: Services, app: Flask, clock: MovableClock
) -> None:
    auth = token(api, "portal", "read")
    client = app.test_client()
    first = open_task(api, start_smoke(api, "A-1"))
    clock.advance(days=10)
    later = {**SMOKE_VARS, "application_number": "A-2", "received_on": "2026-01-15"}
    second = open_task(api, starting.start(api, "smoke", later, INTEGRATOR, business_key="A-2").instance_id)
    tasks.claim(api, first["id"], REVIEWER)

    def ids(query: str) -> list[str]:
        answer = client.get(f"/api/v1/tasks?{query}", headers=auth)
        assert answer.status_code == 200, answer.get_data(as_text=True)
        return [t["id"] for t in answer.get_json()["items"]]

    assert ids("candidateGroup=reviewers") == [first["id"], second["id"]]
    assert ids("candidateGroup=field_auditors") == []
    assert ids("unassigned=true") == [second["id"]]
    assert ids("assignee=rita") == [first["id"]]
    assert ids("businessKey=A-2") == [second["id"]]
    assert ids("dueBefore=2026-01-21T00:00:00Z") == [first["id"]]
    assert ids("overdue=true") == []
    clock.advance(days=6)  # 21 January: the first deadline (20 January) has passed
    assert ids("overdue=true") == [first["id"]]
    page = client.get("/api/v1/tasks?maxResults=1", headers=auth).get_json()
    assert [t["id"] for t in page["items"]] == [first["id"]]
    assert ids(f"maxResults=1&cursor={page['next']}") == [second["id"]]
    last = client.get(f"/api/v1/tasks?maxResults=1&cursor={page['next']}", headers=auth).get_json()
    assert last["next"] is None


def test_a_task_is_read_with_its_form_schema(api: Services, app: Flask) -> None:
    task = open_task(api, start_smoke(api))

    answer = app.test_client().get(f"/api/v1/tasks/{task['id']}", headers=token(api, "portal", "read"))

    assert answer.status_code == 200
    assert answer.get_json()["formSchema"]["required"] == ["decision"]


def test_claim_unclaim_and_complete_follow_the_inbox_rules(api: Services, app: Flask) -> None:
    auth = token(api, "mailroom", "tasks")
    client = app.test_client()
    task = open_task(api, start_smoke(api))
    url = f"/api/v1/tasks/{task['id']}"
    tasks.claim(api, task["id"], REVIEWER)

    taken = client.post(f"{url}/claim", headers=auth)
    assert taken.status_code == 409
    assert problem(taken)["detail"] == f"task {task['id']} is already claimed by rita"
    assert (
        client.post(f"{url}/complete", json={"variables": {"decision": "ok"}}, headers=auth).status_code
        == 409
    )

    tasks.unclaim(api, task["id"], REVIEWER)
    claimed = client.post(f"{url}/claim", headers=auth)
    assert claimed.get_json()["assignee"] == "mailroom"
    invalid = client.post(f"{url}/complete", json={"variables": {"decision": "maybe"}}, headers=auth)
    assert invalid.status_code == 422
    assert [e["field"] for e in problem(invalid)["errors"]] == ["decision"]
    stale = client.post(f"{url}/complete", json={"variables": {"decision": "ok"}, "version": 9}, headers=auth)
    assert stale.status_code == 409

    done = client.post(f"{url}/complete", json={"variables": {"decision": "ok"}, "version": 1}, headers=auth)
    assert done.status_code == 200
    assert done.get_json()["activeTasks"] == []
    again = client.post(f"{url}/complete", json={"variables": {"decision": "ok"}}, headers=auth)
    assert again.status_code == 409
    assert "already completed by mailroom" in problem(again)["detail"]
