"""The modeler's decision table pages and JSON endpoints (same sign-in, roles and CSRF as diagrams)."""

from __future__ import annotations

from typing import Any

from flask import Response, jsonify, render_template, request

from service.errors import FieldError, InvalidData
from service.modeler import decisions
from service.web import security
from service.web.modeler import actor, bp, int_arg, json_body, services, text_field, xml_field


@bp.get("/decisions/<key>/edit")
def decision_edit(key: str) -> Any:
    draft = request.args.get("draft")
    if draft:
        opened = decisions.draft_for_editing(services(), actor(), key, draft)
    else:
        opened = decisions.for_editing(services(), actor(), key, int_arg("version"))
    return render_template("modeler/decision_edit.html", source=opened, csrf=security.csrf_token())


@bp.get("/decisions/<key>/versions")
def decision_versions(key: str) -> Any:
    listed = decisions.versions(services(), actor(), key)
    numbers = [v["version"] for v in listed["versions"]]
    after = int_arg("to") or numbers[0]
    before = int_arg("from") or (numbers[1] if len(numbers) > 1 else None)
    compared = decisions.diff(services(), actor(), key, before, after) if before is not None else None
    return render_template(
        "modeler/decision_versions.html", listed=listed, compared=compared, before=before, after=after
    )


@bp.get("/api/decisions/<key>/versions/<int:version>/dmn")
def decision_download(key: str, version: int) -> Any:
    found = decisions.xml(services(), actor(), key, version)
    return Response(
        found["xml"],
        mimetype="application/xml",
        headers={"Content-Disposition": f'attachment; filename="{found["fileName"]}"'},
    )


@bp.post("/api/decisions/validate")
def decision_validate() -> Any:
    body = json_body()
    return jsonify(
        decisions.validate(
            services(), actor(), text_field(body, "fileName") or "", xml_field(body, "decision table")
        )
    )


@bp.post("/api/decisions/bench")
def decision_bench() -> Any:
    body = json_body()
    decision_id, inputs = text_field(body, "decisionId"), body.get("inputs", {})
    if not decision_id:
        raise InvalidData("decisionId is required", [FieldError("decisionId", "required")])
    if not isinstance(inputs, dict):
        raise InvalidData("inputs must be an object", [FieldError("inputs", "name: value pairs")])
    return jsonify(
        decisions.try_table(services(), actor(), xml_field(body, "decision table"), decision_id, inputs)
    )


@bp.post("/api/decisions/<key>/diff")
def decision_draft_diff(key: str) -> Any:
    return jsonify(decisions.diff_draft(services(), actor(), key, xml_field(json_body(), "decision table")))


@bp.post("/api/decisions/deploy")
def decision_deploy() -> Any:
    body = json_body()
    deployed = decisions.deploy(
        services(),
        actor(),
        text_field(body, "fileName") or "",
        xml_field(body, "decision table"),
        text_field(body, "note"),
    )
    return jsonify(deployed), 201
