"""The case page: diagram progress, timeline, notices, deadlines and suspensions of one case.

A user sees a case when one of their groups works a lane the case has reached (or has an open
task in); supervisors see every case. Anyone else gets the answer a missing case gets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from service.engine.values import ElementStates
from service.errors import NotFound
from service.identity.actors import Actor
from service.views import cases, instances, program

if TYPE_CHECKING:
    from service.services import Services
    from service.store import UnitOfWork

MAX_GUESSED_FACTS = 12


@dataclass(frozen=True)
class Progress:
    """Where a case stands on its diagram, and the diagram it runs on."""

    states: ElementStates
    bpmn_xml: str
    process_name: str | None
    start_schema: dict[str, Any] | None


def _progress(services: Services, uow: UnitOfWork, instance_id: str) -> Progress:
    row = uow.instances.get(instance_id)
    if row is None:
        raise NotFound(f"process instance {instance_id} does not exist", instanceId=instance_id)
    definition = services.catalog.row(uow, row.definition_id)
    bundle = services.catalog.bundle(uow, row.definition_id, row.called_definitions)
    # Reading only: no service call can run, so the script engine gets no caller.
    workflow = services.engine.restore(row.state, bundle, services.engine.script_engine(None, row.id, None))
    return Progress(
        services.engine.element_states(workflow),
        definition.bpmn_xml,
        definition.name,
        definition.start_schema,
    )


def _visible(services: Services, uow: UnitOfWork, instance_id: str, actor: Actor) -> Progress:
    progress = _progress(services, uow, instance_id)
    if actor.is_supervisor or actor.kind in ("system", "timer"):
        return progress
    open_lanes = {t["lane"] for t in uow.inbox.open_task_lanes(instance_id)}
    if actor.groups & (set(progress.states.lanes) | open_lanes):
        return progress
    raise NotFound(f"process instance {instance_id} does not exist", instanceId=instance_id)


def may_see(services: Services, instance_id: str, actor: Actor) -> bool:
    """Tell whether the actor may open the case (for links from other pages)."""
    try:
        with services.db.unit_of_work(readonly=True) as uow:
            _visible(services, uow, instance_id, actor)
    except NotFound:
        return False
    return True


def progress(services: Services, instance_id: str, actor: Actor) -> dict[str, list[str]]:
    """Return the case's completed, active, waiting and failed BPMN element ids."""
    with services.db.unit_of_work(readonly=True) as uow:
        return _highlights(_visible(services, uow, instance_id, actor).states)


def _highlights(states: ElementStates) -> dict[str, list[str]]:
    return {
        "completed": states.completed,
        "active": states.active,
        "waiting": states.waiting,
        "incidents": states.incidents,
    }


def diagram(services: Services, instance_id: str, actor: Actor) -> str:
    """Return the BPMN XML the case runs on (for the diagram viewer)."""
    with services.db.unit_of_work(readonly=True) as uow:
        return _visible(services, uow, instance_id, actor).bpmn_xml


def view(services: Services, instance_id: str, actor: Actor) -> dict[str, Any]:
    """Return everything the case page shows."""
    with services.db.unit_of_work(readonly=True) as uow:
        seen = _visible(services, uow, instance_id, actor)
    case = instances.instance(services, instance_id)
    history = instances.history(services, instance_id)
    states = seen.states
    return {
        "case": case,
        "processName": seen.process_name or case["processKey"],
        "facts": key_facts(case["variables"], seen.start_schema),
        "highlights": _highlights(states),
        "elements": elements_in_run_order(states),
        "timeline": [
            {**e, "task": states.names.get(e["task"], e["task"])} if e["task"] else e for e in history
        ],
        "notices": notices(services, case, actor),
        "suspensions": suspensions(history) + review_suspensions(services, case, actor),
        "deadlines": case["deadlines"],
        # The whole case's steps in run order: its call activities' and later removals' too.
        "caseHistory": cases.case(
            services, actor, case["businessKey"], lambda i: i == instance_id or may_see(services, i, actor)
        )["history"]
        if case["businessKey"]
        else [],
    }


def elements_in_run_order(states: ElementStates) -> list[dict[str, str]]:
    """Return the diagram's elements the case reached, with their state, in the order it ran."""
    state_of = {
        e: state for state in ("completed", "waiting", "active", "incidents") for e in getattr(states, state)
    }
    return [
        {"id": e, "name": states.names.get(e, e), "state": state_of[e]} for e in states.ran if e in state_of
    ]


