"""Demands for entry records (§163.6(a)): the production period, extensions, production, failure."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import Any, Protocol

from .deadlines import DEMAND, production_due, reminder_on
from .desk import Desk, as_date, need
from .records import Record, Records
from .registry import CallContext

CITATION = "§163.6(a)"
# Where a demand stands (``demands.status``); a failure is registered as ``not_produced``.
OPEN, PRODUCED, NOT_PRODUCED = "open", "produced", "not_produced"


def late_extension(requested: date, due: date) -> str | None:
    """Return why an extension request is refused as late, or None when it came in time (§163.6(a))."""
    if requested < due:  # §163.6(a): the request must arrive before the due date
        return None
    return (
        f"the request of {requested.isoformat()} arrived on or after the due date {due.isoformat()};"
        " an extension must be requested before the due date (19 CFR 163.6(a))"
    )


class DemandFacts(Protocol):
    """What a demand for records states: who, which records, which releases, when (§163.6(a))."""

    demand_number: str
    recordkeeper: dict[str, Any]
    record_description: str
    releases: list[dict[str, Any]]
    demanded_on: str


def file_demand(records: Records, p: DemandFacts, due: date) -> str:
    """Register the recordkeeper and the demand with its releases; return the importer number."""
    keeper = p.recordkeeper
    number = str(keeper["importer_number"])
    records.upsert_recordkeeper(
        importer_number=number,
        name=str(keeper["name"]),
        email=keeper.get("email"),
        address=keeper.get("address"),
    )
    releases = [
        {"entry_number": str(r["entry_number"]), "appraised_value": str(Decimal(str(r["appraised_value"])))}
        for r in p.releases
    ]
    records.add_demand(
        demand_number=p.demand_number,
        importer_number=number,
        record_description=p.record_description,
        releases=releases,
        demanded_on=as_date(p.demanded_on),
        due_on=due,
    )
    return number


@dataclass
class OpenDemand:
    demand_number: str
    recordkeeper: dict[str, Any]
    record_description: str
    releases: list[dict[str, Any]]
    demanded_on: str
    received_on: str
    shorter_period_days: int | None = None
    shorter_period_reason: str | None = None


@dataclass
class ExtensionRequest:
    demand_number: str
    requested_on: str
    due_on: str


@dataclass
class ExtensionDecision:
    demand_number: str
    decision: str
    extended_until: str | None
    reason: str
    requested_on: str
    previous: dict[str, Any] = field(default_factory=dict)


@dataclass
class Production:
    demand_number: str
    produced_on: str
    records: list[str] = field(default_factory=list)
    documents: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class DemandRef:
    demand_number: str


class DemandDesk(Desk):
    """The register of demands for entry records and their production periods (§163.6(a))."""

    def open_record_demand(self, p: OpenDemand, call: CallContext) -> dict[str, Any]:
        """Register a demand and the day its records are due: receipt + 30 days or less (§163.6(a))."""
        shorter = p.shorter_period_days or None
        if shorter is not None and not (p.shorter_period_reason or "").strip():
            raise ValueError(
                "a shorter production period states its reason: admissibility or release (§163.6(a))"
            )
        due = production_due(as_date(p.received_on), shorter)
        file_demand(self.records, p, due)
        self.records.update_demand(p.demand_number, status=OPEN, due_on=due)
        period = (
            {"days": shorter, "reason": p.shorter_period_reason.strip()}
            if shorter and p.shorter_period_reason
            else None
        )
        return {
            **self._dates(due),
            "received_on": as_date(p.received_on).isoformat(),
            "shorter_period": period,
        }

    def receive_extension_request(self, p: ExtensionRequest, call: CallContext) -> dict[str, Any]:
        """Say whether an extension request arrived before the due date; a late one is refused (§163.6(a))."""
        requested, due = as_date(p.requested_on), as_date(p.due_on)
        need(self.records.demand(p.demand_number), "demand", p.demand_number)
        reason = late_extension(requested, due)
        return {
            "requested_on": requested.isoformat(),
            "timely": reason is None,
            "refusal": reason,
            "citation": CITATION,
        }

    def decide_extension_request(self, p: ExtensionDecision, call: CallContext) -> dict[str, Any]:
        """Record staff's decision on a timely extension request; a grant moves the due date (§163.6(a))."""
        demand = need(self.records.demand(p.demand_number), "demand", p.demand_number)
        due: date = demand["due_on"]
        if p.decision not in ("grant", "refuse"):
            raise ValueError(f"an extension is granted or refused, not {p.decision!r}")
        if p.decision == "grant":
            until = as_date(p.extended_until)
            if until <= due:
                raise ValueError(
                    f"an extension ends after the due date {due.isoformat()}, not {until.isoformat()}"
                )
            due = until
            self.records.update_demand(p.demand_number, due_on=due)
        extension = {
            "requested_on": as_date(p.requested_on).isoformat(),
            "decision": p.decision,
            "decided_on": self.today().isoformat(),
            "extended_until": due.isoformat() if p.decision == "grant" else None,
            "reason": p.reason.strip(),
            "citation": CITATION,
        }
        extensions = [*p.previous.get("extensions", []), extension]  # each decision stays on the case
        return {**p.previous, **self._dates(due), "extensions": extensions}

    def record_records_produced(self, p: Production, call: CallContext) -> dict[str, Any]:
        """Record the demanded records as produced, with the documents or descriptions (§163.6(a))."""
        demand = need(self.records.demand(p.demand_number), "demand", p.demand_number)
        produced = as_date(p.produced_on)
        self.records.update_demand(p.demand_number, status=PRODUCED)
        return {
            "produced_on": produced.isoformat(),
            "in_time": produced <= demand["due_on"],
            "records": [str(r) for r in p.records],
            "documents": list(p.documents),
            "citation": CITATION,
        }

    def record_nonproduction(self, p: DemandRef, call: CallContext) -> dict[str, Any]:
        """Record that the period ended without the records; state the failure's facts (§163.6(a))."""
        demand = need(self.records.demand(p.demand_number), "demand", p.demand_number)
        if self.today() <= demand["due_on"]:  # never before the period has run out
            raise ValueError(
                f"demand {p.demand_number} is due on {demand['due_on'].isoformat()}; not yet failed"
            )
        self.records.update_demand(p.demand_number, status=NOT_PRODUCED)
        return _failure_facts(demand)

    def _dates(self, due: date) -> dict[str, Any]:
        remind = reminder_on(DEMAND, due, self.program)
        if remind <= self.today():  # the lead time has already run (a short period, a refusal)
            remind = due  # remind on the last day rather than at once, and only once
        return {"production_due_on": due.isoformat(), "reminder_on": remind.isoformat(), "citation": CITATION}


def _failure_facts(demand: Record) -> dict[str, Any]:
    """Return what the notice of violation starts from (its start variables, §163.12(d))."""
    return {
        "demand_number": demand["demand_number"],
        "record_description": demand["record_description"],
        "releases": list(demand["releases"]),
        "demanded_on": demand["demanded_on"].isoformat(),
        "due_on": demand["due_on"].isoformat(),
    }
