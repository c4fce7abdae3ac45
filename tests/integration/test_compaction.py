"""A compacted case behaves exactly like a full one, and cases saved before compaction still run.

The same application runs twice, on two databases, with compaction on and off; after every step
everything a user or an integrator can read must be the same: open tasks and their forms, the
case's variables, deadlines, waits, notices, history, the case page and the case answer.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from service.actions.deployment import deploy, read_directory
from service.clock import MovableClock
from service.engine.values import DiagramSource
from service.identity.actors import Actor
from service.services import Services
from service.store.schema import process_instances
from service.views import casefile, cases, instances, program
from tests.integration.test_scenarios_applications import REVIEW_FORM, application
from tests.program_support import INTAKE, PROCESSES, Case, advance_to, moment, program_services

APPROVE = {"application_decision": "approve", "certification_conditions": ["Annual self-audit by March 31"]}
SUPERVISOR = Actor("user", "sam", frozenset({"supervisors"}))
FIXTURE = (
    Path(__file__).resolve().parent.parent / "fixtures" / "states" / "application_review_pre_compaction.json"
)
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


class Twin:
    """One case on one database, with the engine's compaction on or off."""

    def __init__(self, services: Services, clock: MovableClock, case: Case | None = None) -> None:
        self.services, self.clock, self.case = services, clock, case

    def observed(self) -> Any:
        """Return everything readable about the case, with generated ids numbered by appearance."""
        assert self.case is not None
        case_id, key = self.case.id, "A-2026-001"
        seen = {
            "tasks": self.case.open_tasks(),
            "forms": [self.case.form(t["name"]) for t in self.case.open_tasks()],
            "instance": instances.instance(self.services, case_id),
            "history": instances.history(self.services, case_id),
            "page": casefile.view(self.services, case_id, SUPERVISOR),
            "progress": casefile.progress(self.services, case_id, SUPERVISOR),
            "case": cases.case(self.services, SUPERVISOR, key, lambda _: True),
            "notices": program.notices(self.services, INTAKE, instance_id=case_id),
            "application": program.application(self.services, INTAKE, key),
        }
        return _numbered(json.loads(json.dumps(seen, default=str, sort_keys=True)))

    def state_size(self) -> int:
        assert self.case is not None
        with self.services.db.unit_of_work(readonly=True) as uow:
            row = uow.instances.get(self.case.id)
            assert row is not None
            return len(row.state)


def _numbered(value: Any) -> Any:
    """Replace each UUID by its order of first appearance, so two runs' answers compare."""
    names: dict[str, str] = {}
    text = json.dumps(value, sort_keys=True)
    return json.loads(_UUID.sub(lambda m: names.setdefault(m.group(0), f"id-{len(names)}"), text))


def _twin(root: Path, template: Path, compact: bool) -> Twin:
    root.mkdir()
    shutil.copy(template, root / "rcp.db")
    clock = MovableClock(moment("2026-01-05"))
    services = program_services(f"sqlite:///{root / 'rcp.db'}", root, clock)
    services.engine.compact = compact
    return Twin(services, clock)


@pytest.fixture
def twins(tmp_path: Path, sqlite_template: Path) -> Iterator[tuple[Twin, Twin]]:
    pair = (
        _twin(tmp_path / "compacted", sqlite_template, True),
        _twin(tmp_path / "full", sqlite_template, False),
    )
    yield pair
    for twin in pair:
        twin.services.close()


def _both(twins: tuple[Twin, Twin], step: Callable[[Twin], object]) -> None:
    """Run one step on both cases and check that nothing readable differs."""
    for twin in twins:
        step(twin)
    compacted, full = (t.observed() for t in twins)
    assert compacted == full


def _review(next_step: str, **extra: object) -> Callable[[Twin], object]:
    return lambda t: (
        t.case
        and t.case.complete("review_application", {**REVIEW_FORM, "review_next_step": next_step, **extra})
    )


def _at(day: str) -> Callable[[Twin], object]:
    return lambda t: t.clock.set(moment(day))


def _received(**variables: object) -> Callable[[Twin], object]:
    correlation = {"application_number": "A-2026-001"}
    return lambda t: t.case and t.case.deliver("information_received", correlation, **variables)


def _start(twin: Twin) -> None:
    twin.case = Case.start(twin.services, twin.clock, "application_review", application(), "A-2026-001")


def _complete(name: str, data: dict[str, Any]) -> Callable[[Twin], object]:
    return lambda t: t.case and t.case.complete(name, data)


