"""The modeler's service functions: validate, draft, deploy, versions and diffs, by role."""

from __future__ import annotations

import pytest

from service.actions import starting
from service.actions.deployment import deploy, read_directory
from service.cli.core import deploy_folder
from service.errors import DeploymentRejected, Forbidden, InvalidData, NotFound
from service.modeler import checks, drafts, versions
from service.services import Services
from tests.support import ANALYST, FIXTURES, INTEGRATOR, REVIEWER, SUPERVISOR, Actor

REVIEW = (FIXTURES / "modeler" / "application_review.bpmn").read_text()
START_VARS = {"application_number": "A-1", "received_on": "2026-01-05"}
OTHER_ANALYST = Actor("user", "bo", frozenset({"analysts"}))


@pytest.fixture
def deployed(services: Services) -> Services:
    deploy(services, read_directory(FIXTURES / "modeler"), ANALYST, "first version")
    return services


def _edited() -> str:
    return REVIEW.replace('name="Review the application"', 'name="Check the application"').replace(
        '"P15D"', '"P20D"'
    )


def _version_numbers(services: Services) -> list[int]:
    return [v["version"] for v in versions.versions(services, ANALYST, "application_review")["versions"]]


def test_a_valid_diagram_validates_with_no_issue(deployed: Services) -> None:
    report = checks.validate(deployed, ANALYST, REVIEW.encode())

    assert report == {
        "ok": True,
        "fileName": "application_review.bpmn",
        "processKeys": ["application_review"],
        "issues": [],
    }


def test_an_unquoted_timer_is_an_error_on_its_element_and_line(deployed: Services) -> None:
    xml = REVIEW.replace('"P15D"', "P20D")

    report = checks.validate(deployed, ANALYST, xml.encode())

    assert report["ok"] is False
    [issue] = [i for i in report["issues"] if i["severity"] == "error"]
    assert (issue["elementId"], issue["rule"]) == ("reply_period", "timer")
    assert issue["line"] == xml.splitlines().index(next(ln for ln in xml.splitlines() if "P20D" in ln)) + 1
    assert "must be quoted" in issue["message"]


def test_bpmnlint_and_moddle_problems_are_reported_with_their_element(deployed: Services) -> None:
    xml = REVIEW.replace(' name="Review closed"', "").replace(
        "<bpmn:endEvent", '<bpmn:endEvent spiffworkflow:unknownThing="1"'
    )

    issues = checks.validate(deployed, ANALYST, xml.encode())["issues"]

    rules = {(i["rule"], i["elementId"]) for i in issues}
    assert ("bpmnlint/label-required", "closed") in rules
    assert any(i["rule"] == "moddle" and i["severity"] == "error" for i in issues)
    assert all(i["line"] for i in issues if i["elementId"] == "closed")


def test_an_unknown_operation_and_a_missing_form_are_errors(deployed: Services) -> None:
    xml = REVIEW.replace('id="echo"', 'id="send_fax"').replace(
        "application_review.schema.json", "nowhere.schema.json"
    )

    issues = checks.validate(deployed, ANALYST, xml.encode())["issues"]

    assert {(i["rule"], i["elementId"]) for i in issues if i["severity"] == "error"} == {
        ("registry", "acknowledge"),
        ("form", "review"),
    }


def test_deploy_makes_the_next_version_with_author_and_note(deployed: Services) -> None:
    result = checks.deploy(deployed, ANALYST, _edited().encode(), "Rename review; 20-day reply period")

    assert [(d["key"], d["version"], d["created"]) for d in result["deployed"]] == [
        ("application_review", 2, True)
    ]
    [v2, v1] = versions.versions(deployed, ANALYST, "application_review")["versions"]
    assert (v2["version"], v2["deployedBy"]) == (2, "user:ana")
    assert v2["note"] == "Rename review; 20-day reply period"
    assert (v1["version"], v1["note"]) == (1, "first version")


def test_deploy_needs_a_note_and_a_valid_diagram_and_stores_nothing_otherwise(deployed: Services) -> None:
    with pytest.raises(InvalidData) as no_note:
        checks.deploy(deployed, ANALYST, _edited().encode(), "   ")
    with pytest.raises(DeploymentRejected) as broken:
        checks.deploy(deployed, ANALYST, _edited().replace('"P20D"', "P20D").encode(), "try")

    assert [e.field for e in no_note.value.errors] == ["note"]
    assert [(i.element_id, i.rule) for i in broken.value.issues if i.severity == "error"] == [
        ("reply_period", "timer")
    ]
    assert _version_numbers(deployed) == [1]


def test_running_cases_are_counted_per_version(deployed: Services) -> None:
    starting.start(deployed, "application_review", START_VARS, INTEGRATOR)
    starting.start(deployed, "application_review", {**START_VARS, "application_number": "A-2"}, INTEGRATOR)
    checks.deploy(deployed, ANALYST, _edited().encode(), "v2")
    starting.start(deployed, "application_review", {**START_VARS, "application_number": "A-3"}, INTEGRATOR)

    listed = versions.versions(deployed, ANALYST, "application_review")["versions"]

    assert [(v["version"], v["runningCases"]) for v in listed] == [(2, 1), (1, 2)]
    [summary] = versions.processes(deployed, SUPERVISOR)
    assert (summary["key"], summary["latestVersion"], summary["runningCases"]) == ("application_review", 2, 3)


