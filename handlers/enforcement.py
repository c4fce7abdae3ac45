"""Failures to produce demanded records, penalty referrals, removals (§163.6, §163.12(d), §163.13(c))."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from .demands import file_demand
from .desk import Desk, as_date, need
from .penalties import CITATION, Limits, ceilings
from .registry import CallContext
from .vocabulary import CULPABILITY, IMMEDIATE_BASES, REMOVAL_GROUNDS, describe


@dataclass
class RecordProductionFailure:
    demand_number: str
    recordkeeper: dict[str, Any]
    record_description: str
    releases: list[dict[str, Any]]
    demanded_on: str
    due_on: str


@dataclass
class PenaltyCeiling:
    demand_number: str
    culpability: str
    maximum: float | int | str | None = None  # the penalty_ceiling table's row (§163.6(b)(1))
    percent: float | int | str | None = None


@dataclass
class PenaltyReferral:
    demand_number: str
    culpability: str
    repeat: bool
    penalty_case_number: str
    maximum: float | int | str | None = None  # the penalty_ceiling table's row (§163.6(b)(1))
    percent: float | int | str | None = None


@dataclass
class CorrectiveAction:
    notice_number: str
    steps: str
    reported_on: str


@dataclass
class ProposeRemoval:
    importer_number: str
    grounds: list[str]
    statement: str
    immediate_basis: str | None = None


@dataclass
class RemovalStep:
    removal_number: str
    reason: str | None = None
    effective_on: str | None = None


class EnforcementDesk(Desk):
    """The register of demands, violations and removals."""

    def record_production_failure(self, p: RecordProductionFailure, call: CallContext) -> dict[str, Any]:
        """Register the demand that was not met and state the facts §163.12(d)(1) turns on."""
        number = file_demand(self.records, p, as_date(p.due_on))
        prior = [v for v in self.records.violations(number) if v["demand_number"] != p.demand_number]
        current = need(self.records.recordkeeper(number), "recordkeeper", number)
        return {
            "importer_number": number,
            "certified": current["certification_status"] == "certified",
            "certification_number": current["certification_number"],
            "prior_failures": len(prior),
            "repeat": bool(prior),  # §163.12(d)(1): a repeat violation is not eligible for a notice
            "citation": "§163.12(d)(1)",
        }

    def compute_penalty_ceiling(self, p: PenaltyCeiling, call: CallContext) -> dict[str, Any]:
        """Return the penalty ceiling of each release of the demand and their sum (§163.6(b)(1))."""
        demand = need(self.records.demand(p.demand_number), "demand", p.demand_number)
        found = ceilings(
            list(demand["releases"]), p.culpability, Limits.of(p.culpability, p.maximum, p.percent)
        )
        total = sum((c.ceiling for c in found), Decimal("0"))
        return {
            "culpability": p.culpability,
            "releases": [
                {
                    "entry_number": c.entry_number,
                    "appraised_value": str(c.appraised_value),
                    "ceiling": str(c.ceiling),
                    "set_by": c.rule,
                }
                for c in found
            ],
            "total": str(total),
            "citation": CITATION,
        }

    def refer_for_penalty(self, p: PenaltyReferral, call: CallContext) -> dict[str, Any]:
        """Record the referral for a monetary penalty with its ceilings (§163.6(b))."""
        if p.culpability not in CULPABILITY:
            raise ValueError(f"culpability must be willful or negligent, not {p.culpability!r}")
        demand = need(self.records.demand(p.demand_number), "demand", p.demand_number)
        found = ceilings(
            list(demand["releases"]), p.culpability, Limits.of(p.culpability, p.maximum, p.percent)
        )
        total = sum((c.ceiling for c in found), Decimal("0"))
        self.records.add_violation(
            importer_number=demand["importer_number"],
            demand_number=p.demand_number,
            kind="penalty_referral",
            culpability=p.culpability,
            repeat=bool(p.repeat),
            ceilings=[{"entry_number": c.entry_number, "ceiling": str(c.ceiling)} for c in found],
            ceiling_total=total,
            penalty_case_number=p.penalty_case_number,
        )
        return {
            "penalty_case_number": p.penalty_case_number,
            "ceiling_total": str(total),
            "citation": CITATION,
        }

    def record_corrective_action(self, p: CorrectiveAction, call: CallContext) -> dict[str, Any]:
        """Record the steps the recordkeeper reports against recurrence (§163.12(d)(3))."""
        violation = self.records.update_violation(
            p.notice_number, corrective_action=p.steps, corrective_action_on=as_date(p.reported_on)
        )
        self.records.update_demand(violation["demand_number"], status="corrective_action_reported")
        return {"notice_number": p.notice_number, "reported_on": as_date(p.reported_on).isoformat()}

    def propose_removal(self, p: ProposeRemoval, call: CallContext) -> dict[str, Any]:
        """Record the proposed removal, its grounds (§163.13(c)(1)) and whether it takes effect at once."""
        describe(REMOVAL_GROUNDS, p.grounds)
        if not p.grounds or not p.statement.strip():
            raise ValueError("a removal states its grounds (§163.13(c)(2))")
        basis = p.immediate_basis or None
        if basis is not None:
            describe(IMMEDIATE_BASES, [basis])
        removal = self.records.add_removal(
            importer_number=p.importer_number,
            grounds=p.grounds,
            statement=p.statement.strip(),
            immediate_basis=basis,
        )
        self.records.set_certification(p.importer_number, certification_status="removal_pending")
        return {"removal_number": removal["removal_number"], "immediate": basis is not None}

    def apply_removal(self, p: RemovalStep, call: CallContext) -> dict[str, Any]:
        """Make the removal effective (§163.13(c)(3)); a removal already in effect stays as it is."""
        removal = need(self.records.removal(p.removal_number), "removal", p.removal_number)
        if removal["status"] == "effective":
            return {"removal_number": p.removal_number, "effective_on": removal["effective_on"].isoformat()}
        day = as_date(p.effective_on) if p.effective_on else self.today()
        self.records.update_removal(p.removal_number, status="effective", effective_on=day)
        self.records.set_certification(
            removal["importer_number"], certification_status="removed", removal_effective_on=day
        )
        return {
            "removal_number": p.removal_number,
            "effective_on": day.isoformat(),
            "citation": "§163.13(c)(3)",
        }

    def withdraw_removal(self, p: RemovalStep, call: CallContext) -> dict[str, Any]:
        """Withdraw a removal (an appeal reversed it): the certification stands again."""
        removal = need(self.records.removal(p.removal_number), "removal", p.removal_number)
        self.records.update_removal(p.removal_number, status="withdrawn")
        self.records.set_certification(
            removal["importer_number"], certification_status="certified", removal_effective_on=None
        )
        return {"removal_number": p.removal_number, "withdrawn_on": self.today().isoformat()}