def test_a_compacted_case_reads_and_runs_like_a_full_one_from_intake_to_certificate(
    twins: tuple[Twin, Twin],
) -> None:
    _both(twins, _start)
    for number in range(1, 4):
        _both(twins, _at(f"2026-01-{5 + number * 2:02d}"))
        _both(twins, _review("request_information", information_needed=f"Document {number}."))
        if number == 1:  # a reminder goes out while the applicant is silent (§163.12(c)(1))
            _both(twins, lambda t: advance_to(t.services, t.clock, moment("2026-01-22", 10)))
        _both(twins, _received(documents=[f"doc-{number}.pdf"]))
    _both(twins, _review("request_information", information_needed="One more document."))
    _both(twins, _complete("await_information", {"withdraw_reason": "Found it in our files."}))
    _both(twins, _review("onsite_verification"))
    _both(
        twins, _complete("schedule_visit", {"onsite_visit_date": "2026-03-10", "onsite_visit_place": "Pier"})
    )
    _both(twins, _at("2026-03-10"))
    findings = {
        "onsite_visited_on": "2026-03-10",
        "onsite_findings": "As described.",
        "onsite_requirements": "met",
    }
    _both(twins, _complete("record_findings", findings))
    assert twins[0].state_size() < twins[1].state_size() * 0.6  # four finished rounds left the state
    _both(twins, _review("recommend_approval", review_reasons="All six elements shown."))
    _both(twins, _complete("decide_application", APPROVE))
    assert twins[0].case is not None and twins[0].case.status == "completed"


def _deploy_fixture_diagrams(services: Services, sources: dict[str, str]) -> None:
    """Deploy the diagrams the fixture's states were saved on, if today's differ from them."""
    current = read_directory(PROCESSES)
    if all((PROCESSES / name).read_text() == xml for name, xml in sources.items()):
        return
    diagrams = [d for d in current.diagrams if d.name not in sources]
    diagrams += [DiagramSource(name, xml.encode()) for name, xml in sources.items()]
    deploy(services, dataclasses.replace(current, diagrams=diagrams), INTAKE)


def _to_the_fixture_wait(twin: Twin) -> None:
    """Drive a case the way the fixture's was (tests/fixtures/states/), to its second round."""
    _start(twin)
    for step in (
        _at("2026-01-06"),
        _review("request_information", information_needed="Your written recordkeeping procedures."),
        _at("2026-01-12"),
        _received(documents=["procedures.pdf"]),
        _at("2026-01-13"),
        _review("request_information", information_needed="The name of your responsible individual."),
    ):
        step(twin)


def _saved_by_the_old_code(twin: Twin, state: str) -> None:
    """Give the case the state the pre-compaction code saved at the same wait."""
    assert twin.case is not None
    with twin.services.db.unit_of_work() as uow:
        pi = process_instances
        uow.conn.execute(update(pi).where(pi.c.id == twin.case.id).values(state=state))
        uow.commit()
    twin.services.live.forget(twin.case.id)


def test_a_case_saved_before_compaction_loads_and_runs_to_its_decision(twins: tuple[Twin, Twin]) -> None:
    fixture = json.loads(FIXTURE.read_text())
    saved = next(c for c in fixture["cases"] if c["open_tasks"] == ["await_information"])
    for twin in twins:
        _deploy_fixture_diagrams(twin.services, fixture["sources"])
        _to_the_fixture_wait(twin)
        _saved_by_the_old_code(twin, saved["state"])
    assert twins[0].observed() == twins[1].observed()

    _both(twins, _at("2026-01-20"))
    _both(twins, _received(documents=["responsible-individual.pdf"]))
    compacted = twins[0]
    assert compacted.case is not None
    assert [t["name"] for t in compacted.case.open_tasks()] == ["review_application"]
    record = program.application(compacted.services, INTAKE, "A-2026-001")
    assert [(s["request_number"], s["outcome"], s["days"]) for s in record["suspensions"]] == [
        ("A-2026-001-IR1", "received", 6),  # 2026-01-06 to 2026-01-12
        ("A-2026-001-IR2", "received", 7),  # 2026-01-13 to 2026-01-20: ended through the old state
    ]
    progress = compacted.observed()["progress"]
    # The first round's passes left the state; the diagram still shows them done.
    assert {"register_application", "next_step", "ask_for_information"} <= set(progress["completed"])
    assert progress["active"] == ["review_application", "review_phase"]
    assert compacted.state_size() < len(saved["state"])
    _both(twins, _review("recommend_approval", review_reasons="All six elements shown."))
    _both(twins, _complete("decide_application", APPROVE))
    assert compacted.case.status == "completed"
