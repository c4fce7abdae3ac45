"""Forms generated from JSON Schema + UI schema, and posted strings turned into typed data."""

from __future__ import annotations

import json

from service.errors import FieldError
from service.web import webform
from tests.support import FIXTURES

FORMS = FIXTURES / "inbox" / "processes" / "forms"
SCHEMA = json.loads((FORMS / "inbox_review.schema.json").read_text())
UI = json.loads((FORMS / "inbox_review.uischema.json").read_text())


def by_name() -> dict[str, webform.FormField]:
    return {f.name: f for f in webform.build(SCHEMA, UI)}


def test_fields_follow_the_ui_order_with_labels_help_and_required_marks() -> None:
    fields = webform.build(SCHEMA, UI)

    assert [f.name for f in fields] == UI["ui:order"]
    assert [(f.label, f.widget, f.required) for f in fields] == [
        ("Is the application complete?", "radio", True),
        ("Employees trained in recordkeeping", "integer", True),
        ("Record-maintenance procedure checked", "checkbox", False),
        ("Reviewing office", "select", True),
        ("Reviewed on", "date", False),
        ("Share of entries reviewed (%)", "number", False),
        ("Notes for the Director", "textarea", False),
    ]
    assert fields[6].help == "Shown to the Director with the case."
    assert fields[1].help == "Number of employees the applicant's procedures reach (§163.12(b)(3)(ii))."
    assert fields[1].attrs == {"minimum": 0}


def test_enum_labels_come_from_ui_enum_names_or_one_of_titles() -> None:
    fields = by_name()

    assert fields["decision"].options == [
        ("complete", "Complete: send to the Director"),
        ("more_information", "More information needed from the applicant"),
    ]
    assert fields["office"].options[0] == ("charlotte", "Charlotte field office")


def test_small_enums_are_radio_buttons_and_large_ones_selects_unless_the_ui_schema_says() -> None:
    schema = {
        "type": "object",
        "properties": {
            "few": {"enum": ["a", "b"]},
            "many": {"enum": list("abcdef")},
            "forced": {"enum": ["a", "b"]},
            "tags": {"type": "array", "items": {"enum": ["x", "y"]}},
            "blob": {"type": "object"},
        },
    }
    fields = {f.name: f.widget for f in webform.build(schema, {"forced": {"ui:widget": "select"}})}

    assert fields == {
        "few": "radio",
        "many": "select",
        "forced": "select",
        "tags": "checkboxes",
        "blob": "json",
    }


def test_posted_strings_become_typed_data_and_empty_inputs_are_left_out() -> None:
    posted = {
        "decision": ["more_information"],
        "employees_trained": [" 12 "],
        "procedures_checked": ["on"],
        "office": [""],
        "volume_share": ["12.5"],
        "notes": ["Looks fine"],
    }

    data, errors = webform.coerce(webform.build(SCHEMA, UI), posted)

    assert errors == []
    assert data == {
        "decision": "more_information",
        "employees_trained": 12,
        "procedures_checked": True,
        "volume_share": 12.5,
        "notes": "Looks fine",
    }


def test_an_unticked_checkbox_is_false_and_wrong_numbers_or_options_are_field_errors() -> None:
    posted = {"employees_trained": ["twelve"], "volume_share": ["1,5"], "decision": ["maybe"]}

    data, errors = webform.coerce(webform.build(SCHEMA, UI), posted)

    assert data == {"procedures_checked": False}
    assert errors == [
        FieldError("decision", "Choose one of the options for \u201cIs the application complete?\u201d"),
        FieldError(
            "employees_trained",
            "Enter a whole number for \u201cEmployees trained in recordkeeping\u201d, like 12",
        ),
        FieldError("volume_share", "Enter a number for \u201cShare of entries reviewed (%)\u201d, like 12.5"),
    ]


