"""The case record as evidence: one archive of the whole case family, and its check against the log.

The archive (``record_archive``) holds the case as ``views.cases`` reads it, every audit entry of
the family's instances with its chain position and hash (the timeline: every action, actor and
time, refusals included), each decision with the data before and after, every notice (text, PDF
and facts) and every document, with a manifest of SHA-256 hashes carrying the case's audit chain
head, so the record can be checked against the live audit log later (``live_check``).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from service.errors import Forbidden, NotFound
from service.identity.actors import Actor
from service.store.audit_chain import instant
from service.store.repositories.case_record import ChainedEntry, entries_at, entries_of
from service.views import casefile, cases, documents, program
from service.views.audit import verify_chain
from service.views.record_archive import DOCUMENTS, TIMELINE, ChainHead, RecordFile, manifest, pack, to_json

if TYPE_CHECKING:
    from service.services import Services

PAGE = 100  # documents read per query
README = """\
The record of case {key}, exported {at} by {by}.

manifest.json   every other file's path, size and SHA-256, and the case's audit chain head
case.json       the case as the service reads it: family, stage, deadlines, appeals, history
timeline.json   every audit log entry of the family (action, actor, time, outcome, data) with
                its chain position and hashes, and the case history in the order it ran
decisions.json  each completed task: who, when, the data before and the data decided
notices/        each notice as issued: .txt (text), .pdf (exactly as issued), .json (facts)
documents.json  every document of the case (name, type, size, SHA-256, who, when, what it
                answers; deleted ones as tombstones with who, when and why)
documents/      each live document's bytes, named by its id and name

Check it with: rcp case verify {name}
(each file against the manifest; the audit entries against their hashes and, where the service
is reachable, against the live audit log).
"""


@dataclass(frozen=True)
class Export:
    """A packed record: the archive's file name and bytes."""

    name: str
    content: bytes


def safe_name(text: str) -> str:
    """Return ``text`` as a file name part: letters, digits, ``-``, ``_`` and ``.`` only."""
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text).strip(".")[:100] or "record"


def export(
    services: Services, actor: Actor, business_key: str, shown: Callable[[str], bool] | None = None
) -> Export:
    """Return the archive of the case ``business_key`` (``shown``: the members the reader may open)."""
    case = cases.case(services, actor, business_key, shown)
    ids = [m["id"] for m in case["family"]]
    with services.db.unit_of_work(readonly=True) as uow:
        entries = entries_of(uow.conn, ids)
    now, by = services.clock.now(), f"{actor.kind}:{actor.name}"
    name = f"{safe_name(business_key)}-record.zip"
    files = [
        RecordFile(
            "README.txt", README.format(key=business_key, at=now.isoformat(), by=by, name=name).encode()
        ),
        RecordFile("case.json", to_json(case)),
        RecordFile(
            TIMELINE, to_json({"auditEntries": [_entry(e) for e in entries], "history": case["history"]})
        ),
        RecordFile("decisions.json", to_json(decisions(entries, case["decisions"]))),
        *_notices(services, actor, case["notices"]),
        *_documents(
            services, actor, list(dict.fromkeys(m["businessKey"] for m in case["family"] if m["businessKey"]))
        ),
    ]
    last = entries[-1] if entries else None
    head = ChainHead(seq=last["seq"], hash=last["hash"], entries=len(entries)) if last else None
    return Export(name, pack(files, manifest(business_key, now, by, head, files), now))


def export_for_page(services: Services, instance_id: str, actor: Actor) -> Export:
    """Return the archive of the case an instance belongs to, as the case page's reader may see it."""
    if not casefile.may_see(services, instance_id, actor):
        raise NotFound(f"process instance {instance_id} does not exist", instanceId=instance_id)
    with services.db.unit_of_work(readonly=True) as uow:
        row = uow.instances.get(instance_id)
    if row is None or not row.business_key:  # no case number: no family to export
        raise NotFound(f"process instance {instance_id} has no case number", instanceId=instance_id)
    return export(
        services, actor, row.business_key, lambda i: i == instance_id or casefile.may_see(services, i, actor)
    )


def _entry(e: ChainedEntry) -> dict[str, Any]:
    """Return an audit entry as the archive keeps it: the hashed content under the log's names."""
    return {**{k: v for k, v in e.items() if k != "id"}, "at": instant(e["at"])}


