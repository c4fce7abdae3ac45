"""The decision table endpoints over HTTP: bad input names its field, refusals change nothing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from flask.testing import FlaskClient

from service.clock import MovableClock
from service.config import ROOT
from service.services import Services
from tests.e2e.modeler_support import add_staff, app_for, sign_in
from tests.program_support import program_services

TABLE = "penalty_ceiling"
XML = (ROOT / "processes" / f"{TABLE}.dmn").read_text()
RAISED = XML.replace("<text>100000</text>", "<text>150000</text>")


@pytest.fixture
def services(sqlite_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[Services]:
    built = program_services(sqlite_url, tmp_path, clock)  # processes/ with its tables, version 1
    add_staff(built)
    yield built
    built.close()


@pytest.fixture
def client(services: Services) -> FlaskClient:
    found = app_for(services).test_client()
    token = sign_in(found, services, "ana")
    found.environ_base["HTTP_X_CSRF_TOKEN"] = token
    return found


def _versions(client: FlaskClient) -> list[int]:
    page = client.get(f"/modeler/decisions/{TABLE}/versions")
    assert page.status_code == 200
    return [int(v) for v in page.text.split('data-version="')[1:] for v in [v.split('"')[0]]]


def test_the_bench_answers_the_rule_that_hits_and_its_outputs(client: FlaskClient) -> None:
    body = {"xml": RAISED, "decisionId": TABLE, "inputs": {"violation_willful": "yes"}}

    answer = client.post("/modeler/api/decisions/bench", json=body).get_json()

    assert (answer["ruleId"], answer["ruleIndex"]) == ("rule_willful", 1)
    assert answer["outputs"] == {"ceiling_maximum": 150000, "ceiling_percent": 75}
    assert answer["annotation"].startswith("§163.6(b)(1)(i)")


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"xml": XML, "decisionId": "no_such_table", "inputs": {}}, "decisionId"),
        ({"xml": XML, "inputs": {}}, "decisionId"),
        ({"xml": XML, "decisionId": TABLE, "inputs": ["yes"]}, "inputs"),
        ({"xml": "<definitions", "decisionId": TABLE, "inputs": {}}, "xml"),
        ({"decisionId": TABLE, "inputs": {}}, "xml"),
    ],
)
def test_a_bench_request_it_cannot_run_names_the_field(client: FlaskClient, body: dict, field: str) -> None:
    response = client.post("/modeler/api/decisions/bench", json=body)

    assert (response.status_code, response.mimetype) == (422, "application/problem+json")
    assert [e["field"] for e in response.get_json()["errors"]] == [field]


def test_validation_names_the_rule_of_a_refused_cell(client: FlaskClient) -> None:
    broken = XML.replace("<text>100000</text>", '<text>"a lot"</text>')

    report = client.post("/modeler/api/decisions/validate", json={"fileName": f"{TABLE}.dmn", "xml": broken})

    assert report.get_json()["ok"] is False
    [issue] = report.get_json()["issues"]
    assert (issue["elementId"], issue["file"], issue["severity"]) == ("rule_willful", f"{TABLE}.dmn", "error")
    bad_name = client.post("/modeler/api/decisions/validate", json={"fileName": "../x.dmn", "xml": XML})
    assert (bad_name.status_code, bad_name.get_json()["errors"][0]["field"]) == (422, "fileName")


def test_a_refused_deploy_changes_nothing(client: FlaskClient) -> None:
    broken = XML.replace("<text>100000</text>", '<text>"a lot"</text>')
    deploy = "/modeler/api/decisions/deploy"

    refused = client.post(deploy, json={"fileName": f"{TABLE}.dmn", "xml": broken, "note": "n"})
    no_note = client.post(deploy, json={"fileName": f"{TABLE}.dmn", "xml": RAISED})
    forged = client.post(
        deploy,
        json={"fileName": f"{TABLE}.dmn", "xml": RAISED, "note": "n"},
        headers={"X-CSRF-Token": "forged"},
    )

    assert refused.status_code == 422
    assert [i["elementId"] for i in refused.get_json()["issues"]] == ["rule_willful"]
    assert (no_note.status_code, no_note.get_json()["errors"][0]["field"]) == (422, "note")
    assert forged.status_code == 400
    assert _versions(client) == [1]


def test_a_deploy_makes_the_next_version_and_the_diff_between_versions(client: FlaskClient) -> None:
    done = client.post(
        "/modeler/api/decisions/deploy", json={"fileName": f"{TABLE}.dmn", "xml": RAISED, "note": "raise"}
    )

    assert done.status_code == 201
    assert [(d["key"], d["version"]) for d in done.get_json()["decisions"]] == [(TABLE, 2)]
    assert [p["key"] for p in done.get_json()["processes"] if p["created"]] == ["notice_of_violation"]
    assert _versions(client) == [2, 1]
    page = client.get(f"/modeler/decisions/{TABLE}/versions?from=1&to=2").text
    assert 'data-rule-id="rule_willful" data-kind="changed"' in page
    assert "<del>100000</del> → <ins>150000</ins>" in page
    download = client.get(f"/modeler/api/decisions/{TABLE}/versions/2/dmn")
    assert download.headers["Content-Disposition"] == f'attachment; filename="{TABLE}.v2.dmn"'
    assert download.text == RAISED


def test_a_table_draft_is_saved_listed_and_reopened_in_the_table_editor(client: FlaskClient) -> None:
    saved = client.post("/modeler/api/drafts", json={"xml": RAISED, "title": "Higher willful ceiling"})

    assert saved.status_code == 201
    draft = saved.get_json()
    assert draft["processKey"] == f"{TABLE}.dmn"
    editor = f"/modeler/decisions/{TABLE}/edit?draft={draft['id']}"
    assert editor in client.get("/modeler/").text
    page = client.get(editor)
    assert page.status_code == 200
    assert "Edit draft “Higher willful ceiling” of" in page.text
    assert "150000" in page.text  # the draft's XML, not the deployed table's
    other = client.get(f"/modeler/decisions/removal_effect/edit?draft={draft['id']}")
    assert other.status_code == 404
