"""Who or what sets a trigger off: a staff user, an integrator, a timer, the system."""

from __future__ import annotations

from dataclasses import dataclass, field

SUPERVISORS = "supervisors"
ANALYSTS = "analysts"
LANE_GROUPS = ("reviewers", "field_auditors", "field_director", "hq_regulatory_audit", "penalties")
ALL_GROUPS = (*LANE_GROUPS, SUPERVISORS, ANALYSTS)
# The processes staff start from the web, and the groups that may (supervisors start them all).
# Each group works a lane of the process, so whoever starts a case can open it afterwards.
# Removal of certification (§163.13(c)): the Director of the field office decides on it.
STAFF_STARTS: dict[str, frozenset[str]] = {
    "certification_removal": frozenset({"field_director"}),
    "record_demand": frozenset({"field_auditors"}),  # §163.6(a): a demand the field office issued itself
}


@dataclass(frozen=True)
class Actor:
    kind: str  # user | integrator | timer | system
    name: str
    groups: frozenset[str] = field(default_factory=frozenset)
    scopes: frozenset[str] = field(default_factory=frozenset)

    @property
    def is_supervisor(self) -> bool:
        return self.kind == "user" and SUPERVISORS in self.groups

    def may_start(self, process_key: str) -> bool:
        """May this staff user start ``process_key`` from the web (``STAFF_STARTS``)?"""
        groups = STAFF_STARTS.get(process_key)
        if groups is None or self.kind != "user":
            return False
        return self.is_supervisor or bool(groups & self.groups)

    def may_work_on(self, lane: str | None) -> bool:
        """May this actor see and act on a task of ``lane``?"""
        if self.kind in ("system", "timer"):
            return True
        if self.kind == "integrator":
            return "tasks" in self.scopes
        return self.is_supervisor or (lane is not None and lane in self.groups)


TIMER = Actor("timer", "scheduler")
RETRIES = Actor("system", "retries")  # the background runner trying a failed service task again
SYSTEM = Actor("system", "system")
