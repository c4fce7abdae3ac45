"""The data service port: the program's business records, as handlers see them.

The service implements these Protocols over its own tables (``service/store/adapters.py``) inside
the transaction of the step that calls the handler; tests may implement them in memory. Records
are plain dicts with ``date`` values for dates and ``Decimal`` for money.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, Protocol

Record = dict[str, Any]


class Recordkeepers(Protocol):
    """Persons who keep entry records (§163.2(a)) and their certification (§163.12, §163.13)."""

    def upsert_recordkeeper(
        self,
        *,
        importer_number: str,
        name: str,
        email: str | None,
        address: str | None,
        recordkeeper_class: str | None = None,
        bond_status: str | None = None,
    ) -> Record: ...

    def recordkeeper(self, importer_number: str) -> Record | None: ...

    def set_certification(self, importer_number: str, **fields: Any) -> Record: ...


class Applications(Protocol):
    """Applications for certification (§163.12(b),(c)) and their suspension periods."""

    def add_application(
        self,
        *,
        application_number: str,
        importer_number: str,
        received_on: date,
        recordkeeper_class: str | None,
        showing: dict[str, Any],
        business: dict[str, Any],
        alternative_program: str | None,
    ) -> Record: ...

    def application(self, application_number: str) -> Record | None: ...

    def update_application(self, application_number: str, **fields: Any) -> Record: ...

    def open_suspension(
        self, *, application_number: str, information_needed: str, started_at: datetime
    ) -> Record: ...

    def close_suspension(self, request_number: str, *, ended_at: datetime, outcome: str) -> Record: ...

    def suspensions(self, application_number: str) -> list[Record]: ...

    def count_reminder(self, request_number: str) -> int: ...


class Audits(Protocol):
    """Audits (§163.11): termination dates, closing conference, report, investigation flag."""

    def upsert_audit(self, audit_number: str, **facts: Any) -> Record: ...

    def audit(self, audit_number: str) -> Record | None: ...

    def record_deadline_miss(
        self, *, case_ref: str, instance_id: str, rule: str, due_on: date, what: str, at: datetime
    ) -> Record: ...

    def deadline_misses(self, case_ref: str) -> list[Record]: ...


class Enforcement(Protocol):
    """Demands for entry records, the violation history, and removals (§163.6, §163.12(d), §163.13)."""

    def add_demand(
        self,
        *,
        demand_number: str,
        importer_number: str,
        record_description: str,
        releases: list[dict[str, str]],
        demanded_on: date,
        due_on: date,
    ) -> Record: ...

    def demand(self, demand_number: str) -> Record | None: ...

    def update_demand(self, demand_number: str, **fields: Any) -> Record: ...

    def violations(self, importer_number: str) -> list[Record]: ...

    def add_violation(
        self, *, importer_number: str, demand_number: str, kind: str, **facts: Any
    ) -> Record: ...

    def update_violation(self, notice_number: str, **fields: Any) -> Record: ...

    def add_removal(
        self, *, importer_number: str, grounds: list[str], statement: str, immediate_basis: str | None
    ) -> Record: ...

    def removal(self, removal_number: str) -> Record | None: ...

    def update_removal(self, removal_number: str, **fields: Any) -> Record: ...


class Appeals(Protocol):
    """Appeals of a denial or a removal (§163.13(d))."""

    def add_appeal(
        self,
        *,
        notice_number: str,
        kind: str,
        appellant: str,
        grounds: str | None,
        received_on: date,
        window_closes_on: date,
        timely: bool,
        decision_due_on: date | None,
    ) -> Record: ...

    def appeal(self, appeal_number: str) -> Record | None: ...

    def update_appeal(self, appeal_number: str, **fields: Any) -> Record: ...


class Records(Recordkeepers, Applications, Audits, Enforcement, Appeals, Protocol):
    """Everything the data service offers (``Ports.records``)."""


class MissingRecord(LookupError):
    """A handler was asked about a record the data service does not hold."""