def test_schema_messages_are_told_in_the_words_of_a_form() -> None:
    fields = webform.build(SCHEMA, UI)
    raw = [
        FieldError("office", "'office' is a required property"),
        FieldError("employees_trained", "-3 is less than the minimum of 0"),
        FieldError("reviewed_on", "'yesterday' is not a 'date'"),
        FieldError("volume_share", "150 is greater than the maximum of 100"),
        FieldError("notes", "'x' is too long"),
        FieldError("other", "something else"),
    ]

    assert webform.friendly(raw, fields) == [  # in the form's order, whatever the validator's
        FieldError(
            "employees_trained",
            "Enter a number of at least 0 for \u201cEmployees trained in recordkeeping\u201d",
        ),
        FieldError("office", "Choose an option for \u201cReviewing office\u201d"),
        FieldError("reviewed_on", "Enter \u201cReviewed on\u201d as a date, YYYY-MM-DD"),
        FieldError(
            "volume_share", "Enter a number of at most 100 for \u201cShare of entries reviewed (%)\u201d"
        ),
        FieldError("notes", "Shorten \u201cNotes for the Director\u201d to at most 4000 characters"),
        FieldError("other", "something else"),
    ]


def test_a_task_without_a_form_has_no_fields() -> None:
    assert webform.build(None, None) == []


NESTED = {
    "type": "object",
    "required": ["showing"],
    "properties": {
        "showing": {
            "type": "object",
            "title": "Showing",
            "required": ["i"],
            "properties": {"i": {"enum": ["shown", "not_shown"], "title": "(i)"}, "note": {"type": "string"}},
        },
        "extra": {"type": "object", "properties": {"n": {"type": "integer"}}},
        "conditions": {"type": "array", "title": "Conditions", "items": {"type": "string", "minLength": 3}},
        "grounds": {"type": "array", "items": {"enum": ["a", "b"]}},
    },
}
NESTED_UI = {
    "showing": {"i": {"ui:enumNames": ["Shown", "Not shown"]}},
    "grounds": {"items": {"ui:enumNames": ["A", "B"]}},
}


def test_objects_become_groups_of_their_fields_and_string_lists_one_item_per_line() -> None:
    fields = webform.build(NESTED, NESTED_UI)

    assert [(f.name, f.widget, f.required) for f in fields] == [
        ("showing", "group", True),
        ("extra", "group", False),
        ("conditions", "lines", False),
        ("grounds", "checkboxes", False),
    ]
    assert [(c.name, c.widget, c.required, c.id) for c in fields[0].children] == [
        ("showing.i", "radio", True, "field-showing__i"),
        ("showing.note", "text", False, "field-showing__note"),
    ]
    assert fields[0].children[0].options == [("shown", "Shown"), ("not_shown", "Not shown")]
    assert fields[3].options == [("a", "A"), ("b", "B")]
    assert [f.name for f in webform.leaves(fields)] == [
        "showing.i",
        "showing.note",
        "extra.n",
        "conditions",
        "grounds",
    ]


def test_nested_and_listed_values_are_posted_back_as_objects_and_lists() -> None:
    fields = webform.build(NESTED, NESTED_UI)

    data, errors = webform.coerce(
        fields, {"showing.i": ["shown"], "conditions": [" Annual report \n\nAudit yearly "]}
    )
    empty, _ = webform.coerce(fields, {})

    assert errors == []
    assert data == {"showing": {"i": "shown"}, "conditions": ["Annual report", "Audit yearly"], "grounds": []}
    assert empty == {"showing": {}, "grounds": []}  # a required group is sent, so its fields are named


def test_an_error_on_a_list_item_or_nested_field_lands_on_its_input() -> None:
    fields = webform.build(NESTED, NESTED_UI)
    raw = [
        FieldError("showing.i", "'i' is a required property"),
        FieldError("conditions.1", "'ab' is too short"),
    ]

    assert webform.friendly(raw, fields) == [
        FieldError("showing.i", "Choose an option for \u201c(i)\u201d"),
        FieldError("conditions", "Each line of \u201cConditions\u201d needs at least 3 characters"),
    ]


def test_a_json_input_nested_too_deep_or_holding_a_nul_is_a_field_error_not_a_crash() -> None:
    field = webform.FormField(name="extra", label="Extra", widget="json")
    deep = "[" * 100_000 + "]" * 100_000

    data, errors = webform.coerce([field], {"extra": [deep]})
    _, nul = webform.coerce([field], {"extra": ['{"a": "\\u0000"}']})
    fine, none = webform.coerce([field], {"extra": ['{"a": ["\\ttab"]}']})

    assert data == {}
    assert errors == [FieldError("extra", "Enter JSON nested at most 64 levels deep")]
    assert nul == [FieldError("extra", "Enter JSON without control characters")]
    assert (fine, none) == ({"extra": {"a": ["\ttab"]}}, [])
