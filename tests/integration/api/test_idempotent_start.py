"""An Idempotency-Key makes a start happen once: repeats and twins get the first answer."""

from __future__ import annotations

import threading
from collections import Counter
from datetime import timedelta

import pytest

from service.actions import starting
from service.clock import MovableClock
from service.errors import InvalidData, NotFound
from service.identity.actors import Actor
from service.services import Services
from service.store.rows import InstanceQuery

PORTAL = Actor("integrator", "portal", scopes=frozenset({"start"}))
SCANNER = Actor("integrator", "scanner", scopes=frozenset({"start"}))
VARS = {"case_number": "C-1"}


def _instances(services: Services) -> int:
    with services.db.unit_of_work(readonly=True) as uow:
        return len(uow.search.instances(InstanceQuery(limit=500)))


def test_a_repeat_with_the_same_key_returns_the_first_answer_and_starts_nothing(api: Services) -> None:
    first = starting.start_once(api, "api_waiting", VARS, PORTAL, business_key="C-1", idempotency_key="k-1")
    again = starting.start_once(api, "api_waiting", VARS, PORTAL, business_key="C-1", idempotency_key="k-1")

    assert (first.status, first.replayed) == (201, False)
    assert (again.status, again.replayed) == (201, True)
    assert again.body == first.body
    assert _instances(api) == 1


def test_the_same_key_with_another_body_is_refused_and_starts_nothing(api: Services) -> None:
    starting.start_once(api, "api_waiting", VARS, PORTAL, business_key="C-1", idempotency_key="k-1")

    with pytest.raises(InvalidData) as refused:
        starting.start_once(
            api, "api_waiting", {"case_number": "C-2"}, PORTAL, business_key="C-1", idempotency_key="k-1"
        )

    assert refused.value.status == 422
    assert [e.field for e in refused.value.errors] == ["Idempotency-Key"]
    assert _instances(api) == 1


def test_keys_are_scoped_per_token(api: Services) -> None:
    mine = starting.start_once(api, "api_waiting", VARS, PORTAL, idempotency_key="k-1")
    theirs = starting.start_once(api, "api_waiting", VARS, SCANNER, idempotency_key="k-1")

    assert mine.body["id"] != theirs.body["id"]
    assert not theirs.replayed


def test_a_key_is_forgotten_after_its_time_to_live(api: Services, clock: MovableClock) -> None:
    first = starting.start_once(api, "api_waiting", VARS, PORTAL, idempotency_key="k-1")
    clock.advance(api.settings.api.idempotency_ttl + timedelta(seconds=1))

    later = starting.start_once(api, "api_waiting", VARS, PORTAL, idempotency_key="k-1")

    assert not later.replayed
    assert later.body["id"] != first.body["id"]


def test_a_refused_start_keeps_no_key_so_the_corrected_request_may_reuse_it(api: Services) -> None:
    with pytest.raises(InvalidData):
        starting.start_once(api, "api_waiting", {}, PORTAL, idempotency_key="k-1")
    with pytest.raises(NotFound):
        starting.start_once(api, "no_such_process", VARS, PORTAL, idempotency_key="k-2")

    fixed = starting.start_once(api, "api_waiting", VARS, PORTAL, idempotency_key="k-1")
    assert fixed.status == 201 and not fixed.replayed


def test_twins_sent_at_the_same_moment_start_one_instance(api: Services) -> None:
    answers = _race(api, twins=8)

    assert _instances(api) == 1
    assert len({a.body["id"] for a in answers}) == 1
    assert Counter(a.replayed for a in answers) == {True: 7, False: 1}


def _race(services: Services, twins: int) -> list[starting.Started]:
    gate = threading.Barrier(twins)
    answers: list[starting.Started] = []
    errors: list[BaseException] = []

    def one() -> None:
        gate.wait()
        try:
            answers.append(starting.start_once(services, "api_waiting", VARS, PORTAL, idempotency_key="twin"))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=one) for _ in range(twins)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    assert errors == []
    return answers
