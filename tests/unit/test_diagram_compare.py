"""The server-side diff of two versions: elements added, removed and changed, and what changed."""

from __future__ import annotations

from service.engine.compare import compare
from tests.support import FIXTURES

REVIEW = (FIXTURES / "modeler" / "application_review.bpmn").read_text()


def _changes(after: str, before: str = REVIEW) -> list[tuple[str, str]]:
    return [(c["id"], c["kind"]) for c in compare(before.encode(), after.encode())]


def test_identical_versions_have_no_change() -> None:
    assert compare(REVIEW.encode(), REVIEW.encode()) == []


def test_serialisation_and_layout_are_not_changes() -> None:
    noisy = (
        REVIEW.replace(' xsi:type="bpmn:tFormalExpression"', "")
        .replace('<dc:Bounds x="440" y="130"', '<dc:Bounds x="460" y="150"')
        .replace("<bpmn:incoming>Flow_wait</bpmn:incoming>", "")
        .replace('name="Review closed">', 'name="Review closed"  >')
        .replace("<bpmn:flowNodeRef>received</bpmn:flowNodeRef>\n", "")
        .replace(
            "<bpmn:flowNodeRef>closed</bpmn:flowNodeRef>",
            "<bpmn:flowNodeRef>closed</bpmn:flowNodeRef><bpmn:flowNodeRef>received</bpmn:flowNodeRef>",
        )
    )
    assert _changes(noisy) == []


def test_a_changed_spiff_parameter_is_named_with_before_and_after() -> None:
    after = REVIEW.replace('value="application_number" />', "value=\"'fixed'\" />")

    [change] = compare(REVIEW.encode(), after.encode())

    assert (change["id"], change["kind"], change["type"], change["name"]) == (
        "acknowledge",
        "changed",
        "bpmn:ServiceTask",
        "Acknowledge receipt",
    )
    assert change["changes"] == [
        {
            "property": "spiffworkflow:serviceTaskOperator[echo]/parameters/parameter[text]@value",
            "before": "application_number",
            "after": "'fixed'",
        }
    ]


def test_added_and_removed_elements_carry_their_spiff_extensions() -> None:
    renamed = (
        REVIEW.replace('id="acknowledge"', 'id="acknowledge_receipt"')
        .replace(">acknowledge<", ">acknowledge_receipt<")
        .replace('"acknowledge"', '"acknowledge_receipt"')
    )

    found = {c["id"]: c for c in compare(REVIEW.encode(), renamed.encode())}

    assert (found["acknowledge"]["kind"], found["acknowledge_receipt"]["kind"]) == ("removed", "added")
    assert found["acknowledge_receipt"]["extensions"] == {
        "spiffworkflow:serviceTaskOperator[echo]@resultVariable": "acknowledged",
        "spiffworkflow:serviceTaskOperator[echo]/parameters/parameter[text]@type": "str",
        "spiffworkflow:serviceTaskOperator[echo]/parameters/parameter[text]@value": "application_number",
    }


def test_documentation_and_form_changes_are_changes_of_their_element() -> None:
    after = REVIEW.replace("(§163.12(b)(3))", "(§163.12(b)(3)(i))").replace(
        'value="application_review.schema.json"', 'value="other.schema.json"'
    )

    [change] = compare(REVIEW.encode(), after.encode())

    assert change["id"] == "review"
    assert [d["property"] for d in change["changes"]] == [
        "documentation",
        "spiffworkflow:properties/property[formJsonSchemaFilename]@value",
    ]
