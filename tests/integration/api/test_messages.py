"""Messages: one match delivers, none is 404 (or buffered on request), several is 409."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest

from service.actions import housekeeping, lifecycle, mailbox, starting, tasks
from service.clock import MovableClock
from service.errors import Conflict, InvalidData, NotFound
from service.identity.actors import Actor
from service.services import Services
from service.views import buffered_messages, instances
from tests.apikit import open_task
from tests.support import INTEGRATOR, REVIEWER

SCANNER = Actor("integrator", "scanner", scopes=frozenset({"message"}))
DOCUMENT = "document_received"


def _waiting(services: Services, number: str, business_key: str | None = None) -> str:
    started = starting.start(
        services, "api_waiting", {"case_number": number}, INTEGRATOR, business_key=business_key or number
    )
    return started.instance_id


def _status(services: Services, instance_id: str) -> dict:
    return instances.instance(services, instance_id)


def test_a_message_for_the_one_waiting_instance_moves_it_on(api: Services) -> None:
    target = _waiting(api, "C-1")
    _waiting(api, "C-2")

    sent = mailbox.send(
        api,
        DOCUMENT,
        SCANNER,
        business_key="C-1",
        correlation_keys={"case_number": "C-1"},
        variables={"pages": 3},
    )

    assert sent.delivered
    assert sent.body["id"] == target
    assert [t["name"] for t in sent.body["activeTasks"]] == ["check"]
    assert sent.body["variables"]["document"] == {"pages": 3, "case_number": "C-1"}


def test_a_message_routed_by_instance_id_still_carries_its_correlation_values(api: Services) -> None:
    target = _waiting(api, "C-1")

    with pytest.raises(InvalidData) as refused:
        mailbox.send(api, DOCUMENT, SCANNER, instance_id=target)
    sent = mailbox.send(api, DOCUMENT, SCANNER, instance_id=target, correlation_keys={"case_number": "C-1"})

    assert [e.field for e in refused.value.errors] == ["correlationKeys.case_number"]
    assert sent.body["waitingMessages"] == []


def test_a_message_nobody_waits_for_is_404_and_changes_nothing(api: Services) -> None:
    target = _waiting(api, "C-1")

    with pytest.raises(NotFound):
        mailbox.send(api, DOCUMENT, SCANNER, business_key="C-1", correlation_keys={"case_number": "C-9"})

    assert _status(api, target)["version"] == 1
    actions = [(e["action"], e["outcome"]) for e in instances.history(api, target)]
    assert actions == [("start", "ok")]


def test_a_message_several_instances_wait_for_is_409_listing_them(api: Services) -> None:
    # One open case per business key (issue 18): several waiting cases differ in their keys.
    first = _waiting(api, "C-1", business_key="B-1")
    second = _waiting(api, "C-2", business_key="B-2")

    with pytest.raises(Conflict) as refused:
        mailbox.send(api, DOCUMENT, SCANNER)

    assert sorted(refused.value.extra["candidates"]) == sorted([first, second])
    assert _status(api, first)["version"] == _status(api, second)["version"] == 1


def test_correlation_keys_pick_one_of_several_instances(api: Services) -> None:
    _waiting(api, "C-1", business_key="B-1")
    second = _waiting(api, "C-2", business_key="B-2")

    sent = mailbox.send(api, DOCUMENT, SCANNER, correlation_keys={"case_number": "C-2"})

    assert sent.body["id"] == second


def test_a_message_start_event_starts_a_new_instance(api: Services) -> None:
    sent = mailbox.send(api, "petition_filed", SCANNER, business_key="P-1", variables={"pages": 2})

    assert sent.delivered
    assert sent.body["processKey"] == "api_inbound"
    assert sent.body["businessKey"] == "P-1"
    assert sent.body["variables"]["petition"] == {"pages": 2}
    assert sent.body["startedBy"] == "integrator:scanner"


def test_a_buffered_message_is_taken_by_the_trigger_that_makes_the_instance_wait(api: Services) -> None:
    instance = starting.start(api, "api_twostep", {"case_number": "C-1"}, INTEGRATOR, business_key="C-1")
    kept = mailbox.send(
        api, DOCUMENT, SCANNER, correlation_keys={"case_number": "C-1"}, variables={"pages": 7}, buffer=True
    )
    assert not kept.delivered
    assert kept.body["status"] == "pending"

    after = tasks.complete(api, open_task(api, instance.instance_id)["id"], {}, REVIEWER)

    assert after.status == "completed"
    view = _status(api, instance.instance_id)
    assert view["variables"]["document"] == {"pages": 7, "case_number": "C-1"}
    followed = buffered_messages.get(api, SCANNER, kept.body["id"])
    assert (followed["status"], followed["deliveredTo"]) == ("delivered", instance.instance_id)
    history = [(e["action"], e["actor"], e["outcome"]) for e in instances.history(api, instance.instance_id)]
    assert history == [
        ("start", "portal", "ok"),
        ("complete", "rita", "ok"),
        ("message", "scanner", "ok"),
    ]


def test_a_buffered_message_is_taken_by_an_instance_that_waits_from_its_start(api: Services) -> None:
    kept = mailbox.send(api, DOCUMENT, SCANNER, correlation_keys={"case_number": "C-5"}, buffer=True)

    started = starting.start(api, "api_waiting", {"case_number": "C-5"}, INTEGRATOR, business_key="C-5")

    view = _status(api, started.instance_id)
    assert view["waitingMessages"] == []
    assert [t["name"] for t in view["activeTasks"]] == ["check"]
    assert buffered_messages.get(api, SCANNER, kept.body["id"])["deliveredTo"] == started.instance_id


def test_a_buffered_message_is_not_taken_by_an_instance_of_other_correlation_values(api: Services) -> None:
    kept = mailbox.send(api, DOCUMENT, SCANNER, correlation_keys={"case_number": "C-5"}, buffer=True)

    other = _waiting(api, "C-6")

    assert _status(api, other)["waitingMessages"][0]["messageName"] == DOCUMENT
    assert buffered_messages.get(api, SCANNER, kept.body["id"])["status"] == "pending"


def test_an_expired_buffered_message_is_never_delivered(api: Services, clock: MovableClock) -> None:
    kept = mailbox.send(api, DOCUMENT, SCANNER, business_key="C-1", buffer=True)
    clock.advance(api.settings.api.message_buffer_ttl + timedelta(seconds=1))

    instance = _waiting(api, "C-1")

    assert _status(api, instance)["waitingMessages"][0]["messageName"] == DOCUMENT
    assert buffered_messages.get(api, SCANNER, kept.body["id"])["status"] == "expired"
    assert housekeeping.run(api) == 1


def test_a_message_sent_with_buffer_to_a_waiting_instance_is_delivered_at_once(api: Services) -> None:
    target = _waiting(api, "C-1")

    sent = mailbox.send(
        api, DOCUMENT, SCANNER, business_key="C-1", correlation_keys={"case_number": "C-1"}, buffer=True
    )

    assert sent.delivered and sent.body["id"] == target


def test_a_buffered_message_must_say_whom_it_is_for(api: Services) -> None:
    with pytest.raises(InvalidData) as refused:
        mailbox.send(api, DOCUMENT, SCANNER, buffer=True)
    assert [e.field for e in refused.value.errors] == ["buffer"]


def test_a_buffered_message_is_only_shown_to_its_sender(api: Services) -> None:
    kept = mailbox.send(api, DOCUMENT, SCANNER, business_key="C-1", buffer=True)

    with pytest.raises(NotFound):
        buffered_messages.get(api, INTEGRATOR, kept.body["id"])


def test_a_message_racing_the_start_of_its_instance_is_never_lost(api: Services) -> None:
    """Buffering and subscribing serialise per message name: one of them always sees the other."""
    for round_ in range(10):
        instance = _race_start_and_message(api, f"R-{round_}")
        view = _status(api, instance)
        assert view["waitingMessages"] == [], f"round {round_}: the message was lost"
        assert [t["name"] for t in view["activeTasks"]] == ["check"]


def _race_start_and_message(api: Services, number: str) -> str:
    gate = threading.Barrier(2)
    started: list[str] = []

    def start() -> None:
        gate.wait()
        started.append(_waiting(api, number))

    def send() -> None:
        gate.wait()
        mailbox.send(api, DOCUMENT, SCANNER, correlation_keys={"case_number": number}, buffer=True)

    threads = [threading.Thread(target=start), threading.Thread(target=send)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return started[0]


def test_a_suspending_trigger_takes_no_buffered_message_and_resuming_does(
    api: Services, clock: MovableClock
) -> None:
    instance = _waiting(api, "C-1")
    with api.db.unit_of_work() as uow:  # as if it had been buffered just before the case waited
        uow.mailbox.add(
            id="m-1",
            message_name=DOCUMENT,
            business_key="C-1",
            instance_id=None,
            correlation_keys={"case_number": "C-1"},
            variables={},
            sender_kind="integrator",
            sender="scanner",
            status="pending",
            created_at=clock.now(),
            expires_at=clock.now() + timedelta(hours=1),
        )
        uow.commit()

    lifecycle.suspend(api, instance, INTEGRATOR, "counsel asked for time")
    assert buffered_messages.get(api, SCANNER, "m-1")["status"] == "pending"

    lifecycle.resume(api, instance, INTEGRATOR, "counsel answered")
    assert buffered_messages.get(api, SCANNER, "m-1")["deliveredTo"] == instance
    assert [t["name"] for t in _status(api, instance)["activeTasks"]] == ["check"]
