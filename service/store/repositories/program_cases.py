"""Audits, missed deadlines, demands, violations, removals and appeals of the program."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import CursorResult, insert, select

from service.store.repositories.program_registry import RegistryRecords, Row
from service.store.schema_program import appeals, audits, deadline_misses, demands, removals, violations


class CaseRecords(RegistryRecords):
    """The program's cases: audits (§163.11), enforcement (§163.6, §163.12(d), §163.13)."""

    def upsert_audit(self, audit_number: str, **facts: Any) -> Row:
        if self.audit(audit_number) is not None:
            return self._update(audits, "audit_number", audit_number, facts)
        now = self.now()
        values = {"closing_conference_held": False, **facts}
        self.conn.execute(
            insert(audits).values(audit_number=audit_number, created_at=now, updated_at=now, **values)
        )
        created = self.audit(audit_number)
        assert created is not None
        return created

    def audit(self, audit_number: str) -> Row | None:
        return self._one(audits, audit_number=audit_number)

    def record_deadline_miss(
        self, *, case_ref: str, instance_id: str, rule: str, due_on: date, what: str, at: datetime
    ) -> Row:
        result = self.conn.execute(
            insert(deadline_misses).values(
                case_ref=case_ref,
                instance_id=instance_id,
                rule=rule,
                due_on=due_on,
                what=what,
                recorded_at=at,
            )
        )
        found = self._one(deadline_misses, id=_new_key(result))
        assert found is not None
        return found

    def deadline_misses(self, case_ref: str) -> list[Row]:
        return self._all(deadline_misses, "id", case_ref=case_ref)

    def add_demand(
        self,
        *,
        demand_number: str,
        importer_number: str,
        record_description: str,
        releases: list[dict[str, str]],
        demanded_on: date,
        due_on: date,
    ) -> Row:
        found = self.demand(demand_number)
        if found is not None:
            return found
        keeper = self.recordkeeper(importer_number)
        if keeper is None:
            raise LookupError(f"no recordkeeper with importer number {importer_number!r}")
        self.conn.execute(
            insert(demands).values(
                demand_number=demand_number,
                recordkeeper_id=keeper["id"],
                record_description=record_description,
                releases=releases,
                demanded_on=demanded_on,
                due_on=due_on,
                status="not_produced",
                created_at=self.now(),
            )
        )
        created = self.demand(demand_number)
        assert created is not None
        return created

    def demand(self, demand_number: str) -> Row | None:
        found = self._one(demands, demand_number=demand_number)
        if found is not None:
            keeper = self.recordkeeper_by_id(found["recordkeeper_id"])
            found["importer_number"] = keeper["importer_number"] if keeper else None
        return found

    def update_demand(self, demand_number: str, **fields: Any) -> Row:
        self._update(demands, "demand_number", demand_number, fields)
        found = self.demand(demand_number)
        assert found is not None
        return found

    def violations(self, importer_number: str) -> list[Row]:
        keeper = self.recordkeeper(importer_number)
        if keeper is None:
            return []
        return self._all(violations, "id", recordkeeper_id=keeper["id"])

    def add_violation(self, *, importer_number: str, demand_number: str, kind: str, **facts: Any) -> Row:
        keeper = self.recordkeeper(importer_number)
        if keeper is None:
            raise LookupError(f"no recordkeeper with importer number {importer_number!r}")
        values = {"repeat": False, **facts}
        result = self.conn.execute(
            insert(violations).values(
                recordkeeper_id=keeper["id"],
                demand_number=demand_number,
                kind=kind,
                recorded_at=self.now(),
                **values,
            )
        )
        found = self._one(violations, id=_new_key(result))
        assert found is not None
        return found

    def update_violation(self, notice_number: str, **fields: Any) -> Row:
        found = self._one(violations, notice_number=notice_number)
        if found is None:
            raise LookupError(f"no violation recorded with notice {notice_number!r}")
        return self._update(violations, "id", found["id"], fields)

    def add_removal(
        self, *, importer_number: str, grounds: list[str], statement: str, immediate_basis: str | None
    ) -> Row:
        keeper = self.recordkeeper(importer_number)
        if keeper is None:
            raise LookupError(f"no recordkeeper with importer number {importer_number!r}")
        now = self.now()
        number = f"RCP-RM-{now.year}-{self.next_value(f'removal:{now.year}'):05d}"
        self.conn.execute(
            insert(removals).values(
                removal_number=number,
                recordkeeper_id=keeper["id"],
                grounds=grounds,
                statement=statement,
                immediate_basis=immediate_basis,
                status="proposed",
                created_at=now,
                updated_at=now,
            )
        )
        created = self.removal(number)
        assert created is not None
        return created

    def removal(self, removal_number: str) -> Row | None:
        found = self._one(removals, removal_number=removal_number)
        if found is not None:
            keeper = self.recordkeeper_by_id(found["recordkeeper_id"])
            found["importer_number"] = keeper["importer_number"] if keeper else None
        return found

    def update_removal(self, removal_number: str, **fields: Any) -> Row:
        self._update(removals, "removal_number", removal_number, fields)
        found = self.removal(removal_number)
        assert found is not None
        return found

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
    ) -> Row:
        now = self.now()
        number = f"RCP-AP-{now.year}-{self.next_value(f'appeal:{now.year}'):05d}"
        self.conn.execute(
            insert(appeals).values(
                appeal_number=number,
                notice_number=notice_number,
                kind=kind,
                appellant=appellant,
                grounds=grounds,
                received_on=received_on,
                window_closes_on=window_closes_on,
                timely=timely,
                decision_due_on=decision_due_on,
                delays=[],
                created_at=now,
            )
        )
        created = self.appeal(number)
        assert created is not None
        return created

    def appeal(self, appeal_number: str) -> Row | None:
        return self._one(appeals, appeal_number=appeal_number)

    def update_appeal(self, appeal_number: str, **fields: Any) -> Row:
        return self._update(appeals, "appeal_number", appeal_number, fields)

    def appeals_of(self, notice_number: str) -> list[Row]:
        rows = self.conn.execute(
            select(appeals).where(appeals.c.notice_number == notice_number).order_by(appeals.c.created_at)
        )
        return [dict(r._mapping) for r in rows]


def _new_key(result: CursorResult[Any]) -> Any:
    key = result.inserted_primary_key
    assert key is not None
    return key[0]
