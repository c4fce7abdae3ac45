"""Server-side validation of submitted data against JSON Schema forms."""

from __future__ import annotations

import json
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator

from service.engine.functions import INJECTED_NAMES
from service.errors import FieldError, InvalidData


@lru_cache(maxsize=512)
def _validator(schema_json: str) -> Draft202012Validator:
    return Draft202012Validator(json.loads(schema_json), format_checker=Draft202012Validator.FORMAT_CHECKER)


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


def validate(data: dict[str, Any], schema: dict[str, Any] | None, what: str) -> None:
    """Raise ``InvalidData`` listing each failing field; nothing is changed when it raises."""
    check_names(data)
    if schema is None:
        return
    validator = _validator(json.dumps(schema, sort_keys=True))
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
