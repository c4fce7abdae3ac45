"""Every operation diagrams may call, gathered for the registry: the desk method that handles it.

An operation's name is its handler's name, its parameters dataclass is the handler's annotation and
its description is the first line of the handler's docstring, so each is written once.
"""

from __future__ import annotations

import dataclasses
import inspect
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any, Generic, TypeVar, get_type_hints

from . import appeals as ap
from . import application_notices as an
from . import applications as apps
from . import audit_notices as aun
from . import audits as au
from . import demands as dm
from . import enforcement as en
from . import enforcement_notices as enn
from . import formal_report as fr
from . import staff as st
from .desk import Desk
from .ports import Ports
from .registry import CallContext, Handler, Operation

D = TypeVar("D", bound=Desk)
P = TypeVar("P")
DeskMethod = Callable[[D, P, CallContext], dict[str, Any]]


@dataclass(frozen=True)
class CatalogEntry(Generic[D, P]):
    """One operation: the desk built from each transaction's ports, its handler and the rule cited."""

    desk: type[D]
    handler: DeskMethod[D, P]
    citation: str

    @property
    def name(self) -> str:
        """Return the operation name diagrams use (the handler's name)."""
        return self.handler.__name__

    def params(self) -> type[P]:
        """Return the parameters dataclass the handler is annotated with."""
        name = list(inspect.signature(self.handler).parameters)[1]
        params: type[P] = get_type_hints(self.handler)[name]
        if not _is_dataclass_type(params):
            raise TypeError(f"handler {self.name} must annotate its parameters with a dataclass")
        return params

    def description(self) -> str:
        """Return the first line of the handler's docstring."""
        return (self.handler.__doc__ or self.name).strip().splitlines()[0]

    def build(self, ports: Ports) -> Handler[P]:
        """Return the handler bound to a desk over ``ports`` (this transaction's adapters)."""
        return partial(self.handler, self.desk(ports))

    def operation(self) -> Operation[P, Ports]:
        """Return the registry's operation: name, parameters, builder, description and citation."""
        return Operation(self.name, self.params(), self.build, self.description(), self.citation)


def _is_dataclass_type(value: object) -> bool:
    return isinstance(value, type) and dataclasses.is_dataclass(value)


def desk(cls: type[D], *handlers: tuple[DeskMethod[D, Any], str]) -> list[CatalogEntry[D, Any]]:
    """List a desk's operations: each handler with the paragraph it carries out."""
    return [CatalogEntry(cls, handler, citation) for handler, citation in handlers]


