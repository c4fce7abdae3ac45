"""One set of deploy checks: what the modeler refuses (bpmnlint, layout), ``rcp validate``,
``rcp deploy`` and ``POST /api/v1/process-definitions`` refuse too, naming the element."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select

from service import create_app
from service.actions.deployment import deploy, read_directory
from service.cli import main
from service.errors import DeploymentRejected
from service.identity import tokens
from service.modeler import checks
from service.services import Services
from service.store.schema import process_definitions
from tests.support import ANALYST, FIXTURES, INTEGRATOR

PROGRAM = Path(__file__).resolve().parents[2] / "processes"
MODELER = FIXTURES / "modeler"
LABEL = ("bpmnlint/label-required", "error")


def _unlabeled_review() -> str:
    xml = (MODELER / "application_review.bpmn").read_text()
    return xml.replace(
        '<bpmn:userTask id="review" name="Review the application">', '<bpmn:userTask id="review">'
    )


def _versions(services: Services, key: str) -> list[int]:
    with services.db.unit_of_work(readonly=True) as uow:
        return sorted(d.version for d in uow.definitions.versions(key))


def _deployed(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(process_definitions)).scalar_one())
    finally:
        engine.dispose()


@pytest.fixture
def folder(tmp_path: Path, db_url: str, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A processes folder with the program's appeal diagram, its decision task left unnamed."""
    monkeypatch.setenv("DATABASE_URL", db_url)
    monkeypatch.setenv("RCP_INSTANCE_DIR", str(tmp_path))
    target = tmp_path / "processes"
    shutil.copytree(PROGRAM / "forms", target / "forms")
    xml = (PROGRAM / "appeal.bpmn").read_text()
    named = '<bpmn:userTask id="decide_denial_appeal" name="Decide the denial appeal">'
    assert named in xml
    (target / "appeal.bpmn").write_text(xml.replace(named, '<bpmn:userTask id="decide_denial_appeal">'))
    return target


def test_rcp_validate_and_rcp_deploy_refuse_an_unlabeled_task_naming_it(
    folder: Path, db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    for command in ("validate", "deploy"):
        assert main([command, "--dir", str(folder)]) == 2
        out, err = capsys.readouterr()
        refusal = [line for line in err.splitlines() if line.startswith("ERROR: ")]
        assert refusal == ["ERROR: appeal.bpmn:97 [decide_denial_appeal]: Element is missing label/name"], err
        assert "deployed" not in out and "Traceback" not in err

    assert _deployed(db_url) == 0
    shutil.copy(PROGRAM / "appeal.bpmn", folder / "appeal.bpmn")
    capsys.readouterr()
    assert main(["deploy", "--dir", str(folder)]) == 0
    assert capsys.readouterr().out.splitlines()[-1] == "deployed appeal version 1 (new version)"


def test_the_api_refuses_the_diagram_the_modeler_refuses_with_the_same_issue(services: Services) -> None:
    deploy(services, read_directory(MODELER), INTEGRATOR)  # version 1, labelled
    xml = _unlabeled_review()
    forms = {p.name: json.loads(p.read_text()) for p in (MODELER / "forms").glob("*.json")}
    start = json.loads((MODELER / "application_review.start.schema.json").read_text())
    body = {
        "diagrams": [{"name": "application_review.bpmn", "xml": xml}],
        "forms": forms,
        "startSchemas": {"application_review": start},
    }
    auth = {"Authorization": f"Bearer {tokens.create(services, 'pipeline', ['deploy'])}"}

    answer = (
        create_app(services=services)
        .test_client()
        .post("/api/v1/process-definitions", json=body, headers=auth)
    )
    with pytest.raises(DeploymentRejected) as modeler:
        checks.deploy(services, ANALYST, xml.encode(), "drop the task's name")

    assert answer.status_code == 422
    assert answer.headers["Content-Type"] == "application/problem+json"
    api_issues = [(i["elementId"], i["rule"], i["severity"]) for i in answer.get_json()["issues"]]
    modeler_issues = [(i["elementId"], i["rule"], i["severity"]) for i in modeler.value.extra["issues"]]
    assert ("review", *LABEL) in api_issues
    assert [i for i in api_issues if i[2] == "error"] == [i for i in modeler_issues if i[2] == "error"]
    assert _versions(services, "application_review") == [1]


def test_without_node_every_door_deploys_with_a_warning_that_the_lint_did_not_run(
    folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    shutil.copy(PROGRAM / "appeal.bpmn", folder / "appeal.bpmn")
    monkeypatch.setenv("PATH", str(folder))  # no node on the PATH, as on a host with only the wheel

    assert main(["validate", "--dir", str(folder)]) == 0
    out, _ = capsys.readouterr()
    assert out.splitlines() == [
        "WARNING: appeal.bpmn: bpmnlint and the modeling-tool import check did not run:"
        " Node.js or the front-end packages are not installed",
        "1 process(es) valid",
    ]
    assert main(["deploy", "--dir", str(folder)]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[-1] == "deployed appeal version 1 (new version)"
    assert "WARNING: appeal.bpmn: bpmnlint and the modeling-tool import check did not run" in err


def test_without_node_the_api_and_the_modeler_deploy_and_say_the_lint_did_not_run(
    services: Services, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # no node on the PATH
    xml = (MODELER / "application_review.bpmn").read_text()
    forms = {p.name: json.loads(p.read_text()) for p in (MODELER / "forms").glob("*.json")}
    start = json.loads((MODELER / "application_review.start.schema.json").read_text())
    body = {
        "diagrams": [{"name": "application_review.bpmn", "xml": xml}],
        "forms": forms,
        "startSchemas": {"application_review": start},
    }
    auth = {"Authorization": f"Bearer {tokens.create(services, 'pipeline', ['deploy'])}"}

    with caplog.at_level("WARNING", logger="rcp.deploy"):
        answer = (
            create_app(services=services)
            .test_client()
            .post("/api/v1/process-definitions", json=body, headers=auth)
        )
    modeler = checks.deploy(services, ANALYST, xml.replace("Review the application", "Review").encode(), "v2")

    assert answer.status_code == 201
    said = next(r.getMessage() for r in caplog.records if r.name == "rcp.deploy")
    assert said.startswith("bpmnlint and the modeling-tool import check did not run")
    assert said.endswith("(application_review.bpmn)")
    assert [(i["severity"], i["rule"]) for i in modeler["issues"]] == [("warning", "bpmnlint")]
    assert modeler["issues"][0]["message"].startswith(
        "bpmnlint and the modeling-tool import check did not run"
    )
    assert _versions(services, "application_review") == [1, 2]
