"""Definitions over HTTP: list with counts, read, XML, deploy (JSON and files), start."""

from __future__ import annotations

import io
import json

from flask import Flask

from service.actions.deployment import deploy, read_directory
from service.services import Services
from tests.apikit import API_FIXTURES, problem, start_smoke, token
from tests.support import FIXTURES, INTEGRATOR

START = {"businessKey": "C-1", "variables": {"case_number": "C-1"}}


def test_definitions_are_listed_with_versions_and_instance_counts(api: Services, app: Flask) -> None:
    start_smoke(api, "A-1")
    start_smoke(api, "A-2")

    listing = app.test_client().get("/api/v1/process-definitions", headers=token(api, "portal", "read"))

    assert listing.status_code == 200
    assert listing.get_json()["next"] is None
    smoke = next(d for d in listing.get_json()["items"] if d["key"] == "smoke")
    assert smoke["latestVersion"] == 1
    assert [v["version"] for v in smoke["versions"]] == [1]
    assert smoke["instances"]["total"] == 2
    assert smoke["instances"]["waiting"] == 2
    inbound = next(d for d in listing.get_json()["items"] if d["key"] == "api_inbound")
    assert inbound["startMessages"] == ["petition_filed"]


def test_a_definition_is_read_with_its_start_schema_and_its_xml(api: Services, app: Flask) -> None:
    auth = token(api, "portal", "read")
    client = app.test_client()

    latest = client.get("/api/v1/process-definitions/api_waiting", headers=auth).get_json()
    xml = client.get("/api/v1/process-definitions/api_waiting/xml?version=1", headers=auth).get_json()
    missing = client.get("/api/v1/process-definitions/api_waiting?version=2", headers=auth)

    assert latest["version"] == 1
    assert latest["startSchema"]["required"] == ["case_number"]
    assert latest["forms"] == ["api_check.schema.json"]
    assert xml["bpmn20Xml"] == (API_FIXTURES / "api_waiting.bpmn").read_text()
    assert missing.status_code == 404
    assert problem(missing)["detail"] == "no deployed process definition 'api_waiting' version 2"


def test_a_changed_diagram_uploaded_as_files_becomes_a_new_version(api: Services, app: Flask) -> None:
    # A diagram with its layout: the API runs the modeler's checks too (bpmnlint, DI), which the
    # layout-less smoke fixture fails (tests/integration/test_deploy_checks.py).
    folder = FIXTURES / "modeler"
    deploy(api, read_directory(folder), INTEGRATOR)
    changed = (
        (folder / "application_review.bpmn")
        .read_text()
        .replace('name="Application review" isExecutable', 'name="Application review, revised" isExecutable')
    )
    files = [
        (io.BytesIO(changed.encode()), "application_review.bpmn"),
        *((io.BytesIO(f.read_bytes()), f.name) for f in (folder / "forms").glob("*.json")),
        (
            io.BytesIO((folder / "application_review.start.schema.json").read_bytes()),
            "application_review.start.schema.json",
        ),
    ]

    answer = app.test_client().post(
        "/api/v1/process-definitions",
        data={"files": files, "note": "clearer name"},
        content_type="multipart/form-data",
        headers=token(api, "modeler", "deploy"),
    )

    assert answer.status_code == 201, answer.get_data(as_text=True)
    assert answer.get_json()["deployed"][0] | {"id": 0} == {
        "key": "application_review",
        "version": 2,
        "created": True,
        "id": 0,
    }
    read = app.test_client().get(
        "/api/v1/process-definitions/application_review", headers=token(api, "reader", "read")
    )
    assert (read.get_json()["name"], read.get_json()["note"]) == (
        "Application review, revised",
        "clearer name",
    )


