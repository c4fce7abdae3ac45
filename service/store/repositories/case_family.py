"""Read-only queries of a case's family of instances and what its history holds.

The family rule: a case is the instances started under its business key (their call activities,
``information_request``, ``onsite_verification``, ``appeal``, ``certification_removal``, run inside
them, in the same instance), plus, for an application, the removals, demands for records (whose
failure calls the notice of violation) and notices of violation started later for the participant
it names (the same importer number): they act on the certification the application asked for.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import ColumnElement, Connection, or_, select

from service.store.repositories.cases import lowered, starts_with
from service.store.rows import AuditRow
from service.store.rows.family import AppealRow, MemberRow, SuspensionRow
from service.store.schema import audit_log, process_instances
from service.store.schema_cases import case_index
from service.store.schema_program import appeals, suspension_periods
from service.store.typed import typed_rows

t = process_instances
MEMBER = [
    t.c.id,
    t.c.process_key,
    t.c.business_key,
    t.c.status,
    t.c.suspended,
    t.c.has_incident,
    t.c.definition_id,
    t.c.variables,
    t.c.created_at,
    t.c.updated_at,
    t.c.completed_at,
]
# Where each process names the participant (its importer number) in its variables.
IMPORTER_PATHS = {
    "application_review": ("applicant", "importer_number"),
    "certification_removal": ("importer_number",),
    "notice_of_violation": ("recordkeeper", "importer_number"),
    "record_demand": ("recordkeeper", "importer_number"),  # its failure calls notice_of_violation
}
ACTS_ON_CERTIFICATION = ("certification_removal", "notice_of_violation", "record_demand")
HISTORY_ACTIONS = ("start", "complete", "message", "suspend", "resume", "cancel")


def _text(path: tuple[str, ...]) -> ColumnElement[Any]:
    return t.c.variables[path].as_string()


class FamilyQueries:
    """Find cases and read their families; never writes."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def roots(self, business_key: str) -> list[MemberRow]:
        """Return the instances started under ``business_key``, oldest first."""
        query = select(*MEMBER).where(t.c.business_key == business_key).order_by(t.c.created_at, t.c.id)
        return typed_rows(MemberRow, self.conn.execute(query))

    def acting_on(self, importer_number: str, since: Any, exclude: Sequence[str]) -> list[MemberRow]:
        """Return removals and notices of violation for the participant started at or after ``since``."""
        matches = [
            (t.c.process_key == key) & (_text(IMPORTER_PATHS[key]) == importer_number)
            for key in ACTS_ON_CERTIFICATION
        ]
        query = (
            select(*MEMBER)
            .where(t.c.process_key.in_(ACTS_ON_CERTIFICATION), or_(*matches), t.c.created_at >= since)
            .where(t.c.id.notin_(list(exclude)))
            .order_by(t.c.created_at, t.c.id)
        )
        return typed_rows(MemberRow, self.conn.execute(query))

    def history(self, instance_ids: Sequence[str]) -> list[AuditRow]:
        """Return the family's successful starts, completions, messages and lifecycle steps, in run order."""
        query = (
            select(audit_log)
            .where(audit_log.c.instance_id.in_(list(instance_ids)), audit_log.c.outcome == "ok")
            .where(audit_log.c.action.in_(HISTORY_ACTIONS))
            .order_by(audit_log.c.id)
        )
        return typed_rows(AuditRow, self.conn.execute(query))

    def suspensions(self, application_numbers: Sequence[str]) -> list[SuspensionRow]:
        """Return every information request's suspension period of the applications, oldest first."""
        s = suspension_periods
        query = (
            select(s.c.request_number, s.c.application_number, s.c.information_needed)
            .add_columns(s.c.started_at, s.c.ended_at, s.c.outcome, s.c.days)
            .where(s.c.application_number.in_(list(application_numbers)))
            .order_by(s.c.started_at, s.c.request_number)
        )
        return typed_rows(SuspensionRow, self.conn.execute(query))

    def appeals(self, notice_numbers: Sequence[str]) -> list[AppealRow]:
        """Return the appeals of the notices, oldest first."""
        a = appeals
        query = (
            select(a.c.appeal_number, a.c.notice_number, a.c.kind, a.c.received_on)
            .add_columns(a.c.decision_due_on, a.c.decision, a.c.decided_on)
            .where(a.c.notice_number.in_(list(notice_numbers)))
            .order_by(a.c.created_at, a.c.appeal_number)
        )
        return typed_rows(AppealRow, self.conn.execute(query))

    def search(
        self, *, prefix: str | None, name: str | None, statuses: Sequence[str], offset: int, count: int
    ) -> list[MemberRow]:
        """Return cases (instances with a business key), newest first, matching every filter given."""
        # The case list's search rows (case_index) serve the prefixes from their indexes: no scan
        # of every case's variables. One home for what a case's number and applicant are.
        query = (
            select(*MEMBER)
            .join(case_index, case_index.c.instance_id == t.c.id)
            .where(t.c.business_key.is_not(None))
        )
        key, applicant = lowered(prefix), lowered(name)
        if key:
            query = query.where(starts_with(case_index.c.key_search, key))
        if applicant:
            query = query.where(starts_with(case_index.c.applicant_search, applicant))
        if statuses:
            query = query.where(t.c.status.in_(list(statuses)))
        query = query.order_by(t.c.created_at.desc(), t.c.id.desc()).offset(offset).limit(count)
        return typed_rows(MemberRow, self.conn.execute(query))
