"""Incidents over the API: list them, retry an instance after the fix (background work)."""

from __future__ import annotations

from typing import Any

from flask import jsonify, request

from service.cases import incidents
from service.errors import FieldError, InvalidData

from . import bp, require, services


@bp.get("/incidents")
def list_incidents() -> Any:
    caller = require("read")
    args = request.args
    try:
        limit = int(args.get("limit", "100"))
    except ValueError:
        raise InvalidData("limit must be a number", [FieldError("limit", "expected an integer")]) from None
    found = incidents.listing(
        services(),
        caller,
        status=args.get("status", "open"),
        process_key=args.get("processKey"),
        business_key=args.get("businessKey"),
        limit=limit,
    )
    return jsonify(found)


@bp.post("/process-instances/<instance_id>/retry")
def retry_instance(instance_id: str) -> Any:
    caller = require("start")
    return jsonify(incidents.retry(services(), instance_id, caller))
