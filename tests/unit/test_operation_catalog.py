"""The operation catalog points at desk methods; the registry binds them to each transaction's ports."""

from __future__ import annotations

import dataclasses
import inspect
from datetime import UTC, date, datetime
from typing import Any, get_type_hints

import pytest

from handlers.catalog import CATALOG, CatalogEntry, operations
from handlers.desk import Desk
from handlers.ports import Ports
from handlers.registry import CallContext, Registry

NOW = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
PROGRAM = {"groups": {"reviewers": "reviewers@cbp.example", "supervisors": "supervisors@cbp.example"}}
MISSED = {
    "case_ref": "A-2026-001",
    "rule": "§163.12(c)(1)",
    "due_on": "2026-02-27",
    "what": "Information request answer",
    "group": "reviewers",
}


class FixedClock:
    def now(self) -> datetime:
        return NOW


class DeadlineLog:
    """The part of the records port escalation writes to: the missed deadlines, kept in memory."""

    def __init__(self) -> None:
        self.misses: list[dict[str, Any]] = []

    def record_deadline_miss(
        self, *, case_ref: str, instance_id: str, rule: str, due_on: date, what: str, at: datetime
    ) -> dict[str, Any]:
        miss = {"case_ref": case_ref, "rule": rule, "due_on": due_on, "what": what, "recorded_at": at}
        self.misses.append(miss)
        return miss


class StaffMail:
    """The part of the notices port escalation writes to: staff e-mails, kept in memory."""

    def __init__(self) -> None:
        self.sent: list[dict[str, Any]] = []

    def notify_staff(self, *, key: str, to: list[str], subject: str, text: str, instance_id: str) -> bool:
        self.sent.append({"key": key, "to": to, "subject": subject})
        return True


def _ports(records: DeadlineLog, notices: StaffMail) -> Ports:
    return Ports(clock=FixedClock(), program=PROGRAM, records=records, notices=notices)  # type: ignore[arg-type]


def _call(instance_id: str) -> CallContext:
    return CallContext(instance_id, "A-2026-001", "information_request", "escalate", "Escalate")


@pytest.mark.parametrize("entry", CATALOG, ids=lambda e: e.name)
def test_every_operation_is_a_method_of_the_desk_built_for_it(entry: CatalogEntry[Any, Any]) -> None:
    assert issubclass(entry.desk, Desk)
    assert getattr(entry.desk, entry.name) is entry.handler


@pytest.mark.parametrize("entry", CATALOG, ids=lambda e: e.name)
def test_every_operation_takes_the_parameters_dataclass_its_handler_is_annotated_with(
    entry: CatalogEntry[Any, Any],
) -> None:
    [op] = [o for o in operations() if o.name == entry.name]
    _desk, params, call = inspect.signature(entry.handler).parameters

    assert get_type_hints(entry.handler)[params] is op.params
    assert dataclasses.is_dataclass(op.params)
    assert get_type_hints(entry.handler)[call] is CallContext


def test_a_handler_whose_parameters_are_no_dataclass_is_refused() -> None:
    class Loose(Desk):
        def take_anything(self, p: dict[str, Any], call: CallContext) -> dict[str, Any]:
            """Take whatever the diagram passes."""
            return p

    with pytest.raises(TypeError, match="take_anything must annotate its parameters with a dataclass"):
        CatalogEntry(Loose, Loose.take_anything, "none").operation()


def test_the_modeler_sees_each_operation_with_its_docstring_citation_and_parameters() -> None:
    described = {d["name"]: d for d in Registry.of(operations()).describe()}

    assert described["withdraw_application"] == {
        "name": "withdraw_application",
        "description": "Close the application at the applicant's request; end any open suspension.",
        "citation": "§163.12(b)",
        "params": [
            {"name": "application_number", "type": "str", "required": True},
            {"name": "reason", "type": "str | None", "required": False},
        ],
    }
    assert described["escalate_missed_deadline"]["description"] == (
        "Record a missed deadline with the rule that set it, and alert the group and supervisors."
    )
    assert all(d["description"] and d["params"] for d in described.values())


def test_each_transaction_s_handlers_write_through_that_transaction_s_ports() -> None:
    registry = Registry.of(operations())
    first, second = (DeadlineLog(), StaffMail()), (DeadlineLog(), StaffMail())

    result = registry.bind(_ports(*first))("escalate_missed_deadline", MISSED, _call("i-1"))
    registry.bind(_ports(*second))("escalate_missed_deadline", MISSED, _call("i-2"))

    assert result == {"missed_on": NOW.isoformat(), "rule": "§163.12(c)(1)", "due_on": "2026-02-27"}
    for (log, mail), instance in ((first, "i-1"), (second, "i-2")):
        assert [m["due_on"] for m in log.misses] == [date(2026, 2, 27)]
        assert mail.sent == [
            {
                "key": f"{instance}:escalate",
                "to": ["reviewers@cbp.example", "supervisors@cbp.example"],
                "subject": "Deadline missed: Information request answer (A-2026-001)",
            }
        ]
