"""Deploy diagrams as definition versions: validated all together, stored once per content."""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, NotRequired, TypedDict

from service.actions import stored_decisions
from service.engine import lint
from service.engine.validation import ProcessCandidate, ValidationReport, validate
from service.engine.values import DiagramSource
from service.errors import DeploymentRejected, Duplicate
from service.store import UnitOfWork

if TYPE_CHECKING:
    from service.identity.actors import Actor
    from service.services import Services

log = logging.getLogger("rcp.deploy")
_VALIDATION_LOCK = threading.Lock()  # lxml's shared XSD object keeps one error log


@dataclass
class DiagramSet:
    """Diagrams with the forms and start schemas they use, and DMN decision tables (``.dmn``).

    A ``.dmn`` source given among ``diagrams`` is moved to ``decisions``, so every door may pass
    the files it received in one list.
    """

    diagrams: list[DiagramSource]
    forms: dict[str, bytes] = field(default_factory=dict)
    start_schemas: dict[str, bytes] = field(default_factory=dict)
    decisions: list[DiagramSource] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.decisions = self.decisions + [d for d in self.diagrams if d.name.endswith(".dmn")]
        self.diagrams = [d for d in self.diagrams if not d.name.endswith(".dmn")]


def read_directory(path: Path) -> DiagramSet:
    """Read ``*.bpmn``, ``*.dmn``, ``forms/*.json`` and ``<key>.start.schema.json`` from a folder."""
    diagrams = [DiagramSource(p.name, p.read_bytes()) for p in sorted(path.glob("*.bpmn"))]
    forms = {p.name: p.read_bytes() for p in sorted((path / "forms").glob("*.json"))}
    starts = {
        p.name.removesuffix(".start.schema.json"): p.read_bytes()
        for p in sorted(path.glob("*.start.schema.json"))
    }
    decisions = [DiagramSource(p.name, p.read_bytes()) for p in sorted(path.glob("*.dmn"))]
    return DiagramSet(diagrams, forms, starts, decisions)


def check(services: Services, diagrams: DiagramSet) -> ValidationReport:
    """Validate diagrams against the registry and the deployed processes they may call."""
    sources = diagrams.diagrams + diagrams.decisions
    with services.db.unit_of_work(readonly=True) as uow:
        context = _deployed_sources(uow, {d.name for d in sources})
        context += stored_decisions.deployed_sources(uow, diagrams.decisions)
    with _VALIDATION_LOCK:
        return validate(sources, diagrams.forms, services.registry, diagrams.start_schemas, context)


def review(services: Services, diagrams: DiagramSet) -> ValidationReport:
    """Run every deploy check: the engine's, then the modeling tools' (bpmnlint, import, layout).

    The one set of checks of every door: ``rcp deploy``/``validate``/``run``, the API and the
    modeler. A diagram the engine cannot read as XML is not handed to the modeling tools.
    """
    report = check(services, diagrams)
    unreadable = {i.file for i in report.issues if i.rule == "xml"}
    readable = [d for d in diagrams.diagrams if d.name not in unreadable]
    tools = lint.check_all(readable)
    skipped = [i for i in tools if i.rule == lint.UNAVAILABLE]
    if skipped:  # the API answers without issues: the log says what was not checked
        log.warning("%s (%s)", skipped[0].message, ", ".join(i.file for i in skipped))
    return ValidationReport(report.candidates, report.issues + tools, report.decisions)


def submit(
    services: Services,
    diagrams: DiagramSet,
    actor: Actor,
    note: str | None = None,
    *,
    keep_newer: bool = False,
) -> list[Deployed]:
    """Deploy diagrams brought through a door (CLI, API): ``review``, then ``store``.

    ``keep_newer`` (the start of ``rcp run``): content that is already *some* version of a process
    is not deployed again, so a newer version deployed from the web modeler stays the latest
    instead of being replaced by the older copy in the processes folder.
    """
    return store(services, review(services, diagrams), actor, note, keep_newer=keep_newer)


