"""Server-side validation of submitted data against JSON Schema forms.

Forms may be bound to case data: a ``{{path}}`` placeholder in any string of a form's schema is
replaced by the task's data at ``path`` (dotted) before the form is shown or checked; a string
that is exactly one placeholder takes the value with its type. With ``formatMinimum`` and
``formatMaximum`` (ajv-formats keywords, enforced here for ``date`` and ``date-time``) a form can
say "on or before the deadline of this case", e.g. a closing conference by the last day §163.11(b)
allows after the petition's receipt (the date a handler computed from ``handlers.deadlines``).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator, ValidationError, validators

from service.engine.functions import INJECTED_NAMES
from service.errors import Conflict, FieldError, InvalidData

PLACEHOLDER = re.compile(r"\{\{\s*([A-Za-z][A-Za-z0-9_]*(?:\.[A-Za-z0-9_]+)*)\s*\}\}")


def _as_moment(value: Any, fmt: str) -> date | datetime | None:
    try:
        if fmt == "date":
            return date.fromisoformat(value)
        moment = datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except (TypeError, ValueError):
        return None
    return moment if moment.tzinfo is not None else None


# keyword -> (what the rule says, whether value and bound satisfy it)
RELATIONS: dict[str, tuple[str, Any]] = {
    "formatMaximum": ("on or before", lambda value, bound: value <= bound),
    "formatExclusiveMaximum": ("before", lambda value, bound: value < bound),
    "formatMinimum": ("on or after", lambda value, bound: value >= bound),
    "formatExclusiveMinimum": ("after", lambda value, bound: value > bound),
}


def _bound(keyword: str) -> Any:
    relation, holds = RELATIONS[keyword]

    def check(validator: Any, bound: Any, instance: Any, schema: dict[str, Any]) -> Iterator[ValidationError]:
        fmt = schema.get("format")
        if fmt not in ("date", "date-time") or not isinstance(instance, str):
            return
        value, limit = _as_moment(instance, fmt), _as_moment(bound, fmt)
        if limit is None:
            yield ValidationError(f"the form's bound {bound!r} is not a valid {fmt}")  # fail closed
            return
        if value is None:
            return  # an unreadable value is reported by "format"
        if not holds(value, limit):
            yield ValidationError(f"{instance} must be {relation} {bound}")

    return check


FormValidator = validators.extend(
    Draft202012Validator,
    {keyword: _bound(keyword) for keyword in RELATIONS},
)


@lru_cache(maxsize=512)
def _validator(schema_json: str) -> Any:
    return FormValidator(json.loads(schema_json), format_checker=Draft202012Validator.FORMAT_CHECKER)


def placeholders(schema: Any) -> set[str]:
    """Return the data paths a form's placeholders refer to."""
    found: set[str] = set()
    if isinstance(schema, str):
        found.update(PLACEHOLDER.findall(schema))
    elif isinstance(schema, dict):
        for value in schema.values():
            found |= placeholders(value)
    elif isinstance(schema, list):
        for value in schema:
            found |= placeholders(value)
    return found


def bind(schema: Any, data: dict[str, Any]) -> Any:
    """Fill a form's ``{{path}}`` placeholders from task data; refuse when the case lacks one."""
    if isinstance(schema, dict):
        return {k: bind(v, data) for k, v in schema.items()}
    if isinstance(schema, list):
        return [bind(v, data) for v in schema]
    if not isinstance(schema, str) or "{{" not in schema:
        return schema
    whole = PLACEHOLDER.fullmatch(schema.strip())
    if whole:
        return _lookup(data, whole.group(1))
    return PLACEHOLDER.sub(lambda m: str(_lookup(data, m.group(1))), schema)


def _lookup(data: dict[str, Any], path: str) -> Any:
    value: Any = data
    for part in path.split("."):
        if not isinstance(value, dict) or part not in value:
            raise Conflict(
                f"the form refers to '{{{{{path}}}}}', which this case does not hold yet", placeholder=path
            )
        value = value[part]
    return value


def check_names(data: dict[str, Any]) -> None:
    """Refuse variable names that would shadow diagram functions or reach engine internals."""
    bad = [
        FieldError(
            k,
            "names starting with '_' are reserved"
            if k.startswith("_")
            else f"'{k}' is the name of a diagram function",
        )
        for k in data
        if k.startswith("_") or k in INJECTED_NAMES
    ]
    if bad:
        raise InvalidData("variable names are not allowed", bad)


def with_defaults(data: dict[str, Any], schema: dict[str, Any] | None) -> dict[str, Any]:
    """Return ``data`` with the schema's top-level ``default`` for each property left out.

    Diagram expressions name variables directly, so an optional start variable the integrator
    leaves out must still exist (``None``) for the steps that read it.
    """
    properties = (schema or {}).get("properties", {})
    missing = {
        k: p["default"]
        for k, p in properties.items()
        if isinstance(p, dict) and "default" in p and k not in data
    }
    return {**missing, **data} if missing else data


def validate(data: dict[str, Any], schema: dict[str, Any] | None, what: str) -> None:
    """Raise ``InvalidData`` listing each failing field; nothing is changed when it raises."""
    check_names(data)
    if schema is None:
        return
    validator = _validator(json.dumps(schema, sort_keys=True, default=str))
    errors = sorted(validator.iter_errors(data), key=lambda e: list(e.absolute_path))
    if not errors:
        return
    fields = []
    for err in errors:
        path = ".".join(str(p) for p in err.absolute_path)
        if err.validator == "required" and isinstance(err.instance, dict):
            missing = [name for name in err.validator_value if name not in err.instance]
            # One error per missing property, each naming it: pick the one this error is about.
            named = next(
                (n for n in missing if err.message.startswith(repr(n))), missing[0] if missing else ""
            )
            path = ".".join(filter(None, [path, named]))
        fields.append(FieldError(path or "(root)", err.message))
    raise InvalidData(f"{what}: {len(fields)} field(s) failed validation", fields)


@dataclass(frozen=True)
class Form:
    """A task's form: its JSON Schema (bound to case data once ``bound``) and its UI schema."""

    schema: dict[str, Any] | None
    ui: dict[str, Any] | None = None

    @property
    def needs_data(self) -> bool:
        """Whether the schema refers to case data (``{{path}}``) and must be bound before use."""
        return self.schema is not None and bool(placeholders(self.schema))

    def bound(self, data: dict[str, Any]) -> Form:
        """Return the form with its placeholders filled from the task's data."""
        return Form(bind(self.schema, data), self.ui) if self.needs_data else self
