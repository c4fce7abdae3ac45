"""A changed decision table serves new cases while a running case keeps its own; pages and API show it."""

from __future__ import annotations

import io
from collections.abc import Iterator
from pathlib import Path

import pytest
from lxml import html

from service import create_app
from service.actions import migration
from service.actions.deployment import DiagramSet, deploy, read_directory, submit
from service.clock import MovableClock
from service.engine.values import DiagramSource
from service.errors import DeploymentRejected
from service.views import decisions
from service.views import migration as migration_views
from tests.apikit import token
from tests.e2e.inbox_world import World
from tests.integration.test_scenarios_enforcement import IOR, assess, failure
from tests.program_support import INTAKE, PROCESSES, Case, certified_recordkeeper, program_services
from tests.support import SUPERVISOR

CEILING = (PROCESSES / "penalty_ceiling.dmn").read_text()
LOWER = CEILING.replace("<text>100000</text>", "<text>90000</text>")


@pytest.fixture
def world(db_url: str, tmp_path: Path, clock: MovableClock) -> Iterator[World]:
    services = program_services(db_url, tmp_path, clock)
    certified_recordkeeper(services, IOR)
    yield World(services, create_app(services=services))
    services.close()


def _taken(world: World, instance_id: str) -> list[tuple[str, int | None, str | None]]:
    with world.services.db.unit_of_work(readonly=True) as uow:
        found = decisions.taken_in(uow, [instance_id])
    return [(d["decision"], d["version"], d["rule"]["id"] if d["rule"] else None) for d in found]


def test_a_case_started_on_version_1_keeps_its_table_after_version_2_deploys(
    world: World, clock: MovableClock
) -> None:
    services = world.services
    older = Case.start(services, clock, "notice_of_violation", failure("D-401", "200000"), "D-401")

    results = deploy(
        services,
        DiagramSet([DiagramSource("penalty_ceiling.dmn", LOWER.encode())]),
        INTAKE,
        "willful: 90,000",
    )

    # The table alone was deployed: the process using it gets a new version pinning table version 2.
    assert [(r["key"], r["version"], r["created"]) for r in results] == [("notice_of_violation", 2, True)]
    newer = Case.start(services, clock, "notice_of_violation", failure("D-402", "200000"), "D-402")
    assess(older, willful="yes")
    assess(newer, willful="yes")

    assert older.variables["penalty_ceiling"]["total"] == "100000.00"  # §163.6(b)(1)(i), version 1
    assert newer.variables["penalty_ceiling"]["total"] == "90000.00"
    assert _taken(world, older.id) == [
        ("notice_or_penalty", 1, "rule_willful_participant"),
        ("penalty_ceiling", 1, "rule_willful"),
    ]
    assert _taken(world, newer.id) == [
        ("notice_or_penalty", 1, "rule_willful_participant"),
        ("penalty_ceiling", 2, "rule_willful"),
    ]


def test_a_supervisor_moves_a_waiting_case_to_the_version_with_the_new_table_and_it_decides_by_it(
    world: World, clock: MovableClock
) -> None:
    services = world.services
    case = Case.start(services, clock, "notice_of_violation", failure("D-411", "200000"), "D-411")
    deploy(services, DiagramSet([DiagramSource("penalty_ceiling.dmn", LOWER.encode())]), INTAKE, "90,000")

    # The case waits at the assessment, which the new version keeps unchanged: it may move.
    report = migration_views.check(services, "notice_of_violation", 1, SUPERVISOR)
    assert [(c["id"], c["movable"], c["reasons"]) for c in report["cases"]] == [(case.id, True, [])]
    migration.migrate(services, "notice_of_violation", 1, SUPERVISOR)
    assess(case, willful="yes")

    assert case.variables["penalty_ceiling"]["total"] == "90000.00"  # §163.6(b)(1)(i), version 2
    assert ("penalty_ceiling", 2, "rule_willful") in _taken(world, case.id)


def test_deploying_the_same_table_again_makes_no_new_version(world: World) -> None:
    results = deploy(
        world.services, DiagramSet([DiagramSource("penalty_ceiling.dmn", CEILING.encode())]), INTAKE
    )

    assert results == []


def test_a_table_refused_at_deploy_changes_nothing(world: World, clock: MovableClock) -> None:
    broken = CEILING.replace("<text>75</text>", "<text>import os</text>")

    with pytest.raises(DeploymentRejected) as refused:
        deploy(world.services, DiagramSet([DiagramSource("penalty_ceiling.dmn", broken.encode())]), INTAKE)

    [issue] = refused.value.issues
    assert (issue.file, issue.element_id) == ("penalty_ceiling.dmn", "rule_willful")
    case = Case.start(world.services, clock, "notice_of_violation", failure("D-403", "200000"), "D-403")
    assess(case, willful="yes")
    assert case.variables["penalty_ceiling"]["total"] == "100000.00"


