"""Test doubles that implement the same contracts as the real parts (no mocks of internals)."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from handlers.ports import Ports
from handlers.registry import CallContext, Operation, Registry
from service.actions.deployment import read_directory
from service.bootstrap import bootstrap
from service.clock import Clock
from service.config import Settings
from service.identity.actors import Actor
from service.services import Sender, Services
from service.store import UnitOfWork
from service.store.adapters import build_ports, message_id

FIXTURES = Path(__file__).parent / "fixtures"
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)

REVIEWER = Actor("user", "rita", frozenset({"reviewers"}))
AUDITOR = Actor("user", "fred", frozenset({"field_auditors"}))
SUPERVISOR = Actor("user", "sam", frozenset({"supervisors"}))
INTEGRATOR = Actor("integrator", "portal", scopes=frozenset({"start", "message", "read", "tasks", "deploy"}))
ANALYST = Actor("user", "ana", frozenset({"analysts"}))


@dataclass
class EchoParams:
    text: Any


@dataclass
class FlakyParams:
    key: str


@dataclass
class NoticeParams:
    to: str
    subject: str


@dataclass
class Switchboard:
    """Shared state of the test handlers: how often each was called, and whether flaky fails."""

    calls: list[tuple[str, dict[str, Any], CallContext]] = field(default_factory=list)
    failures_left: int = 0


class Echo:
    def __init__(self, board: Switchboard) -> None:
        self.board = board

    def __call__(self, params: EchoParams, call: CallContext) -> dict[str, Any]:
        self.board.calls.append(("echo", {"text": params.text}, call))
        return {"echo": params.text}


class Flaky:
    def __init__(self, board: Switchboard) -> None:
        self.board = board

    def __call__(self, params: FlakyParams, call: CallContext) -> dict[str, Any]:
        self.board.calls.append(("flaky", {"key": params.key}, call))
        if self.board.failures_left > 0:
            self.board.failures_left -= 1
            raise RuntimeError("records service unavailable")
        return {"ok": params.key}


class NoticeThenFlaky:
    """Enqueue a notice (keyed by the step), then call a service that fails while the board says so.

    A failed try rolls its notice back with it; the step key keeps a retried step from sending twice.
    """

    def __init__(self, board: Switchboard, ports: Ports) -> None:
        self.board = board
        if not isinstance(ports, OutboxPorts):  # the test registry is bound to ``test_ports`` only
            raise TypeError("notice_then_flaky needs the test ports with the outbox client (test_ports)")
        self.outbox = ports.outbox

    def __call__(self, params: NoticeParams, call: CallContext) -> dict[str, Any]:
        self.outbox.enqueue(
            key=f"{call.step_key}:notice",
            kind="email",
            # The payload the notices' SMTP sender (service.notify.SmtpSender) sends.
            payload={
                "to": [params.to],
                "subject": params.subject,
                "text": f"Case {call.business_key}",
                "message_id": message_id(f"{call.step_key}:notice", "rcp-notices@localhost"),
            },
            instance_id=call.instance_id,
        )
        return Flaky(self.board)(FlakyParams(key="notice"), call)


class OutboxClient:
    """The outbox as a handler client: messages commit or roll back with the step."""

    def __init__(self, uow: UnitOfWork, clock: Clock) -> None:
        self.uow = uow
        self.clock = clock

    def enqueue(self, *, key: str, kind: str, payload: dict[str, Any], instance_id: str | None) -> bool:
        return self.uow.outbox.enqueue(
            key=key, kind=kind, payload=payload, now=self.clock.now(), instance_id=instance_id
        )


@dataclass(frozen=True, kw_only=True)
class OutboxPorts(Ports):
    """The production ports plus the outbox client the test handlers write through."""

    outbox: OutboxClient


def test_registry(board: Switchboard) -> Registry[Ports]:
    return Registry.of(
        [
            Operation("echo", EchoParams, lambda ports: Echo(board), "Return the text it was given"),
            Operation("flaky", FlakyParams, lambda ports: Flaky(board), "Fail while the board says so"),
            Operation(
                "notice_then_flaky",
                NoticeParams,
                lambda ports: NoticeThenFlaky(board, ports),
                "Enqueue a notice, then call a service that may fail",
            ),
        ]
    )


def test_ports(settings: Settings, clock: Clock) -> Callable[[UnitOfWork], Ports]:
    """Ports for the test handlers: the production ones plus the outbox client."""

    def ports(uow: UnitOfWork) -> Ports:
        base = build_ports(uow, settings, clock)
        return OutboxPorts(
            clock=base.clock,
            program=base.program,
            records=base.records,
            notices=base.notices,
            outbox=OutboxClient(uow, clock),
        )

    return ports


def make_services(
    url: str,
    tmp: Path,
    clock: Clock,
    board: Switchboard,
    *,
    senders: dict[str, Sender] | None = None,
) -> Services:
    settings = Settings(
        database_url=url,
        secret_key="test-secret",
        instance_dir=tmp,
        runner="off",
        testing=True,
        processes_dir=FIXTURES / "processes",
    )
    return bootstrap(
        settings,
        clock=clock,
        registry=test_registry(board),
        ports=test_ports(settings, clock),
        senders=senders,
    )


def copy_processes(tmp: Path) -> Path:
    """Copy the fixture processes to a folder a test may edit."""
    target = tmp / "processes"
    shutil.copytree(FIXTURES / "processes", target)
    return target


def processes(path: Path | None = None) -> Any:
    return read_directory(path or FIXTURES / "processes")


def save_again(uow: UnitOfWork, row: Any, expected_version: int, **changes: Any) -> None:
    """Save an instance's row as it stands (with ``changes``), expecting ``expected_version``."""
    fields = ("state", "status", "has_incident", "next_timer_due", "retry_at", "variables")
    kept = {name: getattr(row, name) for name in (*fields, "updated_at", "completed_at", "waits")}
    uow.instances.save(row.id, expected_version, row, **{**kept, **changes})
