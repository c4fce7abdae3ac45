"""An event-based gateway waits for each of its events: messages are routed to it, timers fire."""

from __future__ import annotations

import pytest

from service.actions import messages, starting, timers
from service.actions.deployment import deploy, read_directory
from service.clock import MovableClock
from service.errors import InvalidData
from service.services import Services
from service.views import instances
from tests.support import FIXTURES, INTEGRATOR

START_VARS = {"notice_number": "N-7", "audit_number": "AU-7", "issued_on": "2026-01-05"}


@pytest.fixture
def waiting(services: Services) -> tuple[Services, str]:
    deploy(services, read_directory(FIXTURES / "event_gateway"), INTEGRATOR)
    outcome = starting.start(services, "answer_or_lapse", START_VARS, INTEGRATOR, business_key="N-7")
    messages.deliver(
        services, "formal_investigation_commenced", INTEGRATOR, correlation_keys={"audit_number": "AU-7"}
    )
    return services, outcome.instance_id


def test_the_gateway_lists_its_message_and_its_timer_with_the_catch_events_names(
    waiting: tuple[Services, str],
) -> None:
    services, instance_id = waiting

    view = instances.instance(services, instance_id)

    assert view["waitingMessages"] == [
        {"messageName": "appeal_received", "correlation": {"notice_number": "N-7"}, "element": "appeal"}
    ]
    assert [(d["element"], d["due"], d["citation"]) for d in view["deadlines"]] == [
        ("lapse", "2026-02-04T23:59:59+00:00", "§163.13(d): 30 days after issuance")
    ]


def test_a_message_for_the_gateway_is_delivered_after_another_correlation_was_used(
    waiting: tuple[Services, str],
) -> None:
    services, instance_id = waiting

    done = messages.deliver(
        services,
        "appeal_received",
        INTEGRATOR,
        correlation_keys={"notice_number": "N-7"},
        variables={"received_on": "2026-01-20"},
    )

    assert done.status == "completed"
    variables = instances.instance(services, instance_id)["variables"]
    assert variables["appeal"] == {"received_on": "2026-01-20", "notice_number": "N-7"}


def test_the_gateway_timer_fires_on_the_moved_clock(
    waiting: tuple[Services, str], clock: MovableClock
) -> None:
    services, instance_id = waiting
    clock.advance(days=30)
    assert timers.fire_due(services) == 0

    clock.advance(days=1)

    assert timers.fire_due(services) == 1
    assert instances.instance(services, instance_id)["status"] == "completed"


def test_a_message_without_its_correlation_value_is_refused_as_invalid(
    waiting: tuple[Services, str],
) -> None:
    services, instance_id = waiting

    with pytest.raises(InvalidData) as refused:
        messages.deliver(services, "appeal_received", INTEGRATOR, instance_id=instance_id)

    assert [e.field for e in refused.value.errors] == ["correlationKeys.notice_number"]
    assert instances.instance(services, instance_id)["status"] == "waiting"
