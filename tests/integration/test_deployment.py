"""Deploying diagrams: versions by content, and broken diagrams refused precisely with nothing stored."""

from __future__ import annotations

from pathlib import Path

import pytest

from service.actions import starting, tasks
from service.actions.deployment import DiagramSet, deploy, read_directory
from service.engine.values import DiagramSource
from service.errors import DeploymentRejected
from service.services import Services
from service.store.rows import TaskFilter
from service.views import instances, open_tasks
from tests.support import ANALYST, FIXTURES, INTEGRATOR, REVIEWER, copy_processes, processes

SMOKE = (FIXTURES / "processes" / "smoke.bpmn").read_text()
START_VARS = {"application_number": "A-1", "received_on": "2026-01-05"}


def _with_diagram(xml: str) -> DiagramSet:
    base = processes()
    return DiagramSet([DiagramSource("smoke.bpmn", xml.encode())], base.forms, base.start_schemas)


def _refusal(services: Services, xml: str) -> list[dict]:
    with pytest.raises(DeploymentRejected) as refused:
        deploy(services, _with_diagram(xml), ANALYST)
    with services.db.unit_of_work(readonly=True) as uow:
        assert uow.definitions.latest("smoke") is None, "a refused deployment must store nothing"
    return [i.as_dict() for i in refused.value.issues if i.severity == "error"]


def test_redeploying_unchanged_content_makes_no_new_version(services: Services) -> None:
    first = deploy(services, processes(), ANALYST)
    again = deploy(services, processes(), ANALYST)

    assert sorted((r["key"], r["version"], r["created"]) for r in first) == [
        ("flaky_lookup", 1, True),
        ("notice_retry", 1, True),
        ("patient_lookup", 1, True),
        ("smoke", 1, True),
        ("timer_only", 1, True),
    ]
    assert sorted((r["key"], r["version"], r["created"]) for r in again) == [
        ("flaky_lookup", 1, False),
        ("notice_retry", 1, False),
        ("patient_lookup", 1, False),
        ("smoke", 1, False),
        ("timer_only", 1, False),
    ]


def test_changed_content_makes_the_next_version(services: Services, tmp_path: Path) -> None:
    deploy(services, processes(), ANALYST)
    folder = copy_processes(tmp_path)
    diagram = folder / "smoke.bpmn"
    diagram.write_text(diagram.read_text().replace('name="Review"', 'name="Review the application"'))

    result = deploy(services, read_directory(folder), ANALYST, note="rename the review task")

    assert {(r["key"], r["version"], r["created"]) for r in result} == {
        ("smoke", 2, True),
        ("flaky_lookup", 1, False),
        ("notice_retry", 1, False),
        ("patient_lookup", 1, False),
        ("timer_only", 1, False),
    }


def test_a_changed_form_alone_makes_a_new_version(services: Services, tmp_path: Path) -> None:
    deploy(services, processes(), ANALYST)
    folder = copy_processes(tmp_path)
    form = folder / "forms" / "smoke_review.schema.json"
    form.write_text(form.read_text().replace('"title": "Review"', '"title": "Review (v2)"'))

    versions = {r["key"]: r["version"] for r in deploy(services, read_directory(folder), ANALYST)}
    assert versions == {
        "smoke": 2,
        "flaky_lookup": 1,
        "notice_retry": 1,
        "patient_lookup": 1,
        "timer_only": 1,
    }


def test_running_cases_stay_on_their_version_and_new_cases_use_the_latest(
    services: Services, tmp_path: Path
) -> None:
    deploy(services, processes(), ANALYST)
    old = starting.start(services, "smoke", START_VARS, INTEGRATOR, business_key="A-1")
    folder = copy_processes(tmp_path)
    diagram = folder / "smoke.bpmn"
    diagram.write_text(diagram.read_text().replace('name="Review"', 'name="Review v2"'))
    deploy(services, read_directory(folder), ANALYST)

    new = starting.start(services, "smoke", START_VARS, INTEGRATOR, business_key="A-2")

    assert instances.instance(services, old.instance_id)["definitionVersion"] == 1
    assert instances.instance(services, new.instance_id)["definitionVersion"] == 2
    old_task = open_tasks.tasks(services, REVIEWER, TaskFilter(instance_id=old.instance_id))[0]
    assert old_task["title"] == "Review"
    tasks.complete(services, old_task["id"], {"decision": "ok"}, REVIEWER)
    assert instances.instance(services, old.instance_id)["definitionVersion"] == 1


def test_malformed_xml_is_refused_with_its_line(services: Services) -> None:
    broken = SMOKE.replace('<bpmn:endEvent id="end">', '<bpmn:endEvent id="end"', 1)

    [issue] = _refusal(services, broken)

    assert issue["rule"] == "xml"
    assert "malformed XML" in issue["message"]
    assert (
        issue["line"]
        == SMOKE.splitlines().index(
            next(line for line in SMOKE.splitlines() if 'bpmn:endEvent id="end"' in line)
        )
        + 1
    )


