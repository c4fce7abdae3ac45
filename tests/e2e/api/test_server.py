"""Against a real server (waitress, 8 threads): twins with one Idempotency-Key start one case."""

from __future__ import annotations

import json
import threading
import urllib.request
from pathlib import Path
from typing import Any

from service.clock import MovableClock
from service.store.rows import InstanceQuery
from tests.apikit import api_services, app_for, deploy_all, serving, token
from tests.support import Switchboard

TWINS = 8


def _post(url: str, body: dict[str, Any], headers: dict[str, str]) -> tuple[int, dict[str, str], Any]:
    request = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        method="POST",
        headers={**headers, "Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=60) as response:
        return response.status, dict(response.headers.items()), json.loads(response.read())


def test_twin_requests_at_the_same_moment_start_one_instance(
    db_url: str, tmp_path: Path, clock: MovableClock, board: Switchboard
) -> None:
    services = api_services(db_url, tmp_path, clock, board)
    try:
        deploy_all(services)
        headers = {**token(services, "portal", "start"), "Idempotency-Key": "portal-order-77"}
        body = {"businessKey": "C-77", "variables": {"case_number": "C-77"}}
        gate = threading.Barrier(TWINS)
        answers: list[tuple[int, dict[str, str], Any]] = []

        with serving(app_for(services)) as base:
            url = f"{base}/api/v1/process-definitions/api_waiting/start"

            def twin() -> None:
                gate.wait()
                answers.append(_post(url, body, headers))

            threads = [threading.Thread(target=twin) for _ in range(TWINS)]
            for t in threads:
                t.start()
            for t in threads:
                t.join(timeout=120)

        with services.db.unit_of_work(readonly=True) as uow:
            started = uow.search.instances(InstanceQuery(limit=100))
    finally:
        services.close()

    assert len(answers) == TWINS
    assert {status for status, _, _ in answers} == {201}
    assert len({body["id"] for _, _, body in answers}) == 1
    assert sorted(h["Idempotent-Replayed"] for _, h, _ in answers) == ["false"] + ["true"] * (TWINS - 1)
    assert [i["business_key"] for i in started] == ["C-77"]