def deploy(
    services: Services,
    diagrams: DiagramSet,
    actor: Actor,
    note: str | None = None,
    *,
    keep_newer: bool = False,
) -> list[Deployed]:
    """Store diagrams the engine's checks pass (test fixtures without a layout); doors ``submit``."""
    return store(services, check(services, diagrams), actor, note, keep_newer=keep_newer)


def store(
    services: Services,
    report: ValidationReport,
    actor: Actor,
    note: str | None = None,
    *,
    keep_newer: bool = False,
) -> list[Deployed]:
    """Store the processes of a report ``check`` made; refuse the whole set if it has an error."""
    if not report.ok:
        raise DeploymentRejected(report.issues)
    try:
        return services.db.run(lambda uow: _store(services, uow, report, actor, note, keep_newer))
    except Duplicate:
        # Another deployment took the same version number at the same moment: try once more.
        return services.db.run(lambda uow: _store(services, uow, report, actor, note, keep_newer))


class Deployed(TypedDict):
    """What a deployment did with one process: a new version, or the version it already was."""

    key: str
    version: int
    id: int
    created: bool
    latestVersion: NotRequired[int]  # only when nothing new was stored


def _store(
    services: Services,
    uow: UnitOfWork,
    report: ValidationReport,
    actor: Actor,
    note: str | None,
    keep_newer: bool = False,
) -> list[Deployed]:
    now = services.clock.now()
    candidates = report.candidates
    by = stored_decisions.By(actor.kind, actor.name, note, now)
    decisions = stored_decisions.store(uow, report.decisions, by, keep_newer)
    results = []
    for c in candidates:
        pins = stored_decisions.pins_for(uow, c.decision_keys, decisions)
        results.append(_store_one(uow, c, actor, note, keep_newer, now, pins))
    # A changed table makes a new version of each deployed process using it: new cases get it.
    for user, keys in stored_decisions.users_to_reversion(uow, decisions, {c.key for c in candidates}):
        candidate, pins = stored_decisions.reversioned(uow, user, keys, decisions)
        results.append(_store_one(uow, candidate, actor, note, False, now, pins))
    uow.commit()
    return results


def _store_one(
    uow: UnitOfWork,
    c: ProcessCandidate,
    actor: Actor,
    note: str | None,
    keep_newer: bool,
    now: datetime,
    pins: stored_decisions.Pins | None = None,
) -> Deployed:
    pins = pins or stored_decisions.Pins({}, {})
    digest = c.content_hash(pins.hashes)
    latest = uow.definitions.latest(c.key)
    same = latest if latest is not None and latest.content_hash == digest else None
    if same is None and keep_newer and latest is not None:
        same = uow.definitions.by_content(c.key, digest)
    if same is not None:
        newest = latest.version if latest else same.version
        return Deployed(key=c.key, version=same.version, id=same.id, created=False, latestVersion=newest)
    version = (latest.version if latest else 0) + 1
    new_id = uow.definitions.add(
        key=c.key,
        version=version,
        name=c.name,
        content_hash=digest,
        source_name=c.source_name,
        bpmn_xml=c.xml.decode("utf-8"),
        forms=c.forms,
        start_schema=c.start_schema,
        called_keys=c.called_keys,
        start_messages=c.start_messages,
        deployed_at=now,
        deployed_by=f"{actor.kind}:{actor.name}",
        note=note,
    )
    uow.decisions.pin(new_id, pins.ids)
    stored = {"key": c.key, "version": version, "note": note}
    uow.audit.append(
        at=now, actor_kind=actor.kind, actor=actor.name, action="deploy", outcome="ok", data=stored
    )
    return Deployed(key=c.key, version=version, id=new_id, created=True)


def _deployed_sources(uow: UnitOfWork, own_names: set[str]) -> list[DiagramSource]:
    return [
        DiagramSource(d.source_name, d.bpmn_xml.encode())
        for d in uow.definitions.latest_all()
        if d.source_name not in own_names
    ]
