"""Service tasks that call out are retried by the background runner with backoff; a notice the step
enqueues reaches the (real, loopback) SMTP server exactly once however often the step is tried."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from service import jobs
from service.actions import lifecycle, starting
from service.actions.deployment import deploy
from service.clock import MovableClock
from service.notify import SmtpSender
from service.services import Services
from service.store.adapters import message_id
from service.views import instances
from tests.mailbox import Mailbox, smtp_server
from tests.support import INTEGRATOR, SUPERVISOR, Switchboard, make_services, processes

VARIABLES = {"recipient": "records@importer.example"}


@pytest.fixture
def mailbox() -> Iterator[Mailbox]:
    with smtp_server() as box:
        yield box


@pytest.fixture
def mailing(
    db_url: str, tmp_path: Path, clock: MovableClock, board: Switchboard, mailbox: Mailbox
) -> Iterator[Services]:
    built = make_services(
        db_url,
        tmp_path,
        clock,
        board,
        senders={"email": SmtpSender(mailbox.host, mailbox.port, "rcp-notices@localhost")},
    )
    deploy(built, processes(), INTEGRATOR)
    yield built
    built.close()


def _attempts(services: Services, instance_id: str) -> list[tuple[int, str]]:
    return [(c["attempt"], c["outcome"]) for c in instances.instance(services, instance_id)["serviceCalls"]]


def _outbox(services: Services, instance_id: str) -> list[tuple[str, str]]:
    with services.db.unit_of_work(readonly=True) as uow:
        return [(m["key"], m["status"]) for m in uow.outbox.list(instance_id=instance_id)]


def test_a_handler_failing_twice_then_succeeding_completes_with_three_attempts_and_one_notice(
    mailing: Services, board: Switchboard, clock: MovableClock, mailbox: Mailbox
) -> None:
    board.failures_left = 2
    outcome = starting.start(mailing, "notice_retry", VARIABLES, INTEGRATOR, business_key="N-1")
    assert outcome.status == "waiting"
    assert jobs.sweep(mailing) == 0, "the retry is not due before its backoff"

    clock.advance(seconds=30)
    assert jobs.sweep(mailing) == 1  # the second try fails too
    assert (
        instances.instance(mailing, outcome.instance_id)["nextRetry"]
        == (clock.now() + timedelta(seconds=60)).isoformat()
    )
    clock.advance(seconds=60)
    jobs.sweep(mailing)  # the third try succeeds; the notice goes out in the same sweep

    view = instances.instance(mailing, outcome.instance_id)
    assert view["status"] == "completed"
    assert view["incidents"] == []
    assert _attempts(mailing, outcome.instance_id) == [(1, "failed"), (2, "failed"), (3, "ok")]
    assert mailbox.subjects() == ["Notice of violation"]
    # The message is keyed by the step (the same for every try of it), and so is its Message-ID.
    [(key, status)] = _outbox(mailing, outcome.instance_id)
    assert key.startswith(f"{outcome.instance_id}:") and status == "sent"
    assert mailbox.messages[0]["Message-ID"] == message_id(key, "rcp-notices@localhost")
    clock.advance(days=1)
    jobs.sweep(mailing)
    assert len(mailbox.messages) == 1, "no second notice, however long the runner goes on"


def test_a_handler_that_always_fails_ends_as_an_incident_and_its_retry_after_the_fix_completes(
    mailing: Services, board: Switchboard, clock: MovableClock, mailbox: Mailbox
) -> None:
    board.failures_left = 99
    outcome = starting.start(mailing, "notice_retry", VARIABLES, INTEGRATOR, business_key="N-2")
    for wait in (30, 60):
        clock.advance(seconds=wait)
        jobs.sweep(mailing)

    view = instances.instance(mailing, outcome.instance_id)
    assert view["status"] == "error"
    [incident] = view["incidents"]
    assert (incident["element"], incident["attempts"]) == ("notify", 3)
    assert mailbox.messages == [] and _outbox(mailing, outcome.instance_id) == []

    clock.advance(days=1)
    assert jobs.sweep(mailing) == 0, "an incident waits for a person, not for the runner"
    board.failures_left = 0
    assert lifecycle.retry(mailing, outcome.instance_id, SUPERVISOR).status == "completed"
    jobs.sweep(mailing)

    assert _attempts(mailing, outcome.instance_id) == [(1, "failed"), (2, "failed"), (3, "failed"), (4, "ok")]
    assert instances.instance(mailing, outcome.instance_id)["incidents"] == []
    assert mailbox.subjects() == ["Notice of violation"]
    [(key, status)] = _outbox(mailing, outcome.instance_id)
    assert status == "sent" and key.startswith(f"{outcome.instance_id}:")


def test_the_diagrams_retry_settings_override_the_operations_tries_and_backoff(
    services: Services, board: Switchboard, clock: MovableClock
) -> None:
    deploy(services, processes(), INTEGRATOR)
    board.failures_left = 99
    outcome = starting.start(services, "patient_lookup", {}, INTEGRATOR, business_key="P-1")

    waits = []
    for _ in range(4):
        due = instances.instance(services, outcome.instance_id)["nextRetry"]
        waits.append(round((datetime.fromisoformat(due) - clock.now()).total_seconds()))
        clock.set(datetime.fromisoformat(due))
        jobs.sweep(services)

    assert waits == [10, 20, 40, 80]
    view = instances.instance(services, outcome.instance_id)
    assert [i["attempts"] for i in view["incidents"]] == [5]
    assert len(board.calls) == 5
