"""Forms bound to case data: placeholders filled from task data, date bounds enforced."""

from __future__ import annotations

from typing import Any

import pytest

from service.definitions import forms
from service.errors import Conflict, InvalidData

SCHEMA = {
    "type": "object",
    "required": ["conference_date"],
    "properties": {
        "conference_date": {
            "type": "string",
            "format": "date",
            "formatMinimum": "{{petition.received_on}}",
            "formatMaximum": "{{conference_due_on}}",
            "description": "On or before {{conference_due_on}} (§163.11(b))",
        }
    },
}
DATA = {"petition": {"received_on": "2026-01-05"}, "conference_due_on": "2026-01-20"}


def _errors(data: Any, schema: dict = SCHEMA, case: dict = DATA) -> list[str]:
    try:
        forms.validate(data, forms.bind(schema, case), "form")
    except InvalidData as exc:
        return [f"{e.field}: {e.message}" for e in exc.errors]
    return []


def test_placeholders_are_filled_from_task_data_with_dotted_paths() -> None:
    bound = forms.bind(SCHEMA, DATA)["properties"]["conference_date"]

    assert bound["formatMinimum"] == "2026-01-05"
    assert bound["formatMaximum"] == "2026-01-20"
    assert bound["description"] == "On or before 2026-01-20 (§163.11(b))"


def test_a_whole_value_placeholder_keeps_the_type_of_the_data() -> None:
    bound = forms.bind({"default": "{{rounds}}", "enum": "{{options}}"}, {"rounds": 2, "options": ["a"]})

    assert bound == {"default": 2, "enum": ["a"]}


def test_the_last_day_is_accepted_and_the_day_after_refused() -> None:
    assert _errors({"conference_date": "2026-01-20"}) == []
    assert _errors({"conference_date": "2026-01-21"}) == [
        "conference_date: 2026-01-21 must be on or before 2026-01-20"
    ]


def test_a_date_before_the_minimum_is_refused() -> None:
    assert _errors({"conference_date": "2026-01-04"}) == [
        "conference_date: 2026-01-04 must be on or after 2026-01-05"
    ]


def test_exclusive_bounds_and_date_times_compare_as_moments() -> None:
    schema = {
        "type": "string",
        "format": "date-time",
        "formatExclusiveMaximum": "2026-01-20T23:59:59+00:00",
    }
    assert _errors("2026-01-20T18:00:00-05:00", schema) == []
    assert _errors("2026-01-20T19:00:00-05:00", schema) != []


def test_a_bound_the_case_does_not_hold_refuses_the_form_instead_of_skipping_the_check() -> None:
    with pytest.raises(Conflict, match="conference_due_on"):
        forms.bind(SCHEMA, {"petition": {"received_on": "2026-01-05"}})


def test_a_bound_that_is_not_a_date_fails_closed() -> None:
    assert _errors({"conference_date": "2026-01-10"}, case={**DATA, "conference_due_on": None}) == [
        "conference_date: the form's bound None is not a valid date"
    ]


def test_placeholders_lists_every_path_a_form_needs() -> None:
    assert forms.placeholders(SCHEMA) == {"petition.received_on", "conference_due_on"}
