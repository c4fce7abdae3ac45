"""The case page: diagram progress, timeline, notices, deadlines and suspensions of one case.

A user sees a case when one of their groups works a lane the case has reached (or has an open
task in); supervisors see every case. Anyone else gets the answer a missing case gets.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from service.engine import ElementStates
from service.errors import NotFound

from . import queries
from .actors import Actor

if TYPE_CHECKING:
    from service.bootstrap import Services
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
    case = queries.instance(services, instance_id)
    history = queries.history(services, instance_id)
    states = seen.states
    return {
        "case": case,
        "processName": seen.process_name or case["processKey"],
        "facts": key_facts(case["variables"], seen.start_schema),
        "highlights": _highlights(states),
        "elements": [
            {"id": element, "name": states.names.get(element, element), "state": state}
            for state in ("incidents", "active", "waiting", "completed")
            for element in getattr(states, state)
        ],
        "timeline": history,
        "notices": notices(services, instance_id),
        "suspensions": suspensions(history),
        "deadlines": case["deadlines"],
    }


def notices(services: Services, instance_id: str) -> list[dict[str, Any]]:
    """Return the notices issued in the case, newest first.

    Placeholder: the notices area (issue 3, branch ``program``) stores issued notices; until it is
    merged there is nothing to read, so the case page shows "no notices issued".
    """
    return []


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
    """Return (label, value) pairs: the start schema's fields, else the case's simple variables."""
    properties: dict[str, Any] = (start_schema or {}).get("properties", {})
    if properties:
        names = [n for n in properties if n in variables]
    else:
        names = [
            n
            for n, v in variables.items()
            if not n.startswith(("_", "spiff")) and isinstance(v, str | int | float | bool)
        ][:MAX_GUESSED_FACTS]
    return [(_label(n, properties.get(n, {})), _shown(variables[n])) for n in names]


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
