"""Every operation diagrams may call, gathered for the registry."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from . import appeals as ap
from . import application_notices as an
from . import applications as apps
from . import audit_notices as aun
from . import audits as au
from . import enforcement as en
from . import enforcement_notices as enn
from . import staff as st
from .desk import Desk
from .ports import Ports
from .registry import Operation

# operation name -> (desk class, parameters dataclass, citation)
OPERATIONS: dict[str, tuple[type[Desk], type[Any], str]] = {
    # Applications (§163.12(b),(c); §163.13(b))
    "record_application": (apps.ApplicationDesk, apps.RecordApplication, "§163.12(b)(1), §163.2(a)"),
    "open_information_request": (apps.ApplicationDesk, apps.OpenInformationRequest, "§163.12(c)(1)"),
    "close_information_request": (apps.ApplicationDesk, apps.CloseInformationRequest, "§163.12(c)(1)"),
    "record_onsite_findings": (apps.ApplicationDesk, apps.RecordOnsiteFindings, "§163.12(c)(1)"),
    "set_application_status": (apps.ApplicationDesk, apps.SetApplicationStatus, "§163.12(c)"),
    "certify_applicant": (apps.ApplicationDesk, apps.CertifyApplicant, "§163.12(c)(2)"),
    "deny_application": (apps.ApplicationDesk, apps.DenyApplication, "§163.13(b)"),
    "withdraw_application": (apps.ApplicationDesk, apps.WithdrawApplication, "§163.12(b)"),
    "acknowledge_application": (an.ApplicationLetters, an.ApplicationNotice, "§163.12(b)"),
    "refuse_ineligible_applicant": (an.ApplicationLetters, an.ApplicationNotice, "§163.12(b)(1), §163.2(a)"),
    "request_information": (an.ApplicationLetters, an.InformationNotice, "§163.12(c)(1)"),
    "remind_information_request": (an.ApplicationLetters, an.InformationNotice, "§163.12(c)(1)"),
    "withdraw_information_request": (an.ApplicationLetters, an.InformationNotice, "§163.12(c)(1)"),
    "inform_onsite_visit": (an.ApplicationLetters, an.ApplicationNotice, "§163.12(c)(1)"),
    "notify_onsite_visit": (an.ApplicationLetters, an.OnsiteVisitNotice, "§163.12(c)(1)"),
    "issue_certification": (an.ApplicationLetters, an.ApplicationNotice, "§163.12(c)(2)"),
    "issue_denial": (an.ApplicationLetters, an.ApplicationNotice, "§163.13(b), §163.13(d)"),
    # Audits (§163.11)
    "record_petition": (au.AuditDesk, au.RecordPetition, "§163.11(b), §163.11(c)"),
    "schedule_closing_conference": (au.AuditDesk, au.ScheduleConference, "§163.11(b)"),
    "record_closing_conference": (au.AuditDesk, au.RecordConference, "§163.11(b)"),
    "record_investigation": (au.AuditDesk, au.RecordInvestigation, "§163.11(c)"),
    "record_audit_report": (au.AuditDesk, au.RecordAuditReport, "§163.11(a)(6)"),
    "record_report_copy_sent": (au.AuditDesk, au.RecordReportCopy, "§163.11(a)(6)"),
    "refuse_petition": (aun.AuditLetters, aun.PetitionRefusal, "§163.11(b), §163.11(c)"),
    "notify_closing_conference": (aun.AuditLetters, aun.AuditNotice, "§163.11(b)"),
    "notify_procedure_lifted": (aun.AuditLetters, aun.ProcedureLifted, "§163.11(c)"),
    "transmit_audit_report": (aun.AuditLetters, aun.AuditNotice, "§163.11(a)(6)"),
    # Staff reminders and escalations
    "remind_staff": (st.StaffDesk, st.StaffDeadline, "deadline named by the caller"),
    "escalate_missed_deadline": (st.StaffDesk, st.StaffDeadline, "deadline named by the caller"),
    # Enforcement (§163.6, §163.12(d), §163.13(c))
    "record_production_failure": (en.EnforcementDesk, en.RecordProductionFailure, "§163.12(d)(1)"),
    "compute_penalty_ceiling": (en.EnforcementDesk, en.PenaltyCeiling, "§163.6(b)(1)"),
    "refer_for_penalty": (en.EnforcementDesk, en.PenaltyReferral, "§163.6(b)"),
    "record_corrective_action": (en.EnforcementDesk, en.CorrectiveAction, "§163.12(d)(3)"),
    "propose_removal": (en.EnforcementDesk, en.ProposeRemoval, "§163.13(c)(1)"),
    "apply_removal": (en.EnforcementDesk, en.RemovalStep, "§163.13(c)(3)"),
    "withdraw_removal": (en.EnforcementDesk, en.RemovalStep, "§163.13(d)"),
    "issue_notice_of_violation": (enn.EnforcementLetters, enn.ViolationNotice, "§163.12(d)(2)"),
    "issue_removal_notice": (enn.EnforcementLetters, enn.RemovalNotice, "§163.13(c)(2)"),
    # Appeals (§163.13(d))
    "record_appeal": (ap.AppealDesk, ap.RecordAppeal, "§163.13(d)"),
    "delay_appeal_decision": (ap.AppealDesk, ap.DelayAppeal, "§163.13(d)"),
    "decide_appeal": (ap.AppealDesk, ap.DecideAppeal, "§163.13(d)"),
    "reject_late_appeal": (ap.AppealDesk, ap.AppealNotice, "§163.13(d)"),
    "notify_appeal_delay": (ap.AppealDesk, ap.AppealNotice, "§163.13(d)"),
    "issue_appeal_decision": (ap.AppealDesk, ap.AppealNotice, "§163.13(d)"),
}


def _builder(desk: type[Desk], name: str) -> Callable[[Ports], Any]:
    return lambda ports: getattr(desk(ports), name)


def operations() -> list[Operation[Any, Ports]]:
    """Return the production operations (the registry's allow-list)."""
    found = []
    for name, (desk, params, citation) in OPERATIONS.items():
        method = getattr(desk, name)
        description = (method.__doc__ or name).strip().splitlines()[0]
        found.append(Operation(name, params, _builder(desk, name), description, citation))
    return found