def test_the_case_page_and_the_api_show_each_decision_with_its_table_version_rule_and_outputs(
    world: World, clock: MovableClock
) -> None:
    case = Case.start(world.services, clock, "notice_of_violation", failure("D-404", "12000"), "D-404")
    assess(case, willful="no")

    page = world.client("sam").get(f"/cases/{case.id}")

    assert page.status_code == 200
    [row] = html.fromstring(page.text).xpath("//table[@id='case-table-decisions']/tbody/tr")
    text = " ".join(row.text_content().split())
    assert "Notice of violation or penalty referral notice_or_penalty, version 1" in text
    assert "Row 1 rule_notice §163.12(d)(1): certified, generally in compliance" in text
    pairs = [" ".join(e.text_content().split()) for e in row.xpath(".//dl[@class='decision-inputs']/*")]
    assert pairs == [
        *("Certified participant", "yes", "Generally in compliance", "yes"),
        *("Willful", "no", "Repeat failure", "no"),
    ]
    outputs = [" ".join(e.text_content().split()) for e in row.xpath(".//dl[@class='decision-outputs']/*")]
    assert outputs == ["violation_outcome", "notice_of_violation", "removal_proposed", "no"]

    answer = world.app.test_client().get(
        "/api/v1/cases/D-404", headers=token(world.services, "portal", "read")
    )

    assert answer.status_code == 200
    [taken] = answer.get_json()["tableDecisions"]
    assert taken["decision"] == "notice_or_penalty"
    assert taken["version"] == 1
    assert taken["task"] == "decide_notice_or_penalty"
    assert taken["rule"]["id"] == "rule_notice"
    assert taken["rule"]["row"] == 1
    assert "§163.12(d)(1)" in taken["rule"]["annotation"]
    assert taken["inputs"]["Willful"] == "no"
    assert taken["outputs"] == {"violation_outcome": "notice_of_violation", "removal_proposed": False}


def test_the_api_deploys_a_decision_table_and_refuses_a_broken_one_naming_file_table_and_rule(
    world: World,
) -> None:
    http = world.app.test_client()
    deployer = token(world.services, "pipeline", "deploy")
    broken = CEILING.replace("<text>75</text>", "<text>__import__('os')</text>")

    refused = http.post(
        "/api/v1/process-definitions",
        json={"diagrams": [{"name": "penalty_ceiling.dmn", "xml": broken}]},
        headers=deployer,
    )

    assert refused.status_code == 422
    [issue] = refused.get_json()["issues"]
    assert (issue["file"], issue["elementId"], issue["rule"]) == (
        "penalty_ceiling.dmn",
        "rule_willful",
        "dmn",
    )
    assert "decision 'penalty_ceiling', rule 'rule_willful' (row 1)" in issue["message"]

    upload = {"files": [(io.BytesIO(LOWER.encode()), "penalty_ceiling.dmn")], "note": "willful: 90,000"}
    deployed = http.post("/api/v1/process-definitions", data=upload, headers=deployer)

    assert deployed.status_code == 201, deployed.get_data(as_text=True)
    assert [(d["key"], d["version"]) for d in deployed.get_json()["deployed"]] == [("notice_of_violation", 2)]


def test_a_restart_keeps_a_table_deployed_from_the_modeler_as_the_latest(world: World) -> None:
    services = world.services
    deploy(services, DiagramSet([DiagramSource("penalty_ceiling.dmn", LOWER.encode())]), INTAKE)

    # rcp run deploys the processes folder again, which still holds version 1 of the table.
    again = submit(services, read_directory(PROCESSES), INTAKE, keep_newer=True)

    assert [r for r in again if r["created"]] == []
    with services.db.unit_of_work(readonly=True) as uow:
        latest = services.catalog.latest(uow, "notice_of_violation")
        assert latest is not None and latest.version == 2
        pinned = services.catalog.decisions(uow, [latest.id])
    assert {k: d["version"] for k, d in pinned.items()} == {"notice_or_penalty": 1, "penalty_ceiling": 2}


def test_a_table_moved_to_another_file_replaces_the_deployed_one(world: World, clock: MovableClock) -> None:
    deploy(world.services, DiagramSet([DiagramSource("ceilings.dmn", LOWER.encode())]), INTAKE)

    case = Case.start(world.services, clock, "notice_of_violation", failure("D-405", "200000"), "D-405")
    assess(case, willful="yes")

    assert case.variables["penalty_ceiling"]["total"] == "90000.00"
