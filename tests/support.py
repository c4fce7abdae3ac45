"""Test doubles that implement the same contracts as the real parts (no mocks of internals)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from handlers.ports import Ports
from handlers.registry import CallContext, Operation, Registry
from service.bootstrap import Services, bootstrap
from service.cases.actors import Actor
from service.clock import MovableClock
from service.config import Settings
from service.deployment import read_directory

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


def test_registry(board: Switchboard) -> Registry[Ports]:
    return Registry.of(
        [
            Operation("echo", EchoParams, lambda ports: Echo(board), "Return the text it was given"),
            Operation("flaky", FlakyParams, lambda ports: Flaky(board), "Fail while the board says so"),
        ]
    )


def make_services(url: str, tmp: Path, clock: MovableClock, board: Switchboard) -> Services:
    settings = Settings(
        database_url=url,
        secret_key="test-secret",
        instance_dir=tmp,
        runner="off",
        testing=True,
        processes_dir=FIXTURES / "processes",
    )
    return bootstrap(settings, clock=clock, registry=test_registry(board))


def copy_processes(tmp: Path) -> Path:
    """Copy the fixture processes to a folder a test may edit."""
    target = tmp / "processes"
    shutil.copytree(FIXTURES / "processes", target)
    return target


def processes(path: Path | None = None) -> Any:
    return read_directory(path or FIXTURES / "processes")
