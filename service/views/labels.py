"""Human labels for the program's internal names: groups (lanes), messages and actors.

Pages and sentences say these, never the ids diagrams and the audit log use.
"""

from __future__ import annotations

# Each group that works a lane (the diagrams' lane names), and the two that do not.
GROUP_TITLES = {
    "reviewers": "Reviewers",
    "field_auditors": "Field auditors",
    "field_director": "Field office Director",
    "hq_regulatory_audit": "Headquarters, Regulatory Audit",
    "penalties": "Fines, Penalties and Forfeitures",
    "supervisors": "Supervisors",
    "analysts": "Process analysts",
}
# What the case waits for, per message name the diagrams use.
MESSAGE_TITLES = {
    "appeal_received": "an appeal",
    "application_withdrawn": "the application's withdrawal",
    "closing_conference_held": "the closing conference to be held",
    "corrective_action_reported": "a report of corrective action",
    "formal_investigation_commenced": "word that a formal investigation began",
    "information_received": "the requested information",
    "records_produced": "the demanded records",
    "extension_requested": "a request for more time",
    "formal_report_issued": "the formal written report",
    "report_delay_letter": "a letter saying why the report is late",
}
# Who acted, when it was not a person: actor kinds of the audit log.
ACTOR_KINDS = {"system": "the service", "timer": "a timer"}


def _spoken(name: str) -> str:
    return name.replace("_", " ").strip().capitalize() or name


def group_title(group: str | None) -> str:
    """Return a group's title; a task with no lane is the supervisors'."""
    name = group or "supervisors"
    return GROUP_TITLES.get(name, _spoken(name))


def message_title(name: str) -> str:
    """Return what a waiting message is, in words ("the requested information")."""
    return MESSAGE_TITLES.get(name, _spoken(name).lower())


def actor_label(kind: str, name: str | None = None) -> str:
    """Return who acted: a person's or integrator's name, or "the service" for the service itself."""
    if ":" in kind and name is None:  # a stored "kind:name" ("system:system", "user:rita")
        kind, name = kind.split(":", 1)
    if kind in ACTOR_KINDS:
        return ACTOR_KINDS[kind]
    if kind == "integrator" and name:
        return f"{name} (integrator)"
    return name or kind
