"""State in the document what every request string must be: free of the control characters refused.

``service.limits`` refuses C0 control characters (NUL and the like; tab, LF and CR pass) in every
query value, header and body string, names included, at any depth. The declared schemas leave that
rule out (it has one home, in ``limits``); the OpenAPI document adds it to what requests carry, so
a client, or a generator of test data, that follows the document is never refused for it.
"""

from __future__ import annotations

from typing import Any

from service.api import schemas as S

CONTROL_RANGES = S.CONTROL_RANGES
TEXT_PATTERN = f"^[^{CONTROL_RANGES}]*$"
PLAIN_JSON = "PlainJson"
PLAIN_REF: S.Schema = {"$ref": f"#/components/schemas/{PLAIN_JSON}"}


def plain_json() -> S.Schema:
    """Return the component: any JSON value whose strings and names hold no refused character."""
    text = {"type": "string", "pattern": TEXT_PATTERN}
    return {
        "description": "any JSON value; no string or name in it holds a control character",
        "anyOf": [
            {"type": ["null", "boolean", "number"]},
            text,
            {"type": "array", "items": PLAIN_REF},
            {"type": "object", "propertyNames": {"pattern": TEXT_PATTERN}, "additionalProperties": PLAIN_REF},
        ],
    }


def request_schema(schema: Any) -> Any:
    """Return ``schema`` with the rule stated on each string, name and free value it admits."""
    if not isinstance(schema, dict):
        return schema
    found = {key: _inner(key, value) for key, value in schema.items()}
    if _free(found):
        return {**found, **PLAIN_REF} if found.keys() <= {"description"} else found
    kinds = found.get("type")
    kinds = kinds if isinstance(kinds, list) else [kinds]
    if "string" in kinds and not found.keys() & {"pattern", "format", "enum", "const", "contentMediaType"}:
        found["pattern"] = TEXT_PATTERN
    if "object" in kinds and found.get("additionalProperties") is not False:
        names = found.setdefault("propertyNames", {})
        if "pattern" not in names:
            names["pattern"] = TEXT_PATTERN
        found.setdefault("additionalProperties", PLAIN_REF)
    if "array" in kinds:
        found.setdefault("items", PLAIN_REF)
    return found


def _inner(key: str, value: Any) -> Any:
    if key in ("properties", "$defs"):
        return {name: request_schema(v) for name, v in value.items()}
    if key in ("items", "additionalProperties", "propertyNames", "not"):
        return request_schema(value)
    if key in ("allOf", "anyOf", "oneOf"):
        return [request_schema(v) for v in value]
    return value


def _free(schema: S.Schema) -> bool:
    """Return whether ``schema`` admits any JSON value (no type, reference or combination)."""
    return not schema.keys() & {"type", "$ref", "enum", "const", "allOf", "anyOf", "oneOf", "not"}
