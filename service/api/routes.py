"""API routes: each parses, calls one service function and returns JSON."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from flask import jsonify, request

from service.cases import lifecycle, messages, queries, tasks
from service.errors import FieldError, InvalidData
from service.store.repositories.derived import TaskFilter

from . import bp, json_body, require, services


def _variables(body: dict[str, Any]) -> dict[str, Any]:
    variables = body.get("variables", {})
    if not isinstance(variables, dict):
        raise InvalidData("variables must be an object", [FieldError("variables", "expected an object")])
    return variables


@bp.post("/process-definitions/<key>/start")
def start_instance(key: str) -> Any:
    caller = require("start")
    body = json_body()
    outcome = lifecycle.start(services(), key, _variables(body), caller, business_key=body.get("businessKey"))
    return jsonify(queries.instance(services(), outcome.instance_id)), 201


@bp.get("/process-instances/<instance_id>")
def get_instance(instance_id: str) -> Any:
    require("read")
    return jsonify(queries.instance(services(), instance_id))


@bp.get("/process-instances/<instance_id>/history")
def get_history(instance_id: str) -> Any:
    require("read")
    return jsonify(queries.history(services(), instance_id))


@bp.get("/tasks")
def list_tasks() -> Any:
    caller = require("read")
    args = request.args
    group = args.get("candidateGroup")
    f = TaskFilter(
        candidate_groups=[group] if group else None,
        assignee=args.get("assignee"),
        unassigned=args.get("unassigned") == "true",
        instance_id=args.get("processInstanceId"),
        business_key=args.get("businessKey"),
        due_before=_datetime_arg("dueBefore"),
        limit=min(int(args.get("maxResults", "50")), 500),
        offset=int(args.get("firstResult", "0")),
    )
    return jsonify(queries.tasks(services(), caller, f))


@bp.post("/tasks/<task_id>/complete")
def complete_task(task_id: str) -> Any:
    caller = require("tasks")
    body = json_body()
    outcome = tasks.complete(
        services(), task_id, _variables(body), caller, expected_version=body.get("version")
    )
    return jsonify(outcome.summary())


@bp.post("/messages")
def deliver_message() -> Any:
    caller = require("message")
    body = json_body()
    name = body.get("messageName")
    if not isinstance(name, str) or not name:
        raise InvalidData("messageName is required", [FieldError("messageName", "required")])
    outcome = messages.deliver(
        services(),
        name,
        caller,
        business_key=body.get("businessKey"),
        instance_id=body.get("processInstanceId"),
        correlation_keys=body.get("correlationKeys") or {},
        variables=_variables(body),
    )
    return jsonify(outcome.summary())


def _datetime_arg(name: str) -> datetime | None:
    raw = request.args.get(name)
    if not raw:
        return None
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise InvalidData(
            f"{name} must be an ISO 8601 date-time", [FieldError(name, "not a date-time")]
        ) from None
    if value.tzinfo is None:
        raise InvalidData(f"{name} needs a time zone", [FieldError(name, "add Z or an offset")])
    return value
