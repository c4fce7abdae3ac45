"""A state save that finds its instance at another version is refused, and its transaction with it.

On PostgreSQL the server checks the save itself (``rcp_expect_rows``, migration 0021), so the save
travels with the COMMIT instead of waiting for its row count: a refused save must still stop that
COMMIT, so nothing the transaction wrote before or after the save is kept.
"""

from __future__ import annotations

from datetime import timedelta

import pytest

from service.actions import starting
from service.actions.deployment import deploy
from service.errors import Conflict
from service.services import Services
from service.store.rows import TaskFilter
from tests.support import INTEGRATOR, processes, save_again


def _started(services: Services) -> str:
    deploy(services, processes(), INTEGRATOR)
    variables = {"application_number": "S-1", "received_on": "2025-12-10"}
    return starting.start(services, "smoke", variables, INTEGRATOR, business_key="S-1").instance_id


def _save(services: Services, instance_id: str, expected_version: int) -> None:
    with services.db.unit_of_work() as uow:
        row = uow.instances.get(instance_id, lock=True)
        assert row is not None
        now = services.clock.now() + timedelta(minutes=5)
        uow.audit.append(
            at=now, actor_kind="system", actor="test", action="before the save", outcome="completed"
        )
        save_again(uow, row, expected_version, variables={**row.variables, "touched": True}, updated_at=now)
        uow.tasks.remove_all(instance_id)  # a write after the save, in the same transaction
        uow.commit()


def test_a_save_of_a_stale_version_is_refused_and_keeps_nothing_of_its_transaction(
    services: Services,
) -> None:
    instance_id = _started(services)
    with services.db.unit_of_work(readonly=True) as uow:
        before = uow.instances.get(instance_id)
        tasks_before = uow.tasks.list(TaskFilter(instance_id=instance_id))
        entries = uow.audit.count()
    assert before is not None and tasks_before

    with pytest.raises(Conflict, match="changed meanwhile"):
        _save(services, instance_id, before.version + 7)

    with services.db.unit_of_work(readonly=True) as uow:
        after = uow.instances.get(instance_id)
        assert after == before
        assert uow.tasks.list(TaskFilter(instance_id=instance_id)) == tasks_before
        assert uow.audit.count() == entries


def test_a_save_of_the_current_version_commits(services: Services) -> None:
    instance_id = _started(services)
    with services.db.unit_of_work(readonly=True) as uow:
        before = uow.instances.get(instance_id)
    assert before is not None
    _save(services, instance_id, before.version)
    with services.db.unit_of_work(readonly=True) as uow:
        after = uow.instances.get(instance_id)
        assert after is not None and after.version == before.version + 1 and after.variables["touched"]