def test_a_broken_diagram_is_rejected_naming_the_element_and_line(api: Services, app: Flask) -> None:
    folder = FIXTURES / "modeler"
    xml = (folder / "application_review.bpmn").read_text().replace('"P15D"', "P15D")
    body = {
        "diagrams": [{"name": "application_review.bpmn", "xml": xml}],
        "forms": {f.name: json.loads(f.read_text()) for f in (folder / "forms").glob("*.json")},
        "startSchemas": {
            "application_review": json.loads((folder / "application_review.start.schema.json").read_text())
        },
    }

    answer = app.test_client().post(
        "/api/v1/process-definitions", json=body, headers=token(api, "m", "deploy")
    )

    assert answer.status_code == 422
    issues = problem(answer)["issues"]
    assert problem(answer)["type"].endswith("deployment-rejected")
    assert [(i["file"], i["elementId"], i["line"], i["rule"]) for i in issues] == [
        ("application_review.bpmn", "reply_period", 53, "timer")
    ]
    assert "must be quoted" in issues[0]["message"]


def test_a_start_answers_201_with_the_instance_and_its_location(api: Services, app: Flask) -> None:
    answer = app.test_client().post(
        "/api/v1/process-definitions/api_waiting/start", json=START, headers=token(api, "portal", "start")
    )

    assert answer.status_code == 201
    body = answer.get_json()
    assert answer.headers["Location"] == f"/api/v1/process-instances/{body['id']}"
    assert answer.headers["Idempotent-Replayed"] == "false"
    assert body["waitingMessages"] == [
        {
            "messageName": "document_received",
            "correlation": {"case_number": "C-1"},
            "element": "wait_document",
        }
    ]


def test_a_repeated_start_with_its_key_replays_the_first_answer(api: Services, app: Flask) -> None:
    auth = {**token(api, "portal", "start", "read"), "Idempotency-Key": "order-1"}
    client = app.test_client()

    first = client.post("/api/v1/process-definitions/api_waiting/start", json=START, headers=auth)
    again = client.post("/api/v1/process-definitions/api_waiting/start", json=START, headers=auth)
    other = client.post(
        "/api/v1/process-definitions/api_waiting/start",
        json={**START, "businessKey": "C-2"},
        headers=auth,
    )

    assert (first.status_code, again.status_code) == (201, 201)
    assert again.get_json() == first.get_json()
    assert again.headers["Idempotent-Replayed"] == "true"
    assert other.status_code == 422
    assert problem(other)["errors"][0]["field"] == "Idempotency-Key"
    listing = client.get("/api/v1/process-instances?processDefinitionKey=api_waiting", headers=auth)
    assert len(listing.get_json()["items"]) == 1


def test_start_variables_are_checked_against_the_start_schema_at_once(api: Services, app: Flask) -> None:
    answer = app.test_client().post(
        "/api/v1/process-definitions/api_waiting/start",
        json={"variables": {"priority": "high"}},
        headers=token(api, "portal", "start"),
    )

    assert answer.status_code == 422
    assert {e["field"] for e in problem(answer)["errors"]} == {"case_number", "priority"}


def test_a_misspelt_field_is_named_not_ignored(api: Services, app: Flask) -> None:
    answer = app.test_client().post(
        "/api/v1/process-definitions/api_waiting/start",
        json={"businesKey": "C-1", "variables": {"case_number": "C-1"}},
        headers=token(api, "portal", "start"),
    )

    assert answer.status_code == 422
    assert problem(answer)["errors"] == [
        {
            "field": "businesKey",
            "message": "Additional properties are not allowed ('businesKey' was unexpected)",
        }
    ]


def test_a_body_that_is_not_json_is_refused_clearly(api: Services, app: Flask) -> None:
    auth = token(api, "portal", "start")
    client = app.test_client()

    broken = client.post(
        "/api/v1/process-definitions/api_waiting/start",
        data="{not json",
        headers={**auth, "Content-Type": "application/json"},
    )
    form = client.post("/api/v1/process-definitions/api_waiting/start", data={"a": "b"}, headers=auth)

    assert broken.status_code == 400  # malformed JSON cannot be read at all (issue 18: was 422)
    assert problem(broken)["errors"] == [{"field": "(body)", "message": "not JSON"}]
    assert form.status_code == 415
    assert problem(form)["type"].endswith("unsupported-media-type")
