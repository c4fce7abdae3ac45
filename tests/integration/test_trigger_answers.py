"""An API write answers with the instance as its trigger left it, read in the trigger's transaction.

On PostgreSQL the answer's reads travel with the COMMIT (``views.instances.answering``) and the
view is built once they are back; on SQLite it is built before the commit. Either way it is what a
read right after shows, and a refused trigger answers nothing and keeps nothing.
"""

from __future__ import annotations

from typing import Any

import pytest

from service.actions import starting, tasks
from service.actions.deployment import deploy
from service.definitions.catalog import DefinitionCatalog
from service.errors import Conflict
from service.services import Services
from service.views import instances
from tests.support import INTEGRATOR, REVIEWER, processes, save_again

VARIABLES = {"application_number": "S-1", "received_on": "2025-12-10"}


def _start(services: Services) -> dict[str, Any]:
    deploy(services, processes(), INTEGRATOR)
    outcome = starting.start(
        services, "smoke", VARIABLES, INTEGRATOR, business_key="S-1", answer=instances.answering(services)
    )
    assert outcome.answer is not None
    return outcome.answer


def test_a_start_and_a_completion_answer_with_what_a_read_afterwards_shows(services: Services) -> None:
    started = _start(services)
    assert started == instances.instance(services, started["id"])
    assert started["status"] == "waiting" and started["activeTasks"]

    task = started["activeTasks"][0]
    answer = instances.answering(services)
    done = tasks.complete(services, task["id"], {"decision": "ok"}, REVIEWER, answer=answer)
    assert done.answer is not None
    assert done.answer == instances.instance(services, started["id"])
    assert done.answer["version"] > started["version"]
    assert task["id"] not in [t["id"] for t in done.answer["activeTasks"]]


def test_an_answer_built_after_its_commit_reads_a_definition_the_catalog_has_forgotten(
    services: Services,
) -> None:
    started = _start(services)
    with services.db.unit_of_work() as uow:
        view = instances.answering(services)(uow, started["id"])
        uow.commit()
    services.catalog = DefinitionCatalog()  # as after a restart: no definition row cached
    assert view() == started
    assert started["definitionVersion"] == 1


def test_a_save_refused_with_its_answer_asked_for_keeps_nothing(services: Services) -> None:
    """The answer's reads queued with a save the server refuses do not let the COMMIT through."""
    started = _start(services)
    with services.db.unit_of_work() as uow:
        row = uow.instances.get(started["id"], lock=True)
        assert row is not None
        uow.tasks.remove_all(row.id)  # a write before the save, in the same transaction
        instances.answering(services)(uow, row.id)  # on PostgreSQL: queued, to travel with the COMMIT
        with pytest.raises(Conflict, match="changed meanwhile"):
            save_again(uow, row, row.version + 7)  # stale: another save came first
            uow.commit()
    assert instances.instance(services, started["id"]) == started
