"""Driving program cases through the service layer: the production processes, handlers and data service."""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

from service.actions import messages, starting, tasks, timers
from service.actions.deployment import deploy, read_directory
from service.bootstrap import bootstrap
from service.clock import MovableClock
from service.config import Settings, load_program
from service.identity.actors import Actor
from service.services import Services
from service.store.repositories.program_cases import CaseRecords
from service.store.rows import TaskFilter
from service.views import instances, open_tasks, program

ROOT = Path(__file__).resolve().parent.parent
PROCESSES = ROOT / "processes"

REVIEWER = Actor("user", "rita", frozenset({"reviewers"}))
AUDITOR = Actor("user", "fred", frozenset({"field_auditors"}))
DIRECTOR = Actor("user", "dora", frozenset({"field_director"}))
HQ = Actor("user", "hank", frozenset({"hq_regulatory_audit"}))
PENALTIES = Actor("user", "pia", frozenset({"penalties"}))
INTAKE = Actor("integrator", "intake", scopes=frozenset({"start", "message", "read"}))
GROUPS = {
    "reviewers": REVIEWER,
    "field_auditors": AUDITOR,
    "field_director": DIRECTOR,
    "hq_regulatory_audit": HQ,
    "penalties": PENALTIES,
}


def program_services(url: str, tmp: Path, clock: MovableClock) -> Services:
    """Build services with the production registry and configuration, and deploy ``processes/``."""
    settings = Settings(
        database_url=url,
        secret_key="test-secret",
        instance_dir=tmp,
        runner="off",
        testing=True,
        processes_dir=PROCESSES,
        program=load_program(None),
    )
    services = bootstrap(settings, clock=clock, senders={})
    deploy(services, read_directory(PROCESSES), INTAKE)
    return services


def moment(day: str, hour: int = 9) -> datetime:
    return datetime.combine(date.fromisoformat(day), time(hour), UTC)


class Case:
    """One case (a top-level instance) driven like its users and integrators would."""

    def __init__(self, services: Services, clock: MovableClock, instance_id: str) -> None:
        self.services = services
        self.clock = clock
        self.id = instance_id

    @classmethod
    def start(
        cls, services: Services, clock: MovableClock, key: str, variables: dict[str, Any], business_key: str
    ) -> Case:
        outcome = starting.start(services, key, variables, INTAKE, business_key=business_key)
        return cls(services, clock, outcome.instance_id)

    def view(self) -> dict[str, Any]:
        return instances.instance(self.services, self.id)

    @property
    def status(self) -> str:
        return str(self.view()["status"])

    @property
    def variables(self) -> dict[str, Any]:
        return dict(self.view()["variables"])

    def open_tasks(self) -> list[dict[str, Any]]:
        return open_tasks.tasks(self.services, Actor("system", "test"), TaskFilter(instance_id=self.id))

    def task(self, name: str) -> dict[str, Any]:
        found = [t for t in self.open_tasks() if t["name"] == name]
        assert len(found) == 1, (
            f"expected one open task {name}, found {[t['name'] for t in self.open_tasks()]}"
        )
        return found[0]

    def form(self, name: str) -> dict[str, Any]:
        """Return the open task's form schema as its user sees it (bound to the case's data)."""
        return dict(
            open_tasks.bound_form(self.services, self.task(name)["id"], Actor("system", "test")).schema
        )

    def complete(self, name: str, data: dict[str, Any], actor: Actor | None = None) -> Any:
        task = self.task(name)
        return tasks.complete(self.services, task["id"], data, actor or GROUPS[task["candidateGroup"]])

    def deliver(self, message: str, correlation: dict[str, Any], **variables: Any) -> Any:
        return messages.deliver(
            self.services, message, INTAKE, correlation_keys=correlation, variables=variables
        )

    def waiting_for(self) -> list[tuple[str, dict[str, Any]]]:
        return [(m["messageName"], m["correlation"]) for m in self.view()["waitingMessages"]]

    def deadlines(self) -> list[tuple[str, str, str]]:
        """Return (element, due moment, citation) of every deadline of the case."""
        return [(d["element"], d["due"], d["citation"]) for d in self.view()["deadlines"]]

    def notices(self) -> list[dict[str, Any]]:
        return program.notices(self.services, INTAKE, instance_id=self.id)

    def notice_kinds(self) -> list[str]:
        return [n["kind"] for n in self.notices()]

    def notice(self, kind: str) -> dict[str, Any]:
        found = [n for n in self.notices() if n["kind"] == kind]
        assert len(found) == 1, f"expected one {kind} notice, found {len(found)}"
        return found[0]


def advance_to(services: Services, clock: MovableClock, when: datetime) -> int:
    """Move the clock to ``when`` and fire every due timer; return how many instances moved."""
    clock.set(when)
    return timers.fire_due(services)


def certified_recordkeeper(
    services: Services, importer_number: str, name: str = "Harbor Imports LLC"
) -> None:
    """Put a certified participant in the data service (as an earlier approval would have)."""
    with services.db.unit_of_work() as uow:
        records = CaseRecords(uow.conn, services.clock.now)
        records.upsert_recordkeeper(
            importer_number=importer_number,
            name=name,
            email="records@harbor.example",
            address="1 Pier Road\nBaltimore, MD 21230",
            recordkeeper_class="importer_of_record",
            bond_status="valid",
        )
        records.set_certification(
            importer_number,
            certification_status="certified",
            certification_number=f"RCP-C-{importer_number}",
            certified_on=date(2025, 6, 1),
            certification_conditions=["Quarterly self-review of entry records"],
        )
        uow.commit()


def outbox(services: Services) -> list[dict[str, Any]]:
    with services.db.unit_of_work(readonly=True) as uow:
        return uow.outbox.list(limit=1000)
