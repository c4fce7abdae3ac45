"""A schema that is a lone component ``$ref`` is checked against the component itself: same answers."""

from __future__ import annotations

import json
from typing import Any

import pytest

from service.api import load_routes
from service.api import schemas as S
from service.api.contract import OPERATIONS
from service.api.validation import _validator, _validator_of, check

# Wrong in every way a body can be: types, names, sizes, unknown and missing fields, nesting.
BAD = [
    None,
    [],
    "text",
    {},
    {"variables": "x"},
    {"variables": {"1st": 1, "ok": {"deep": [1, "\u0000"]}}},
    {"businessKey": "", "version": 0, "unknown": True},
    {"version": "1", "variables": {"a" * 101: 1}},
    {"messageName": 5, "correlationKeys": {"": 1}, "events": ["no.such"], "url": "ftp://x"},
    {"items": [{"id": 1}], "next": 5},
]


def _refs() -> list[S.Schema]:
    load_routes()
    found: dict[str, S.Schema] = {}
    for op in OPERATIONS.values():
        schemas = [*(op.body.content.values() if op.body else []), *(a.schema for a in op.answers.values())]
        for schema in schemas:
            if schema is not None and schema.keys() == {"$ref"}:
                found[schema["$ref"]] = schema
    return list(found.values())


def _answers(validator: Any, instance: Any) -> list[tuple[Any, ...]]:
    errors = validator.iter_errors(instance)
    return sorted(
        (list(map(str, e.absolute_path)), e.message, e.validator, "propertyNames" in e.schema_path)
        for e in errors
    )


@pytest.mark.parametrize("ref", _refs(), ids=lambda r: r["$ref"].rsplit("/", 1)[1])
def test_a_lone_reference_fails_the_same_fields_as_resolving_it_each_time(ref: S.Schema) -> None:
    resolving = _validator(json.dumps(ref, sort_keys=True))  # the document's root is the $ref itself

    for instance in BAD:
        assert _answers(_validator_of(ref), instance) == _answers(resolving, instance)


def test_the_operations_refer_to_components_and_bad_bodies_are_refused() -> None:
    refs = _refs()

    assert len(refs) > 20
    assert check({"variables": {"1st": 1}}, S.ref("StartRequest")) == check(
        {"variables": {"1st": 1}}, S.COMPONENTS["StartRequest"]
    )
    assert [e.field for e in check({"variables": {"1st": 1}}, S.ref("StartRequest"))] == ["variables.1st"]
