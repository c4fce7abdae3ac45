"""The building blocks of the API's schemas and the component table every area adds to."""

from __future__ import annotations

from typing import Any

from service import ids

Schema = dict[str, Any]

KEY_PATTERN = r"^[A-Za-z_][A-Za-z0-9_.-]{0,199}$"
from service.identity.tokens import SCOPES  # noqa: E402  (one home for the scopes)


def ref(name: str) -> Schema:
    if name not in COMPONENTS:
        raise KeyError(f"no schema component {name}")
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: Schema) -> Schema:
    kind = schema.get("type")
    if isinstance(kind, str):
        return {**schema, "type": [kind, "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def obj(required: list[str], closed: bool = False, **properties: Schema) -> Schema:
    schema: Schema = {"type": "object", "required": required, "properties": properties}
    if closed:
        schema["additionalProperties"] = False
    return schema


def page_of(item: str) -> Schema:
    return obj(
        ["items", "next"],
        items={"type": "array", "items": ref(item)},
        next={**nullable(STRING), "description": "pass as `cursor` for the next page; null at the end"},
    )


# The control characters every request string is refused for (``service.limits``; a unit test
# holds the two equal), as a regular-expression class body.
CONTROL_RANGES = r"\x00-\x08\x0b\x0c\x0e-\x1f"
STRING: Schema = {"type": "string"}
TEXT: Schema = {"type": "string", "maxLength": 2000}
ID: Schema = {"type": "string", "minLength": 1, "maxLength": 64}
# Instances, tasks, buffered messages: UUID text (service.ids), checked before any store access.
UUID: Schema = {"type": "string", "pattern": ids.ID_PATTERN, "maxLength": ids.ID_LENGTH}
DATETIME: Schema = {"type": "string", "format": "date-time"}
NAME: Schema = {"type": "string", "minLength": 1, "maxLength": 200}
BUSINESS_KEY: Schema = {"type": "string", "minLength": 1, "maxLength": 200}
ANY_OBJECT: Schema = {"type": "object"}
INT32_MAX = 2_147_483_647
VERSION: Schema = {"type": "integer", "minimum": 1, "maximum": INT32_MAX}
VARIABLES: Schema = {
    "type": "object",
    "description": "process variables by name (plain JSON values, checked against the start schema "
    "or the task's form)",
    "propertyNames": {"pattern": r"^[A-Za-z][A-Za-z0-9_]*$", "maxLength": 100},
}
COUNT_NAMES = ["total", "waiting", "error", "completed", "cancelled", "suspended", "withIncidents"]
COUNTS: Schema = {
    "type": "object",
    "description": "instances by status; suspended and withIncidents count across statuses",
    "required": COUNT_NAMES,
    "properties": {name: {"type": "integer", "minimum": 0} for name in COUNT_NAMES},
}

COMPONENTS: dict[str, Schema] = {}
COMPONENTS["Problem"] = {
    "type": "object",
    "description": "RFC 9457 problem details",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "format": "uri-reference", "description": "links to its explanation"},
        "title": STRING,
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": STRING,
        "errors": {
            "type": "array",
            "description": "the fields that failed validation",
            "items": obj(["field", "message"], field=STRING, message=STRING),
        },
        "issues": {
            "type": "array",
            "description": "what is wrong with a rejected deployment, by file, element and line",
            "items": obj(
                ["file", "message", "severity"],
                file=STRING,
                elementId=nullable(STRING),
                line=nullable({"type": "integer"}),
                message=STRING,
                severity={"enum": ["error", "warning"]},
                rule=STRING,
            ),
        },
        "candidates": {
            "type": "array",
            "description": "the instances a message matched (409)",
            "items": STRING,
        },
        "requiredScope": {"enum": list(SCOPES)},
    },
}
