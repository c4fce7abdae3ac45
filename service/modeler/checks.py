"""Validate and deploy a diagram edited in the modeler, with the forms and schemas it uses."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from service.actions import deployment
from service.engine.inspect import executable_process_ids
from service.engine.validation import ValidationReport
from service.engine.values import DiagramSource
from service.engine.xml import DiagramUnreadable, parse_diagram
from service.errors import DeploymentRejected, DiagramIssue, FieldError, InvalidData
from service.identity.actors import Actor
from service.modeler.access import require_analyst
from service.modeler.canvas import on_canvas
from service.store import UnitOfWork

if TYPE_CHECKING:
    from service.services import Services

MAX_NOTE = 2000


@dataclass
class Prepared:
    """A diagram ready for the checks: its file name, keys, and the set it is checked in."""

    file_name: str
    process_keys: list[str]
    diagrams: deployment.DiagramSet


def editor_options(services: Services, actor: Actor) -> dict[str, Any]:
    """Return what the properties panel offers: the registry's operations and the form files."""
    require_analyst(actor)
    with services.db.unit_of_work(readonly=True) as uow:
        forms = _form_pool(services, uow)
    return {"operations": services.registry.describe(), "forms": sorted(forms)}


def prepare(services: Services, xml: bytes) -> Prepared:
    """Name the diagram as its deployed file (or ``<process id>.bpmn``) and gather its forms."""
    try:
        keys = executable_process_ids(parse_diagram("diagram.bpmn", xml))
    except DiagramUnreadable:
        keys = []
    with services.db.unit_of_work(readonly=True) as uow:
        deployed = [d for d in (uow.definitions.latest(k) for k in keys) if d is not None]
        file_name = deployed[0].source_name if deployed else f"{keys[0] if keys else 'diagram'}.bpmn"
        forms = _form_pool(services, uow)
        starts = _start_schemas(services, uow, keys)
    return Prepared(file_name, keys, deployment.DiagramSet([DiagramSource(file_name, xml)], forms, starts))


def validate(services: Services, actor: Actor, xml: bytes) -> dict[str, Any]:
    """Run every check a deployment runs, plus the modeling-tool checks; change nothing."""
    require_analyst(actor)
    prepared = prepare(services, xml)
    issues = _issues(services, prepared)
    return {
        "ok": not any(i.severity == "error" for i in issues),
        "fileName": prepared.file_name,
        "processKeys": prepared.process_keys,
        "issues": [i.as_dict() for i in issues],
    }


def deploy(services: Services, actor: Actor, xml: bytes, note: str | None) -> dict[str, Any]:
    """Deploy the diagram as the next version of its process(es); a change note is required."""
    require_analyst(actor)
    note = (note or "").strip()
    if not note:
        raise InvalidData("a change note is required", [FieldError("note", "say what changed and why")])
    if len(note) > MAX_NOTE:
        raise InvalidData(
            "the change note is too long", [FieldError("note", f"at most {MAX_NOTE} characters")]
        )
    prepared = prepare(services, xml)
    report, issues = _checked(services, prepared)
    if any(i.severity == "error" for i in issues):
        raise DeploymentRejected(issues)
    results = deployment.store(services, report, actor, note)
    return {
        "fileName": prepared.file_name,
        "deployed": [r for r in results if r["key"] in prepared.process_keys],
        "issues": [i.as_dict() for i in issues],
    }


def _issues(services: Services, prepared: Prepared) -> list[DiagramIssue]:
    return _checked(services, prepared)[1]


def _checked(services: Services, prepared: Prepared) -> tuple[ValidationReport, list[DiagramIssue]]:
    """Run the deploy checks every door runs; return the report and the edited file's issues."""
    report = deployment.review(services, prepared.diagrams)
    source = prepared.diagrams.diagrams[0]
    # Only issues of the edited diagram count: deployed callees were checked when they deployed.
    issues = [i for i in report.issues if i.file in (source.name, "") or i.rule == "form"]
    if any(i.rule == "xml" for i in issues):
        return report, issues  # no canvas to place them on
    return report, on_canvas(source.xml, issues)


def _form_pool(services: Services, uow: UnitOfWork) -> dict[str, bytes]:
    """Forms of the processes folder, then those of deployed versions the folder lacks."""
    pool: dict[str, bytes] = {}
    for definition in uow.definitions.latest_all():
        for name, form in definition.forms.items():
            pool[name] = json.dumps(form).encode()
    folder = services.settings.processes_dir / "forms"
    if folder.is_dir():
        pool.update({p.name: p.read_bytes() for p in sorted(folder.glob("*.json"))})
    return pool


def _start_schemas(services: Services, uow: UnitOfWork, keys: list[str]) -> dict[str, bytes]:
    schemas: dict[str, bytes] = {}
    for key in keys:
        path = services.settings.processes_dir / f"{key}.start.schema.json"
        latest = uow.definitions.latest(key)
        if path.is_file():
            schemas[key] = path.read_bytes()
        elif latest is not None and latest.start_schema is not None:
            schemas[key] = json.dumps(latest.start_schema).encode()
    return schemas
