"""A task form's documents: their bytes stored before the completion, their rows written in it.

A form declares a file input as a property with ``"format": "binary"`` or a ``contentMediaType``:
``{"type": "object", "format": "binary"}`` holds one document, ``{"type": "array", "items":
{"type": "object", "format": "binary"}}`` several. The task data receives a reference for each,
``{"document_id", "name", "sha256"}``; the rows (``actions.documents.record``) and their audit
entries commit with the completion or not at all (a blob left behind is swept later).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, TypedDict

from service.actions import documents, tasks
from service.actions.tasks import Attach, Completed, Submission
from service.errors import FieldError, InvalidData
from service.identity.actors import Actor
from service.store import UnitOfWork
from service.store.rows import InstanceRow, TaskRow
from service.store.rows.documents import DocumentRow
from service.views import open_tasks

if TYPE_CHECKING:
    from service.services import Services


class DocumentRef(TypedDict):
    """What the task data keeps of a document its form attached."""

    document_id: str
    name: str
    sha256: str


def is_file(prop: Any) -> bool:
    """Say whether a form property is a file input (one document)."""
    return isinstance(prop, Mapping) and (prop.get("format") == "binary" or "contentMediaType" in prop)


def file_properties(schema: Mapping[str, Any] | None) -> dict[str, bool]:
    """Return the form's top-level file inputs, each with whether it takes several documents."""
    found = {}
    for name, prop in ((schema or {}).get("properties") or {}).items():
        if is_file(prop):
            found[name] = False
        elif isinstance(prop, Mapping) and prop.get("type") == "array" and is_file(prop.get("items")):
            found[name] = True
    return found


def complete(
    services: Services,
    task_id: str,
    submitted: Submission,
    uploads: Mapping[str, list[documents.Upload]],
    actor: Actor,
    *,
    must_hold: bool = False,
) -> Completed:
    """Store the uploads' bytes (refused: 413, 415, 422), then complete the task attaching them."""
    staged = {name: [documents.stage(services, u) for u in files] for name, files in uploads.items() if files}
    if not staged:
        return tasks.complete(services, task_id, submitted, actor, must_hold=must_hold)
    attach = _attaching(services, actor, staged)
    return tasks.complete(services, task_id, submitted, actor, must_hold=must_hold, attach=attach)


def _attaching(services: Services, actor: Actor, staged: dict[str, list[documents.Staged]]) -> Attach:
    def attach(uow: UnitOfWork, row: InstanceRow, task: TaskRow) -> dict[str, Any]:
        inputs = file_properties(open_tasks.form_of(services, uow, task, row).schema)
        unknown = [
            FieldError(name, "this form has no file input here") for name in staged if name not in inputs
        ]
        if unknown:
            raise InvalidData("the form has no such file input", unknown)
        if not row.business_key:
            flaw = "the case has no number, so no document can be attached to it"
            raise InvalidData(flaw, [FieldError(name, flaw) for name in staged])
        now, about = services.clock.now(), documents.About(answers=task.label, task_id=task.id)
        added: dict[str, Any] = {}
        for name, files in staged.items():
            if len(files) > 1 and not inputs[name]:
                raise InvalidData("one document only", [FieldError(name, "choose one file only")])
            refs = [ref(documents.record(uow, s, row.business_key, actor, now, about)) for s in files]
            added[name] = refs if inputs[name] else refs[0]
        return added

    return attach


def ref(row: DocumentRow) -> DocumentRef:
    """Return the task data's reference to an attached document."""
    return DocumentRef(document_id=row["id"], name=row["name"], sha256=row["sha256"])
