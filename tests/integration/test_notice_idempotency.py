"""A notice is written with the step that issues it: a failed step leaves none, a retry issues one."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from handlers.catalog import operations
from handlers.ports import Ports
from handlers.registry import CallContext, Operation, Registry
from service.actions import retries
from service.clock import MovableClock
from service.services import Services
from tests.integration.test_scenarios_applications import application
from tests.program_support import Case, outbox, program_services


class FailOnce:
    """Runs the real handler, then fails the first time (as a crash after writing would)."""

    def __init__(self, handler: Any, state: dict[str, int]) -> None:
        self.handler = handler
        self.state = state

    def __call__(self, params: Any, call: CallContext) -> dict[str, Any]:
        result = self.handler(params, call)
        if self.state["failures"] > 0:
            self.state["failures"] -= 1
            raise RuntimeError("mail relay timed out after the notice was written")
        return dict(result)


@pytest.fixture
def services(db_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[Services]:
    built = program_services(db_url, tmp_path, clock)
    state = {"failures": 1}
    wrapped: list[Operation[Any, Ports]] = []
    for op in operations():
        if op.name == "refuse_ineligible_applicant":
            real = op.build
            op = dataclasses.replace(op, build=lambda ports, real=real: FailOnce(real(ports), state))
        wrapped.append(op)
    built.registry = Registry.of(wrapped)
    yield built
    built.close()


def test_a_failed_notice_step_leaves_no_notice_and_its_retry_issues_exactly_one(
    services: Services, clock: MovableClock
) -> None:
    case = Case.start(services, clock, "application_review", application("A-2026-095", "other"), "A-2026-095")
    view = case.view()
    # A failed service task is tried again by the background runner before it becomes an incident.
    assert view["hasIncident"] is False and view["nextRetry"] is not None
    assert "mail relay timed out" in view["serviceCalls"][0]["error"]
    assert case.notices() == [] and outbox(services) == []

    clock.advance(seconds=30)
    assert retries.retry_due(services) == 1

    assert case.status == "completed"
    assert case.notice_kinds() == ["ineligible_applicant"]
    assert case.notice("ineligible_applicant")["noticeNumber"] == "RCP-INEL-2026-00001"  # no gap either
    assert len(outbox(services)) == 1