def test_an_external_entity_is_refused_and_never_resolved(services: Services, tmp_path: Path) -> None:
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    xxe = SMOKE.replace(
        '<?xml version="1.0" encoding="UTF-8"?>',
        f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE d [<!ENTITY x SYSTEM "file://{secret}">]>',
    ).replace('name="Review"', 'name="&x;"')

    issues = _refusal(services, xxe)

    assert any("DTD" in i["message"] or "entit" in i["message"].lower() for i in issues)
    assert all("TOP-SECRET" not in i["message"] for i in issues)


def test_an_unknown_operation_is_refused_naming_the_element(services: Services) -> None:
    issues = _refusal(
        services, SMOKE.replace('serviceTaskOperator id="echo"', 'serviceTaskOperator id="launch"')
    )

    assert [(i["rule"], i["elementId"]) for i in issues] == [("registry", "call_echo")]
    assert "no handler is registered for operation 'launch'" in issues[0]["message"]
    assert issues[0]["line"] == _line_of(SMOKE, 'serviceTaskOperator id="echo"')


def test_an_unknown_parameter_is_refused(services: Services) -> None:
    issues = _refusal(services, SMOKE.replace('parameter id="text"', 'parameter id="txt"'))

    messages = sorted(i["message"] for i in issues)
    assert messages == [
        "operation 'echo' needs parameter 'text'",
        "unknown parameter 'txt' for operation 'echo'",
    ]


def test_an_unquoted_timer_is_refused_with_the_quoted_form_suggested(services: Services) -> None:
    issues = _refusal(services, SMOKE.replace('<bpmn:timeDuration>"P1D"', "<bpmn:timeDuration>P1D"))

    [issue] = issues
    assert issue["rule"] == "timer"
    assert issue["elementId"] == "wait_day"  # the event, not its (undrawn) timer definition
    assert issue["line"] == _line_of(SMOKE, "<bpmn:timeDuration>")
    assert "must be quoted" in issue["message"] and '"P1D"' in issue["message"]


def test_a_timer_value_that_is_not_iso_8601_is_refused(services: Services) -> None:
    [issue] = _refusal(services, SMOKE.replace('"P1D"', '"one day"'))

    assert issue["rule"] == "timer"
    assert "not an ISO 8601" in issue["message"]


@pytest.mark.parametrize(
    "script",
    [
        "x = ().__class__.__base__.__subclasses__()",
        "x = __import__('os').system('id')",
        "import os",
        "x = open('/etc/passwd').read()",
        "x = '{0.__class__}'.format(1)",
        "x = getattr(1, 'real')",
    ],
)
def test_a_script_breaking_the_policy_is_refused(services: Services, script: str) -> None:
    with_script = SMOKE.replace(
        '<bpmn:userTask id="review" name="Review">\n      <bpmn:extensionElements>',
        f'<bpmn:userTask id="review" name="Review">\n      <bpmn:extensionElements>\n'
        f"        <spiffworkflow:preScript>{_escape(script)}</spiffworkflow:preScript>",
    )

    [issue] = _refusal(services, with_script)

    assert issue["rule"] == "policy"
    assert issue["elementId"] == "review"


def test_a_missing_form_file_is_refused(services: Services) -> None:
    [issue] = _refusal(services, SMOKE.replace("smoke_review.schema.json", "nowhere.schema.json"))

    assert issue["rule"] == "form"
    assert "nowhere.schema.json" in issue["message"]
    assert issue["elementId"] == "review"


def test_a_schema_violation_is_refused_with_the_element_and_line(services: Services) -> None:
    bad = SMOKE.replace(
        '<bpmn:endEvent id="end"><bpmn:incoming>f5</bpmn:incoming></bpmn:endEvent>',
        '<bpmn:endEvent id="end"><bpmn:bogus/><bpmn:incoming>f5</bpmn:incoming></bpmn:endEvent>',
    )

    [issue] = _refusal(services, bad)

    assert issue["rule"] == "xsd"
    assert issue["elementId"] == "end"
    assert issue["line"] == _line_of(SMOKE, '<bpmn:endEvent id="end">')


def test_a_flow_to_a_missing_element_is_refused_by_the_engine(services: Services) -> None:
    [issue] = _refusal(services, SMOKE.replace('targetRef="end"', 'targetRef="nowhere"'))

    assert issue["rule"] == "engine"
    assert issue["file"] == "smoke.bpmn"


def _line_of(text: str, fragment: str) -> int:
    return next(n for n, line in enumerate(text.splitlines(), 1) if fragment in line)


def _escape(script: str) -> str:
    return script.replace("&", "&amp;").replace("<", "&lt;").replace("'", "&apos;")
