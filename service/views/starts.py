"""The processes a staff user may start from the web, and the start form of one of them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from service.errors import Forbidden, NotFound
from service.identity.actors import STAFF_STARTS, Actor

if TYPE_CHECKING:
    from service.services import Services

# How a start schema's inputs read on screen (react-jsonschema-form's UI schema keys).
START_UI: dict[str, dict[str, Any]] = {
    "certification_removal": {
        "ui:order": ["importer_number", "proposed_grounds", "removal_facts"],
        "importer_number": {
            "ui:title": "Importer number",
            "ui:help": "The participant's importer of record number.",
        },
        "proposed_grounds": {
            "ui:title": "Proposed grounds (§163.13(c)(1))",
            "items": {
                "ui:enumNames": [
                    "(i) Fraud or mistake of fact",
                    "(ii) No valid bond",
                    "(iii) Recurring failure to provide demanded records",
                    "(iv) Willful refusal to produce a record",
                    "(v) No longer in compliance",
                    "(vi) Felony, or theft/smuggling offence",
                ]
            },
        },
        "removal_facts": {"ui:title": "Facts supporting the removal", "ui:widget": "textarea"},
    },
    "record_demand": {
        "ui:order": [
            *("demand_number", "recordkeeper", "record_description", "releases", "demanded_on"),
            *("received_on", "shorter_period_days", "shorter_period_reason"),
        ],
        "demand_number": {"ui:title": "Demand number"},
        "record_description": {"ui:title": "Record(s) demanded", "ui:widget": "textarea"},
        "releases": {
            "ui:title": "Releases concerned (§163.6(b)(1) counts penalties per release)",
            "ui:help": 'A JSON list: [{"entry_number": "123-4567890-1", "appraised_value": "12000.00"}]',
        },
        "demanded_on": {"ui:title": "Demand issued on"},
        "received_on": {"ui:title": "Demand received on (the period runs from it, §163.6(a))"},
        "shorter_period_days": {"ui:title": "Shorter period, in days (admissibility or release)"},
        "shorter_period_reason": {"ui:title": "Why the shorter period"},
    },
}


@dataclass(frozen=True)
class StartForm:
    """A process staff may start: its key, its name, its start schema and how its inputs read."""

    key: str
    name: str
    schema: dict[str, Any]
    ui: dict[str, Any]


def startable(services: Services, actor: Actor) -> list[StartForm]:
    """Return the deployed processes the actor may start from the web, by name."""
    found = []
    for key in sorted(STAFF_STARTS):
        if actor.may_start(key):
            try:
                found.append(start_form(services, key, actor))
            except NotFound:
                continue
    return sorted(found, key=lambda f: f.name)


def choices(services: Services, actor: Actor) -> list[StartForm]:
    """Return the processes the actor may start; refuse a user whose groups start none."""
    found = startable(services, actor)
    if not found:
        raise Forbidden("your groups do not start cases from the web")
    return found


def start_form(services: Services, process_key: str, actor: Actor) -> StartForm:
    """Return the start form of a process the actor may start (403 otherwise; 404 if not deployed)."""
    if process_key in STAFF_STARTS and not actor.may_start(process_key):
        raise Forbidden(f"your groups do not start {process_key}")
    with services.db.unit_of_work(readonly=True) as uow:
        definition = services.catalog.latest(uow, process_key) if process_key in STAFF_STARTS else None
    if definition is None or definition.start_schema is None:
        raise NotFound(f"staff do not start a process '{process_key}' from the web", processKey=process_key)
    name = definition.name or process_key.replace("_", " ").capitalize()
    return StartForm(process_key, name, definition.start_schema, START_UI.get(process_key, {}))
