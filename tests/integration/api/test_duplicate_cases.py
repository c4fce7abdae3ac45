"""One open case per process and business key (issue 18: a retried start made a second case)."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from flask.testing import FlaskClient

from service.actions import lifecycle, starting
from service.errors import Conflict, Duplicate
from service.services import Services
from service.store import UnitOfWork
from service.store.rows import InstanceQuery
from tests.apikit import SMOKE_VARS, app_for, problem, token
from tests.support import INTEGRATOR

START = "/api/v1/process-definitions/smoke/start"
BODY = {"businessKey": "APP-1", "variables": SMOKE_VARS}


@pytest.fixture
def http(api: Services) -> FlaskClient:
    return app_for(api).test_client()


def _cases(api: Services) -> list[dict[str, Any]]:
    with api.db.unit_of_work(readonly=True) as uow:
        return [dict(r) for r in uow.search.instances(InstanceQuery(limit=500))]


def test_a_second_start_with_the_same_key_is_409_naming_the_open_case(
    api: Services, http: FlaskClient
) -> None:
    auth = token(api, "portal", "start")
    first = http.post(START, json=BODY, headers=auth)

    again = http.post(START, json=BODY, headers=auth)

    assert first.status_code == 201
    assert again.status_code == 409
    body = problem(again)
    assert body["instanceId"] == first.get_json()["id"]
    assert first.get_json()["id"] in body["detail"]
    assert len(_cases(api)) == 1


def test_a_retry_with_the_same_idempotency_key_still_answers_the_original_case(
    api: Services, http: FlaskClient
) -> None:
    auth = {**token(api, "portal", "start"), "Idempotency-Key": "k-1"}
    first = http.post(START, json=BODY, headers=auth)

    again = http.post(START, json=BODY, headers=auth)

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json()["id"] == first.get_json()["id"]


def test_the_same_key_in_another_process_or_after_the_case_closed_starts_a_case(
    api: Services, http: FlaskClient
) -> None:
    auth = token(api, "portal", "start")
    first = http.post(START, json=BODY, headers=auth).get_json()["id"]
    other = http.post(
        "/api/v1/process-definitions/api_waiting/start",
        json={"businessKey": "APP-1", "variables": {"case_number": "APP-1"}},
        headers=auth,
    )
    lifecycle.cancel(api, first, INTEGRATOR, "entered twice by mistake")

    reused = http.post(START, json=BODY, headers=auth)

    assert other.status_code == 201
    assert reused.status_code == 201, reused.get_data(as_text=True)
    assert reused.get_json()["id"] != first


def test_the_database_refuses_a_second_open_case_with_the_key(api: Services) -> None:
    first = starting.start(api, "smoke", SMOKE_VARS, INTEGRATOR, business_key="APP-1").instance_id
    with api.db.unit_of_work(readonly=True) as uow:
        row = uow.instances.get(first)
    assert row is not None

    twin = {**row.__dict__, "id": "00000000-0000-4000-8000-000000000001"}

    def insert_twin(uow: UnitOfWork) -> None:
        uow.instances.insert(**twin)
        uow.commit()  # on PostgreSQL the insert reaches the server with the commit (service.store.pending)

    with pytest.raises(Duplicate):
        api.db.run(insert_twin)


def test_concurrent_starts_with_the_same_key_make_one_case(api: Services) -> None:
    gate = threading.Barrier(6)
    outcomes: list[str] = []

    def start() -> None:
        gate.wait()
        try:
            starting.start_once(api, "smoke", SMOKE_VARS, INTEGRATOR, business_key="APP-1")
            outcomes.append("started")
        except Conflict as exc:
            outcomes.append("conflict" if exc.extra.get("instanceId") else str(exc))

    threads = [threading.Thread(target=start) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)

    assert sorted(outcomes) == ["conflict"] * 5 + ["started"]
    assert len(_cases(api)) == 1