def decisions(entries: Sequence[ChainedEntry], shown: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Return each completed task with the value each field held before it and what was decided.

    "Before" is what the record held for each field the decision set: the start variables, the
    messages' variables and earlier decisions of the same instance (null where none set it).
    Values a script computed between them are not audited, so they are not shown.
    """
    labels = {d["element"]: d["task"] for d in shown}
    known: dict[str | None, dict[str, Any]] = {}
    found = []
    for e in entries:
        if e["outcome"] != "ok" or not isinstance(e["data"], dict):
            continue
        held = known.setdefault(e["instance_id"], {})
        if e["action"] in ("start", "message"):
            held.update(e["data"].get("variables") or {})
        elif e["action"] == "complete":
            after = e["data"]
            element = e["task_name"] or ""
            found.append(
                {
                    "at": instant(e["at"]),
                    "actor": e["actor"],
                    "actorKind": e["actor_kind"],
                    "task": labels.get(element, element.replace("_", " ").capitalize()),
                    "element": element,
                    "taskId": e["task_id"],
                    "processInstanceId": e["instance_id"],
                    "auditSeq": e["seq"],
                    "before": {k: held.get(k) for k in after},
                    "after": after,
                }
            )
            held.update(after)
    return found


def _notices(services: Services, actor: Actor, listed: Sequence[dict[str, Any]]) -> list[RecordFile]:
    files = []
    for n in listed:
        number = n["noticeNumber"]
        full, pdf = program.notice(services, actor, number), program.notice_pdf(services, actor, number)
        base = f"notices/{safe_name(number)}"
        facts = {k: v for k, v in full.items() if k != "text"}
        files += [
            RecordFile(f"{base}.txt", str(full["text"]).encode()),
            RecordFile(f"{base}.pdf", pdf),
            RecordFile(f"{base}.json", to_json(facts)),
        ]
    return files


def _documents(services: Services, actor: Actor, keys: Sequence[str]) -> list[RecordFile]:
    """Return ``documents.json`` (every document, tombstones too) and each live document's bytes."""
    try:
        documents.may_read(actor)
    except Forbidden:  # an integrator without the documents scope: the list says they are withheld
        return [RecordFile(DOCUMENTS, to_json({"withheld": "reading documents needs the 'documents' scope"}))]
    listed, files = [], []
    for item in (d for key in keys for d in _listed(services, actor, key)):
        path = None if item["deleted"] else document_path(item["id"], item["name"])
        if path is not None:
            _, stream = documents.content(services, actor, item["businessKey"], item["id"])
            with stream:
                files.append(RecordFile(path, stream.read()))
        listed.append({**item, "file": path})  # the file's hash in the manifest must be its sha256
    return [RecordFile(DOCUMENTS, to_json({"documents": listed})), *files]


def _listed(services: Services, actor: Actor, key: str) -> list[documents.DocumentItem]:
    found: list[documents.DocumentItem] = []
    while True:
        page = documents.listing(services, actor, key, len(found), PAGE)
        found += page
        if len(page) < PAGE:
            return found


def document_path(document_id: str, name: str) -> str:
    """Return where a document's bytes sit in the archive: its id, then its sanitised name."""
    return f"documents/{safe_name(document_id)}-{safe_name(name)}"


def live_check(services: Services, entries: Sequence[tuple[int, str]], head: ChainHead | None) -> list[str]:
    """Say where the live audit log no longer holds what the record exported (empty: it holds)."""
    with services.db.unit_of_work(readonly=True) as uow:
        live = {e["seq"]: e["hash"] for e in entries_at(uow.conn, [seq for seq, _ in entries])}
    if entries and not set(live) & {seq for seq, _ in entries}:
        return ["the live audit log holds none of the record's entries: not the system that made it?"]
    problems = [
        f"audit entry seq {seq}: "
        + ("missing from the live log" if seq not in live else "differs in the live log")
        for seq, digest in entries
        if live.get(seq) != digest
    ]
    verdict = verify_chain(services)
    if head is not None and verdict.broken is not None and verdict.broken.seq <= head["seq"]:
        problems.append(f"the live audit chain breaks at seq {verdict.broken.seq}: {verdict.broken.problem}")
    elif head is not None and verdict.head_seq < head["seq"]:
        problems.append(
            f"the live audit log ends at seq {verdict.head_seq}, before the record's head {head['seq']}"
        )
    return problems
