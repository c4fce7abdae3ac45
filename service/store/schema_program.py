"""The program's data service: recordkeepers, applications, audits, demands, notices, appeals.

These tables hold the business facts of 19 CFR 163.11-163.13 (not engine state): handlers read and
write them through the ports in ``handlers/``, inside the transaction of the step that calls them.
Nothing here is ever deleted; notices are never updated once issued.
"""

from __future__ import annotations

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    ForeignKey,
    Integer,
    LargeBinary,
    Numeric,
    String,
    Table,
    Text,
)

from service.store.schema import ID, UtcDateTime, metadata

NUMBER = String(60)  # business identifiers: application, audit, demand, notice, appeal numbers
MONEY = Numeric(14, 2)

program_counters = Table(
    "program_counters",
    metadata,
    # Next number per series (e.g. notices of 2026): incremented under the row lock.
    Column("series", String(60), primary_key=True),
    Column("value", Integer, nullable=False),
)

recordkeepers = Table(
    "recordkeepers",
    metadata,
    Column("id", ID, primary_key=True),
    Column("importer_number", NUMBER, nullable=False, unique=True),
    Column("name", String(300), nullable=False),
    Column("email", String(300)),
    Column("address", Text),
    Column("recordkeeper_class", String(60)),  # §163.2(a) class
    Column("bond_status", String(20), nullable=False),  # valid | none | unknown
    # none | applied | certified | denied | removal_pending | removed
    Column("certification_status", String(30), nullable=False),
    Column("certification_number", NUMBER),
    Column("certified_on", Date),
    Column("certification_conditions", JSON),
    Column("removal_effective_on", Date),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

applications = Table(
    "applications",
    metadata,
    Column("application_number", NUMBER, primary_key=True),
    Column("recordkeeper_id", ID, ForeignKey("recordkeepers.id"), nullable=False, index=True),
    Column("received_on", Date, nullable=False),
    Column("recordkeeper_class", String(60)),
    Column("showing", JSON, nullable=False),  # §163.12(b)(3)(i)-(vi)
    Column("business", JSON, nullable=False),  # size and nature, import volume
    Column("alternative_program", Text),
    Column("status", String(30), nullable=False, index=True),
    Column("onsite_findings", JSON),
    Column("decision", String(20)),
    Column("decided_on", Date),
    Column("denial_grounds", JSON),
    Column("denial_reasons", Text),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

suspension_periods = Table(
    "suspension_periods",
    metadata,
    # §163.12(c)(1): an information request may suspend the review until the information arrives.
    Column("request_number", NUMBER, primary_key=True),
    Column(
        "application_number",
        NUMBER,
        ForeignKey("applications.application_number"),
        nullable=False,
        index=True,
    ),
    Column("information_needed", Text, nullable=False),
    Column("started_at", UtcDateTime, nullable=False),
    Column("ended_at", UtcDateTime),
    Column("outcome", String(20)),  # received | withdrawn | cancelled
    Column("days", Integer),
    Column("reminders_sent", Integer, nullable=False),
)

audits = Table(
    "audits",
    metadata,
    Column("audit_number", NUMBER, primary_key=True),
    Column("auditee_name", String(300), nullable=False),
    Column("auditee_email", String(300)),
    Column("auditee_address", Text),
    Column("estimated_termination_on", Date),
    Column("actual_termination_on", Date),
    Column("closing_conference_held", Boolean, nullable=False),
    Column("closing_conference_on", Date),
    Column("closing_conference_place", Text),
    Column("petition_received_on", Date),
    Column("petition_status", String(30)),  # ineligible | scheduled | held | lifted
    Column("investigation_commenced_on", Date),
    Column("report_completed_on", Date),
    Column("report_title", String(300)),
    Column("report_copy_sent_on", Date),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

deadline_misses = Table(
    "deadline_misses",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("case_ref", NUMBER, nullable=False, index=True),
    Column("instance_id", ID, index=True),
    Column("rule", String(60), nullable=False),  # the citation that set the deadline
    Column("due_on", Date, nullable=False),
    Column("what", Text, nullable=False),
    Column("recorded_at", UtcDateTime, nullable=False),
    Column("lifted_at", UtcDateTime),  # e.g. a formal investigation lifted it (§163.11(c))
)

demands = Table(
    "demands",
    metadata,
    # §163.6(a): a demand for entry records; §163.12(d): a certified participant failed to produce.
    Column("demand_number", NUMBER, primary_key=True),
    Column("recordkeeper_id", ID, ForeignKey("recordkeepers.id"), nullable=False, index=True),
    Column("record_description", Text, nullable=False),
    Column("releases", JSON, nullable=False),  # [{entry_number, appraised_value}] (§163.6(b)(1))
    Column("demanded_on", Date, nullable=False),
    Column("due_on", Date, nullable=False),
    Column("status", String(30), nullable=False),  # not_produced | corrective_action_reported
    Column("created_at", UtcDateTime, nullable=False),
)

violations = Table(
    "violations",
    metadata,
    # The violation history: notices of violation and penalty referrals (§163.12(d), §163.6(b)).
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("recordkeeper_id", ID, ForeignKey("recordkeepers.id"), nullable=False, index=True),
    Column("demand_number", NUMBER, ForeignKey("demands.demand_number"), nullable=False),
    Column("kind", String(30), nullable=False),  # notice_of_violation | penalty_referral
    Column("culpability", String(20)),  # willful | negligent (penalty referrals)
    Column("repeat", Boolean, nullable=False),
    Column("notice_number", NUMBER),
    Column("ceilings", JSON),  # per release: entry number, appraised value, ceiling (strings)
    Column("ceiling_total", MONEY),
    Column("penalty_case_number", NUMBER),
    Column("corrective_action", Text),
    Column("corrective_action_on", Date),
    Column("recorded_at", UtcDateTime, nullable=False),
)

removals = Table(
    "removals",
    metadata,
    # §163.13(c): removal of certification, its grounds and when it takes effect.
    Column("removal_number", NUMBER, primary_key=True),
    Column("recordkeeper_id", ID, ForeignKey("recordkeepers.id"), nullable=False, index=True),
    Column("grounds", JSON, nullable=False),  # §163.13(c)(1)(i)-(vi)
    Column("statement", Text, nullable=False),
    Column("immediate_basis", String(40)),  # willfulness | public_health_interest_safety | None
    Column("notice_number", NUMBER),
    Column("status", String(30), nullable=False),  # proposed | effective | withdrawn
    Column("effective_on", Date),
    Column("created_at", UtcDateTime, nullable=False),
    Column("updated_at", UtcDateTime, nullable=False),
)

notices = Table(
    "notices",
    metadata,
    # Immutable once written: to whom, when, what it said, and the rule that required it.
    Column("notice_number", NUMBER, primary_key=True),
    Column("step_key", String(300), nullable=False, unique=True),  # a retried step finds its notice
    Column("kind", String(60), nullable=False, index=True),
    Column("case_ref", NUMBER, nullable=False, index=True),
    Column("instance_id", ID, index=True),
    Column("recipient_name", String(300), nullable=False),
    Column("recipient_email", String(300)),
    Column("recipient_address", Text),
    Column("issued_at", UtcDateTime, nullable=False),
    Column("issued_on", Date, nullable=False),
    Column("rule_cited", String(200), nullable=False),
    Column("subject", String(300), nullable=False),
    Column("body", Text, nullable=False),
    Column("pdf", LargeBinary, nullable=False),
    Column("sha256", String(64), nullable=False),  # of body and PDF, to show nothing changed
    Column("facts", JSON, nullable=False),  # dates the notice states (e.g. appeal window closes)
)

appeals = Table(
    "appeals",
    metadata,
    # §163.13(d): appeals of a denial or a removal to headquarters.
    Column("appeal_number", NUMBER, primary_key=True),
    Column("notice_number", NUMBER, ForeignKey("notices.notice_number"), nullable=False, index=True),
    Column("kind", String(20), nullable=False),  # denial | removal
    Column("appellant", String(300), nullable=False),
    Column("grounds", Text),
    Column("received_on", Date, nullable=False),
    Column("window_closes_on", Date, nullable=False),
    Column("timely", Boolean, nullable=False),
    Column("decision_due_on", Date),
    Column("delays", JSON, nullable=False),
    Column("decision", String(20)),  # upheld | reversed | rejected_late
    Column("decision_reasons", Text),
    Column("decided_on", Date),
    Column("created_at", UtcDateTime, nullable=False),
)
