"""JSON endpoints the modeler's pages call (session sign-in; POSTs carry the X-CSRF-Token header)."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify

from service.actions import migration
from service.errors import FieldError, InvalidData
from service.modeler import checks, drafts, versions
from service.views import migration as migration_views
from service.web.modeler import actor, bp, int_arg, json_body, services, text_field, xml_field


@bp.get("/api/options")
def options() -> Any:
    return jsonify(checks.editor_options(services(), actor()))


@bp.post("/api/validate")
def validate() -> Any:
    return jsonify(checks.validate(services(), actor(), xml_field(json_body(), "diagram")))


@bp.post("/api/deploy")
def deploy() -> Any:
    body = json_body()
    return jsonify(
        checks.deploy(services(), actor(), xml_field(body, "diagram"), text_field(body, "note"))
    ), 201


@bp.get("/api/drafts")
def list_drafts() -> Any:
    return jsonify(drafts.list_own(services(), actor()))


@bp.post("/api/drafts")
def save_draft() -> Any:
    body = json_body()
    base = body.get("baseDefinitionId")
    if base is not None and not isinstance(base, int):
        raise InvalidData(
            "baseDefinitionId must be a number", [FieldError("baseDefinitionId", "not a number")]
        )
    saved = drafts.save(
        services(),
        actor(),
        xml_field(body, "diagram"),
        title=text_field(body, "title"),
        draft_id=text_field(body, "id"),
        base_definition_id=base,
    )
    return jsonify(saved), 200 if body.get("id") else 201


@bp.get("/api/drafts/<draft_id>")
def open_draft(draft_id: str) -> Any:
    return jsonify(drafts.open_own(services(), actor(), draft_id))


@bp.delete("/api/drafts/<draft_id>")
def delete_draft_json(draft_id: str) -> Any:
    drafts.delete_own(services(), actor(), draft_id)
    return "", 204


@bp.get("/api/processes/<key>/versions")
def list_versions(key: str) -> Any:
    return jsonify(versions.versions(services(), actor(), key))


@bp.get("/api/processes/<key>/versions/<int:version>/bpmn")
def download(key: str, version: int) -> Any:
    found = versions.xml(services(), actor(), key, version)
    return Response(
        found["xml"],
        mimetype="application/xml",
        headers={"Content-Disposition": f'attachment; filename="{found["fileName"]}"'},
    )


@bp.get("/api/processes/<key>/diff")
def diff(key: str) -> Any:
    before, after = int_arg("from"), int_arg("to")
    if before is None or after is None:
        raise InvalidData(
            "from and to are required", [FieldError("from" if before is None else "to", "required")]
        )
    return jsonify(versions.diff(services(), actor(), key, before, after))


@bp.get("/api/processes/<key>/migration")
def migration_check(key: str) -> Any:
    source = int_arg("from")
    if source is None:
        raise InvalidData("from is required", [FieldError("from", "required")])
    return jsonify(migration_views.check(services(), key, source, actor(), int_arg("to")))


@bp.post("/api/processes/<key>/migration")
def migrate(key: str) -> Any:
    body = json_body()
    source, target, cases = body.get("fromVersion"), body.get("toVersion"), body.get("instanceIds")
    if not isinstance(source, int):
        raise InvalidData("fromVersion is required", [FieldError("fromVersion", "a version number")])
    if target is not None and not isinstance(target, int):
        raise InvalidData("toVersion must be a number", [FieldError("toVersion", "a version number")])
    if cases is not None and not (isinstance(cases, list) and all(isinstance(c, str) for c in cases)):
        raise InvalidData("instanceIds must be a list of ids", [FieldError("instanceIds", "a list of ids")])
    return jsonify(migration.migrate(services(), key, source, actor(), target, cases))