def test_the_diff_lists_the_renamed_task_and_the_changed_timer(deployed: Services) -> None:
    checks.deploy(deployed, ANALYST, _edited().encode(), "v2")

    result = versions.diff(deployed, ANALYST, "application_review", 1, 2)

    assert [(c["id"], c["kind"], c["type"]) for c in result["changes"]] == [
        ("reply_period", "changed", "bpmn:IntermediateCatchEvent"),
        ("review", "changed", "bpmn:UserTask"),
    ]
    by_id = {c["id"]: c["changes"] for c in result["changes"]}
    assert by_id["review"] == [
        {"property": "name", "before": "Review the application", "after": "Check the application"}
    ]
    assert by_id["reply_period"] == [
        {"property": "timerEventDefinition/timeDuration", "before": '"P15D"', "after": '"P20D"'}
    ]


def test_any_version_downloads_as_stored(deployed: Services) -> None:
    checks.deploy(deployed, ANALYST, _edited().encode(), "v2")

    first = versions.xml(deployed, ANALYST, "application_review", 1)
    latest = versions.for_editing(deployed, ANALYST, "application_review")

    assert (first["fileName"], first["xml"]) == ("application_review.v1.bpmn", REVIEW)
    assert (latest["version"], latest["xml"]) == (2, _edited())
    with pytest.raises(NotFound):
        versions.xml(deployed, ANALYST, "application_review", 9)


def test_drafts_belong_to_their_author(deployed: Services) -> None:
    saved = drafts.save(deployed, ANALYST, _edited().encode(), title="Rename review")
    drafts.save(deployed, ANALYST, REVIEW.encode(), draft_id=saved["id"], title="Rename review (2)")

    assert [(d["title"], d["processKey"]) for d in drafts.list_own(deployed, ANALYST)] == [
        ("Rename review (2)", "application_review")
    ]
    assert drafts.open_own(deployed, ANALYST, saved["id"])["xml"] == REVIEW
    assert drafts.list_own(deployed, OTHER_ANALYST) == []
    with pytest.raises(NotFound):
        drafts.open_own(deployed, OTHER_ANALYST, saved["id"])
    with pytest.raises(NotFound):
        drafts.delete_own(deployed, OTHER_ANALYST, saved["id"])
    drafts.delete_own(deployed, ANALYST, saved["id"])
    assert drafts.list_own(deployed, ANALYST) == []
    assert _version_numbers(deployed) == [1]


def test_a_draft_must_be_a_readable_diagram(deployed: Services) -> None:
    with pytest.raises(InvalidData) as refused:
        drafts.save(deployed, ANALYST, b"<bpmn:definitions")
    assert [e.field for e in refused.value.errors] == ["xml"]


NOT_ANALYSTS = [REVIEWER, SUPERVISOR, Actor("integrator", "portal", scopes=frozenset({"start"}))]


@pytest.mark.parametrize("who", NOT_ANALYSTS)
def test_non_analysts_may_not_validate_draft_or_deploy(deployed: Services, who: Actor) -> None:
    for attempt in (
        lambda: checks.validate(deployed, who, REVIEW.encode()),
        lambda: checks.deploy(deployed, who, _edited().encode(), "note"),
        lambda: checks.editor_options(deployed, who),
        lambda: drafts.save(deployed, who, REVIEW.encode()),
        lambda: drafts.list_own(deployed, who),
        lambda: versions.for_editing(deployed, who, "application_review"),
    ):
        with pytest.raises(Forbidden):
            attempt()
    assert _version_numbers(deployed) == [1]


def test_an_integrator_with_the_deploy_scope_deploys_like_an_analyst(deployed: Services) -> None:
    result = checks.deploy(deployed, INTEGRATOR, _edited().encode(), "from the pipeline")
    assert [d["version"] for d in result["deployed"]] == [2]
    assert versions.versions(deployed, ANALYST, "application_review")["versions"][0]["deployedBy"] == (
        "integrator:portal"
    )


def test_restarting_the_service_keeps_a_version_deployed_from_the_modeler(deployed: Services) -> None:
    checks.deploy(deployed, ANALYST, _edited().encode(), "v2 from the modeler")

    # ``rcp run`` deploys the processes folder, which still holds version 1's content.
    assert deploy_folder(deployed, FIXTURES / "modeler", keep_newer=True) == 0
    assert _version_numbers(deployed) == [2, 1]

    # An explicit ``rcp deploy`` of that folder is a deliberate new version.
    assert deploy_folder(deployed, FIXTURES / "modeler", note="back to the folder") == 0
    assert _version_numbers(deployed) == [3, 2, 1]
