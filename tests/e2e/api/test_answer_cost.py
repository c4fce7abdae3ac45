"""Start, message and complete answer from their write transaction: no second read rebuilds the view."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pytest
from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import Connection, Engine, event

from service.identity import tokens
from service.services import Services
from tests.apikit import token


@dataclass
class Tally:
    """The transactions and statements one request ran."""

    writes: int = 0
    reads: int = 0
    statements: list[str] = field(default_factory=list)

    def began(self, conn: Connection) -> None:
        if conn.get_execution_options().get("rcp_readonly"):
            self.reads += 1
        else:
            self.writes += 1

    def executed(self, _conn: Connection, _cursor: Any, statement: str, *_: Any) -> None:
        self.statements.append(statement)


@contextmanager
def tally(engine: Engine) -> Iterator[Tally]:
    seen = Tally()
    event.listen(engine, "begin", seen.began)
    event.listen(engine, "before_cursor_execute", seen.executed)
    try:
        yield seen
    finally:
        event.remove(engine, "begin", seen.began)
        event.remove(engine, "before_cursor_execute", seen.executed)


@pytest.fixture
def client(api: Services, app: Flask) -> FlaskClient:
    """A client whose token is checked already (its last use recorded, kept in the cache)."""
    tokens.checked(api.db).seconds = 600  # no re-read of the token on a slow machine
    c = app.test_client()
    c.environ_base["HTTP_AUTHORIZATION"] = token(api, "portal", "start", "message", "tasks", "read")[
        "Authorization"
    ]
    assert c.get("/api/v1/tasks").status_code == 200
    return c


def _same_as_read(client: FlaskClient, answer: dict[str, Any]) -> None:
    """The answer is the instance exactly as a later read gives it."""
    assert client.get(f"/api/v1/process-instances/{answer['id']}").get_json() == answer


def test_a_start_is_one_write_transaction_and_answers_the_instance(
    api: Services, client: FlaskClient
) -> None:
    with tally(api.db.engine) as seen:
        started = client.post(
            "/api/v1/process-definitions/api_waiting/start", json={"variables": {"case_number": "C-1"}}
        )

    assert started.status_code == 201
    assert (seen.writes, seen.reads) == (1, 0)
    _same_as_read(client, started.get_json())


def test_a_message_is_routed_then_delivered_in_one_write_that_answers_the_instance(
    api: Services, client: FlaskClient
) -> None:
    client.post("/api/v1/process-definitions/api_waiting/start", json={"variables": {"case_number": "C-1"}})

    with tally(api.db.engine) as seen:
        delivered = client.post(
            "/api/v1/messages",
            json={"messageName": "document_received", "correlationKeys": {"case_number": "C-1"}},
        )

    assert delivered.status_code == 200
    assert delivered.get_json()["activeTasks"][0]["name"] == "check"
    assert (seen.writes, seen.reads) == (1, 1)  # the routing read, then the delivery; nothing after
    _same_as_read(client, delivered.get_json())


def test_a_completion_is_one_write_transaction_and_answers_the_instance(
    api: Services, client: FlaskClient
) -> None:
    started = client.post(
        "/api/v1/process-definitions/api_waiting/start", json={"variables": {"case_number": "C-1"}}
    ).get_json()
    client.post(
        "/api/v1/messages",
        json={"messageName": "document_received", "correlationKeys": {"case_number": "C-1"}},
    )
    [task] = client.get(f"/api/v1/tasks?processInstanceId={started['id']}").get_json()["items"]

    with tally(api.db.engine) as seen:
        completed = client.post(
            f"/api/v1/tasks/{task['id']}/complete", json={"variables": {"complete": True}}
        )

    assert completed.status_code == 200, completed.get_json()
    assert (seen.writes, seen.reads) == (1, 0)
    assert seen.statements[-1].strip().upper() != "BEGIN"  # nothing opened after the commit
    _same_as_read(client, completed.get_json())


def test_a_refused_completion_still_answers_a_problem_and_changes_nothing(
    api: Services, client: FlaskClient
) -> None:
    missing = "00000000-0000-4000-8000-000000000000"

    refused = client.post(f"/api/v1/tasks/{missing}/complete", json={"variables": {"complete": True}})

    assert refused.status_code == 404
    assert refused.mimetype == "application/problem+json"


def test_a_case_is_read_in_one_transaction_without_loading_any_saved_state(
    api: Services, client: FlaskClient
) -> None:
    start = {"businessKey": "C-1", "variables": {"case_number": "C-1"}}
    client.post("/api/v1/process-definitions/api_waiting/start", json=start)
    document = {"messageName": "document_received", "correlationKeys": {"case_number": "C-1"}}
    client.post("/api/v1/messages", json=document)

    with tally(api.db.engine) as seen:
        case = client.get("/api/v1/cases/C-1")

    assert case.status_code == 200, case.get_json()
    assert [t["name"] for t in case.get_json()["openTasks"]] == ["check"]
    assert (seen.writes, seen.reads) == (0, 1)  # family, members, notices and appeals as of one moment
    assert not [s for s in seen.statements if "process_instances.state" in s]  # names from the specs


@pytest.mark.parametrize("verb", ["suspend", "resume", "cancel"])
def test_suspend_resume_and_cancel_are_one_write_transaction_that_answers_the_instance(
    api: Services, client: FlaskClient, verb: str
) -> None:
    started = client.post(
        "/api/v1/process-definitions/api_waiting/start", json={"variables": {"case_number": "C-1"}}
    ).get_json()
    actions = f"/api/v1/process-instances/{started['id']}"
    if verb == "resume":
        assert client.post(f"{actions}/suspend", json={"reason": "audit hold"}).status_code == 200

    with tally(api.db.engine) as seen:
        done = client.post(f"{actions}/{verb}", json={"reason": "asked by the port office"})

    assert done.status_code == 200, done.get_json()
    answer = done.get_json()
    assert answer["suspended"] is (verb == "suspend")
    assert answer["status"] == ("cancelled" if verb == "cancel" else "waiting")
    assert answer["version"] == started["version"] + (2 if verb == "resume" else 1)
    assert (seen.writes, seen.reads) == (1, 0)
    assert seen.statements[-1].strip().upper() != "BEGIN"  # nothing opened after the commit
    _same_as_read(client, answer)


def test_a_refused_suspension_answers_a_problem_and_changes_nothing(
    api: Services, client: FlaskClient
) -> None:
    started = client.post(
        "/api/v1/process-definitions/api_waiting/start", json={"variables": {"case_number": "C-1"}}
    ).get_json()
    actions = f"/api/v1/process-instances/{started['id']}"
    suspended = client.post(f"{actions}/suspend", json={"reason": "audit hold"}).get_json()

    again = client.post(f"{actions}/suspend", json={"reason": "audit hold"})

    assert again.status_code == 409
    assert again.mimetype == "application/problem+json"
    _same_as_read(client, suspended)