def notices(services: Services, case: dict[str, Any], actor: Actor) -> list[dict[str, Any]]:
    """Return the notices issued in the case (by this instance, or under its business key), oldest first."""
    found = {n["noticeNumber"]: n for n in program.notices(services, actor, instance_id=case["id"])}
    if case["businessKey"]:
        found.update(
            {n["noticeNumber"]: n for n in program.notices(services, actor, case_ref=case["businessKey"])}
        )
    return sorted(found.values(), key=lambda n: (n["issuedAt"], n["noticeNumber"]))


def notice(services: Services, number: str, actor: Actor) -> dict[str, Any]:
    """Return a notice with its text, to a user who may see the case that issued it."""
    found = program.notice(services, actor, number)
    instance_id = found["processInstanceId"]
    if instance_id is None and not actor.is_supervisor:
        raise NotFound(f"notice {number} does not exist", noticeNumber=number)
    if instance_id is not None and not may_see(services, instance_id, actor):
        raise NotFound(f"notice {number} does not exist", noticeNumber=number)
    return found


def notice_pdf(services: Services, number: str, actor: Actor) -> bytes:
    """Return a notice's PDF exactly as issued, to a user who may see its case."""
    notice(services, number, actor)
    return program.notice_pdf(services, actor, number)


def review_suspensions(services: Services, case: dict[str, Any], actor: Actor) -> list[dict[str, Any]]:
    """Return the suspensions of an application's review for information (§163.12(c)(1))."""
    number = case["variables"].get("application_number")
    if not isinstance(number, str):
        return []
    try:
        record = program.application(services, actor, number)
    except NotFound:
        return []
    return [
        {
            "start": s["started_at"],
            "end": s["ended_at"],
            "days": s["days"],
            "by": f"information request {s['request_number']}",
            "reason": " ".join(filter(None, [s.get("information_needed"), _ended(s.get("outcome"))])),
        }
        for s in record["suspensions"]
    ]


def _ended(outcome: str | None) -> str | None:
    return (
        f"(ended: information {outcome})"
        if outcome == "received"
        else (f"(ended: {outcome})" if outcome else None)
    )


def suspensions(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return the periods the case was suspended, from the suspend/resume entries of its log.

    The program's own suspensions of an approval while information is awaited (§163.12(c)(1))
    are recorded by the program's processes and will be listed beside these when they land.
    """
    periods: list[dict[str, Any]] = []
    current: dict[str, Any] | None = None
    for entry in history:
        if entry["outcome"] != "ok":
            continue
        if entry["action"] == "suspend" and current is None:
            reason = (entry["data"] or {}).get("reason")
            current = {"start": entry["at"], "end": None, "by": entry["actor"], "reason": reason}
            periods.append(current)
        elif entry["action"] == "resume" and current is not None:
            current["end"] = entry["at"]
            current = None
    for period in periods:
        end = datetime.fromisoformat(period["end"]) if period["end"] else None
        period["days"] = (end - datetime.fromisoformat(period["start"])).days if end else None
    return periods


def key_facts(variables: dict[str, Any], start_schema: dict[str, Any] | None) -> list[tuple[str, str]]:
    """Return (label, value) pairs: the start schema's fields, else the case's simple variables.

    An object (an applicant with name and address) gives one fact per field, "Applicant: name".
    """
    properties: dict[str, Any] = (start_schema or {}).get("properties", {})
    if properties:
        names = [n for n in properties if n in variables]
    else:
        names = [
            n
            for n, v in variables.items()
            if not n.startswith(("_", "spiff")) and isinstance(v, str | int | float | bool)
        ][:MAX_GUESSED_FACTS]
    facts: list[tuple[str, str]] = []
    for name in names:
        prop, value = properties.get(name, {}), variables[name]
        label = _label(name, prop)
        if isinstance(value, dict) and value:
            inner: dict[str, Any] = prop.get("properties", {})
            order = [k for k in inner if k in value] + [k for k in value if k not in inner]
            facts += [(f"{label}: {_label(k, inner.get(k, {})).lower()}", _shown(value[k])) for k in order]
        else:
            facts.append((label, _shown(value)))
    return facts


def _label(name: str, prop: dict[str, Any]) -> str:
    return str(prop.get("title") or name.replace("_", " ").capitalize())


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "Yes" if value else "No"
    if value is None:
        return "-"
    if isinstance(value, dict | list):
        return json.dumps(value, ensure_ascii=False, sort_keys=True)
    return str(value)
