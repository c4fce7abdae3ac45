"""Recordkeepers, applications and their suspension periods; numbering of program documents."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Table, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite

from handlers.records import Record
from service.ids import new_id
from service.store.schema_program import applications, program_counters, recordkeepers, suspension_periods

Row = Record  # what the handlers' records port (handlers/records.py) says a record is


class ProgramTables:
    """Shared plumbing of the program repositories: connection, clock, rows, counters."""

    def __init__(self, conn: Connection, now: Callable[[], datetime]) -> None:
        self.conn = conn
        self.now = now

    def _one(self, table: Table, **equal: Any) -> Row | None:
        query = select(table)
        for name, value in equal.items():
            query = query.where(table.c[name] == value)
        row = self.conn.execute(query).first()
        return dict(row._mapping) if row else None

    def _all(self, table: Table, order_by: str, **equal: Any) -> list[Row]:
        query = select(table).order_by(table.c[order_by])
        for name, value in equal.items():
            query = query.where(table.c[name] == value)
        return [dict(r._mapping) for r in self.conn.execute(query)]

    def _update(self, table: Table, key: str, value: Any, fields: dict[str, Any]) -> Row:
        unknown = set(fields) - set(table.c.keys())
        if unknown:
            raise ValueError(f"{table.name} has no column(s) {', '.join(sorted(unknown))}")
        if "updated_at" in table.c:
            fields = {**fields, "updated_at": self.now()}
        result = self.conn.execute(update(table).where(table.c[key] == value).values(**fields))
        if result.rowcount == 0:
            raise LookupError(f"no {table.name} row with {key} {value!r}")
        found = self._one(table, **{key: value})
        assert found is not None
        return found

    def next_value(self, series: str) -> int:
        """Return the next number of a series; concurrent callers queue on the counter row."""
        dialect = postgresql if self.conn.dialect.name == "postgresql" else sqlite
        self.conn.execute(
            dialect.insert(program_counters).values(series=series, value=0).on_conflict_do_nothing()
        )
        self.conn.execute(
            update(program_counters)
            .where(program_counters.c.series == series)
            .values(value=program_counters.c.value + 1)
        )
        value = self.conn.execute(
            select(program_counters.c.value).where(program_counters.c.series == series)
        ).scalar_one()
        return int(value)


class RegistryRecords(ProgramTables):
    """Recordkeepers (§163.2(a)) and applications for certification (§163.12(b),(c))."""

    def upsert_recordkeeper(
        self,
        *,
        importer_number: str,
        name: str,
        email: str | None,
        address: str | None,
        recordkeeper_class: str | None = None,
        bond_status: str | None = None,
    ) -> Row:
        found = self.recordkeeper(importer_number)
        given = {
            "name": name,
            "email": email,
            "address": address,
            "recordkeeper_class": recordkeeper_class,
            "bond_status": bond_status,
        }
        facts = {k: v for k, v in given.items() if v is not None}  # what is not known stays as it was
        if found is not None:
            return self._update(recordkeepers, "importer_number", importer_number, facts)
        now = self.now()
        values = {"bond_status": "unknown", "certification_status": "none", **facts}
        self.conn.execute(
            insert(recordkeepers).values(
                id=new_id(), importer_number=importer_number, created_at=now, updated_at=now, **values
            )
        )
        created = self.recordkeeper(importer_number)
        assert created is not None
        return created

    def recordkeeper(self, importer_number: str) -> Row | None:
        return self._one(recordkeepers, importer_number=importer_number)

    def recordkeeper_by_id(self, recordkeeper_id: str) -> Row | None:
        return self._one(recordkeepers, id=recordkeeper_id)

    def set_certification(self, importer_number: str, **fields: Any) -> Row:
        return self._update(recordkeepers, "importer_number", importer_number, fields)

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
    ) -> Row:
        found = self.application(application_number)
        if found is not None:
            return found  # the same application reported twice is still one application
        keeper = self.recordkeeper(importer_number)
        if keeper is None:
            raise LookupError(f"no recordkeeper with importer number {importer_number!r}")
        now = self.now()
        self.conn.execute(
            insert(applications).values(
                application_number=application_number,
                recordkeeper_id=keeper["id"],
                received_on=received_on,
                recordkeeper_class=recordkeeper_class,
                showing=showing,
                business=business,
                alternative_program=alternative_program,
                status="received",
                created_at=now,
                updated_at=now,
            )
        )
        created = self.application(application_number)
        assert created is not None
        return created

    def application(self, application_number: str) -> Row | None:
        found = self._one(applications, application_number=application_number)
        if found is not None:
            keeper = self.recordkeeper_by_id(found["recordkeeper_id"])
            found["importer_number"] = keeper["importer_number"] if keeper else None
        return found

    def update_application(self, application_number: str, **fields: Any) -> Row:
        self._update(applications, "application_number", application_number, fields)
        found = self.application(application_number)
        assert found is not None
        return found

    def open_suspension(
        self, *, application_number: str, information_needed: str, started_at: datetime
    ) -> Row:
        number = f"{application_number}-IR{self.next_value(f'request:{application_number}')}"
        self.conn.execute(
            insert(suspension_periods).values(
                request_number=number,
                application_number=application_number,
                information_needed=information_needed,
                started_at=started_at,
                reminders_sent=0,
            )
        )
        found = self._one(suspension_periods, request_number=number)
        assert found is not None
        return found

    def close_suspension(self, request_number: str, *, ended_at: datetime, outcome: str) -> Row:
        period = self._one(suspension_periods, request_number=request_number)
        if period is None:
            raise LookupError(f"no information request {request_number!r}")
        if period["ended_at"] is not None:
            return period  # already closed (e.g. the application was withdrawn meanwhile)
        days = (ended_at.date() - period["started_at"].date()).days
        return self._update(
            suspension_periods,
            "request_number",
            request_number,
            {"ended_at": ended_at, "outcome": outcome, "days": days},
        )

    def suspensions(self, application_number: str) -> list[Row]:
        return self._all(suspension_periods, "started_at", application_number=application_number)

    def count_reminder(self, request_number: str) -> int:
        period = self._one(suspension_periods, request_number=request_number)
        if period is None:
            raise LookupError(f"no information request {request_number!r}")
        sent = int(period["reminders_sent"]) + 1
        self._update(suspension_periods, "request_number", request_number, {"reminders_sent": sent})
        return sent
