"""Validate values against the API's schemas; turn query strings into typed values."""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

from service.api import schemas as S
from service.errors import FieldError

DOCUMENT_URI = "urn:rcp:api"
COMPONENT_REF = "#/components/schemas/"


@lru_cache(maxsize=1)
def _registry() -> Registry[Any]:
    document = {"components": {"schemas": S.COMPONENTS}}
    return Registry().with_resource(DOCUMENT_URI, Resource.from_contents(document, DRAFT202012))


@lru_cache(maxsize=512)
def _validator(schema_json: str) -> Draft202012Validator:
    schema = _anchored(json.loads(schema_json))
    return Draft202012Validator(
        schema, registry=_registry(), format_checker=Draft202012Validator.FORMAT_CHECKER
    )


def _anchored(schema: Any) -> Any:
    """Point local ``#/components`` references at the registered document."""
    if isinstance(schema, dict):
        return {
            k: (
                DOCUMENT_URI + v if k == "$ref" and isinstance(v, str) and v.startswith("#") else _anchored(v)
            )
            for k, v in schema.items()
        }
    if isinstance(schema, list):
        return [_anchored(v) for v in schema]
    return schema


# The declared schemas live as long as the process: their validators are found by identity, so a
# request does not serialise its schemas to find them. The schema is kept beside its validator,
# so an id is never taken for another schema's after the first was freed.
_BY_IDENTITY: dict[int, tuple[S.Schema, Draft202012Validator]] = {}


def _validator_of(schema: S.Schema) -> Draft202012Validator:
    found = _BY_IDENTITY.get(id(schema))
    if found is not None and found[0] is schema:
        return found[1]
    validator = _validator(json.dumps(_component(schema), sort_keys=True))
    if len(_BY_IDENTITY) < 4096:  # schemas made per call (rare) fill it no further
        _BY_IDENTITY[id(schema)] = (schema, validator)
    return validator


def _component(schema: S.Schema) -> S.Schema:
    """Return the component a lone ``$ref`` names (the same checks, without resolving it per call)."""
    while isinstance(schema, dict) and schema.keys() == {"$ref"} and schema["$ref"].startswith(COMPONENT_REF):
        schema = S.COMPONENTS[schema["$ref"].removeprefix(COMPONENT_REF)]
    return schema


def check(instance: Any, schema: S.Schema, prefix: str = "") -> list[FieldError]:
    """Return the fields of ``instance`` that fail ``schema`` (empty when it conforms)."""
    validator = _validator_of(schema)
    found = []
    for err in sorted(validator.iter_errors(instance), key=lambda e: list(map(str, e.absolute_path))):
        path = [str(p) for p in err.absolute_path]
        if err.validator == "required" and isinstance(err.instance, dict):
            missing = [n for n in err.validator_value if n not in err.instance]
            path += missing[:1]
        elif "propertyNames" in err.schema_path and isinstance(err.instance, str):
            path.append(err.instance)  # the name itself is wrong: point at it
        elif err.validator == "additionalProperties" and isinstance(err.instance, dict):
            allowed = set(err.schema.get("properties", {}))
            path += sorted(k for k in err.instance if k not in allowed)[:1]
        name = ".".join(path)
        found.append(FieldError(prefix + name if name else prefix.rstrip(".") or "(body)", err.message))
    return found


def coerce(raw: list[str], schema: S.Schema) -> Any:
    """Turn query strings into the schema's type (repeated parameters for arrays)."""
    kind = schema.get("type")
    if kind == "array":
        return [coerce([r], schema.get("items", {})) for r in raw]
    if len(raw) > 1:
        raise ValueError("is given more than once")
    text = raw[0]
    if kind == "integer":
        if not re.fullmatch(r"[+-]?\d{1,18}", text):
            raise ValueError("must be an integer")
        return int(text)
    if kind == "boolean":
        if text not in ("true", "false"):
            raise ValueError("must be true or false")
        return text == "true"
    if schema.get("format") == "date-time":
        return parse_datetime(text)
    return text


def parse_datetime(text: str) -> datetime:
    """Read an RFC 3339 date-time; it must carry a zone (Z or an offset)."""
    normal = text.strip().upper()
    normal = re.sub(r"(\.\d{6})\d+", r"\1", normal)
    try:
        value = datetime.fromisoformat(normal)
    except ValueError:
        raise ValueError("must be an RFC 3339 date-time, e.g. 2026-01-05T09:00:00Z") from None
    if value.tzinfo is None or "T" not in normal:
        raise ValueError("must be a date-time with a zone, e.g. 2026-01-05T09:00:00Z")
    try:
        return value.astimezone(UTC)
    except OverflowError:
        # A valid RFC 3339 moment whose offset takes it past year 1 or 9999 in UTC: as a filter
        # bound it means "from the beginning" or "to the end", so it is read as the nearest one.
        return datetime.min.replace(tzinfo=UTC) if value.year == 1 else datetime.max.replace(tzinfo=UTC)


def plain(value: Any) -> Any:
    """Return a typed query value as JSON would carry it (for schema checks)."""
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value