CATALOG: list[CatalogEntry[Any, Any]] = [
    # Applications (§163.12(b),(c); §163.13(b))
    *desk(
        apps.ApplicationDesk,
        (apps.ApplicationDesk.record_application, "§163.12(b)(1), §163.2(a)"),
        (apps.ApplicationDesk.open_information_request, "§163.12(c)(1)"),
        (apps.ApplicationDesk.close_information_request, "§163.12(c)(1)"),
        (apps.ApplicationDesk.record_onsite_findings, "§163.12(c)(1)"),
        (apps.ApplicationDesk.set_application_status, "§163.12(c)"),
        (apps.ApplicationDesk.certify_applicant, "§163.12(c)(2)"),
        (apps.ApplicationDesk.deny_application, "§163.13(b)"),
        (apps.ApplicationDesk.withdraw_application, "§163.12(b)"),
    ),
    *desk(
        an.ApplicationLetters,
        (an.ApplicationLetters.acknowledge_application, "§163.12(b)"),
        (an.ApplicationLetters.refuse_ineligible_applicant, "§163.12(b)(1), §163.2(a)"),
        (an.ApplicationLetters.request_information, "§163.12(c)(1)"),
        (an.ApplicationLetters.remind_information_request, "§163.12(c)(1)"),
        (an.ApplicationLetters.withdraw_information_request, "§163.12(c)(1)"),
        (an.ApplicationLetters.inform_onsite_visit, "§163.12(c)(1)"),
        (an.ApplicationLetters.notify_onsite_visit, "§163.12(c)(1)"),
        (an.ApplicationLetters.issue_certification, "§163.12(c)(2)"),
        (an.ApplicationLetters.issue_denial, "§163.13(b), §163.13(d)"),
    ),
    # Audits (§163.11)
    *desk(
        au.AuditDesk,
        (au.AuditDesk.record_petition, "§163.11(b), §163.11(c)"),
        (au.AuditDesk.schedule_closing_conference, "§163.11(b)"),
        (au.AuditDesk.record_closing_conference, "§163.11(b)"),
        (au.AuditDesk.record_investigation, "§163.11(c)"),
        (au.AuditDesk.record_audit_report, "§163.11(a)(6)"),
        (au.AuditDesk.record_report_copy_sent, "§163.11(a)(6)"),
    ),
    *desk(
        fr.FormalReportDesk,
        (fr.FormalReportDesk.open_formal_report_period, "§163.11(a)(5), §163.11(c)"),
        (fr.FormalReportDesk.record_report_delay, "§163.11(a)(5)"),
        (fr.FormalReportDesk.record_formal_report_issued, "§163.11(a)(5)"),
    ),
    *desk(
        aun.AuditLetters,
        (aun.AuditLetters.refuse_petition, "§163.11(b), §163.11(c)"),
        (aun.AuditLetters.notify_closing_conference, "§163.11(b)"),
        (aun.AuditLetters.notify_procedure_lifted, "§163.11(c)"),
        (aun.AuditLetters.transmit_audit_report, "§163.11(a)(6)"),
    ),
    # Staff reminders and escalations
    *desk(
        st.StaffDesk,
        (st.StaffDesk.remind_staff, "deadline named by the caller"),
        (st.StaffDesk.escalate_missed_deadline, "deadline named by the caller"),
    ),
    # Demands for records (§163.6(a))
    *desk(
        dm.DemandDesk,
        (dm.DemandDesk.open_record_demand, "§163.6(a)"),
        (dm.DemandDesk.receive_extension_request, "§163.6(a)"),
        (dm.DemandDesk.decide_extension_request, "§163.6(a)"),
        (dm.DemandDesk.record_records_produced, "§163.6(a)"),
        (dm.DemandDesk.record_nonproduction, "§163.6(a)"),
    ),
    # Enforcement (§163.6, §163.12(d), §163.13(c))
    *desk(
        en.EnforcementDesk,
        (en.EnforcementDesk.record_production_failure, "§163.12(d)(1)"),
        (en.EnforcementDesk.compute_penalty_ceiling, "§163.6(b)(1)"),
        (en.EnforcementDesk.refer_for_penalty, "§163.6(b)"),
        (en.EnforcementDesk.record_corrective_action, "§163.12(d)(3)"),
        (en.EnforcementDesk.propose_removal, "§163.13(c)(1)"),
        (en.EnforcementDesk.apply_removal, "§163.13(c)(3)"),
        (en.EnforcementDesk.withdraw_removal, "§163.13(d)"),
    ),
    *desk(
        enn.EnforcementLetters,
        (enn.EnforcementLetters.issue_notice_of_violation, "§163.12(d)(2)"),
        (enn.EnforcementLetters.issue_removal_notice, "§163.13(c)(2)"),
    ),
    # Appeals (§163.13(d))
    *desk(
        ap.AppealDesk,
        (ap.AppealDesk.record_appeal, "§163.13(d)"),
        (ap.AppealDesk.delay_appeal_decision, "§163.13(d)"),
        (ap.AppealDesk.decide_appeal, "§163.13(d)"),
        (ap.AppealDesk.reject_late_appeal, "§163.13(d)"),
        (ap.AppealDesk.notify_appeal_delay, "§163.13(d)"),
        (ap.AppealDesk.issue_appeal_decision, "§163.13(d)"),
    ),
]


def operations() -> list[Operation[Any, Ports]]:
    """Return the production operations (the registry's allow-list)."""
    return [entry.operation() for entry in CATALOG]
