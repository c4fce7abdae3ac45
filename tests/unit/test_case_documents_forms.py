"""File inputs in task forms and the documents a task's context links, without a database."""

from __future__ import annotations

from service.actions.task_documents import file_properties
from service.definitions.forms import Form
from service.engine.values import ContextEntry, parse_context
from service.views import decision_context
from service.web import webform

SCHEMA = {
    "type": "object",
    "required": ["letter"],
    "properties": {
        "letter": {
            "type": "object",
            "format": "binary",
            "title": "Signed letter",
            "contentMediaType": "application/pdf",
        },
        "records": {"type": "array", "items": {"type": "object", "format": "binary"}},
        "summary": {"type": "string"},
    },
}


def test_a_binary_property_is_one_file_input_and_an_array_of_them_takes_several() -> None:
    fields = {f.name: f for f in webform.build(SCHEMA, None)}

    assert (fields["letter"].widget, fields["letter"].attrs) == ("file", {"accept": "application/pdf"})
    assert fields["records"].widget == "files"
    assert fields["summary"].widget == "text"
    assert file_properties(SCHEMA) == {"letter": False, "records": True}


def test_posted_text_under_a_file_inputs_name_never_becomes_its_value() -> None:
    data, errors = webform.FormPost({"letter": ["forged"], "records": ["x"], "summary": ["ok"]}).read(
        Form(SCHEMA)
    )

    assert data == {"summary": "ok"}
    assert errors == []


def test_a_documents_entry_is_declared_like_the_other_kinds() -> None:
    assert parse_context("documents records: Records received; documents information.documents") == [
        ContextEntry("documents", "records", "Records received"),
        ContextEntry("documents", "information.documents", None),
    ]


def test_a_documents_entry_links_form_references_and_ids_an_integrator_sent_by_their_names() -> None:
    data = {
        "records": [{"document_id": "d-1", "name": "letter.pdf", "sha256": "0" * 64}],
        "information": {"documents": ["d-2", {"id": "d-3"}]},
    }
    entries = parse_context(
        "documents records: Records received; documents information.documents; documents none"
    )

    found = decision_context.items(entries, data, [], decision_context.Lexicon(), names={"d-2": "scan.png"})

    assert [(i.label, [(d.id, d.name) for d in i.documents]) for i in found] == [
        ("Records received", [("d-1", "letter.pdf")]),
        ("Documents", [("d-2", "scan.png"), ("d-3", "Document d-3")]),
    ]
