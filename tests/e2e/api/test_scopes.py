"""Every endpoint by (no token, wrong scope, right scope), from one table."""

from __future__ import annotations

import io
import json
from dataclasses import dataclass
from typing import Any

import pytest
from flask.testing import FlaskClient

from service import api as api_package
from service.actions import documents, lifecycle, mailbox, starting, webhooks
from service.api.contract import OPERATIONS
from service.api.schemas import SCOPES
from service.services import Services
from tests.apikit import SMOKE_VARS, app_for, issue_notice, open_task, problem, token
from tests.support import FIXTURES, INTEGRATOR

api_package.load_routes()


def laid_out_deployment() -> dict[str, Any]:
    """Return a process with its layout as a JSON deployment: diagram, forms and start schema.

    Deploying checks what the modeler checks (bpmnlint, layout), which the layout-less smoke
    fixture fails; the modeler's fixture passes and, not deployed yet, becomes version 1.
    """
    folder = FIXTURES / "modeler"
    return {
        "diagrams": [
            {"name": "application_review.bpmn", "xml": (folder / "application_review.bpmn").read_text()}
        ],
        "forms": {f.name: json.loads(f.read_text()) for f in (folder / "forms").glob("*.json")},
        "startSchemas": {
            "application_review": json.loads((folder / "application_review.start.schema.json").read_text())
        },
    }


@dataclass
class World:
    """Cases, a task, a webhook and a buffered message the table's requests refer to."""

    smoke: str
    task: str
    waiting: str
    suspended: str
    webhook: str
    buffered: str
    document: str
    tokens: dict[str, dict[str, str]]


def build_world(services: Services) -> World:
    smoke = starting.start(services, "smoke", SMOKE_VARS, INTEGRATOR, business_key="A-1").instance_id
    waiting = starting.start(services, "api_waiting", {"case_number": "C-1"}, INTEGRATOR, business_key="C-1")
    paused = starting.start(services, "api_waiting", {"case_number": "C-2"}, INTEGRATOR, business_key="C-2")
    lifecycle.suspend(services, paused.instance_id, INTEGRATOR, "waiting for counsel")
    only = {scope: token(services, f"only-{scope}", scope) for scope in SCOPES}
    hook = webhooks.register(services, "only-webhooks", "https://93.184.215.14/hook", ["task.created"])
    sender = mailbox.Actor("integrator", "only-message", scopes=frozenset({"message"}))
    kept = mailbox.send(services, "nothing_waits", sender, business_key="Z-1", buffer=True)
    issue_notice(services)
    filer = mailbox.Actor("integrator", "only-documents", scopes=frozenset({"documents"}))
    [attached] = documents.attach(services, filer, "A-1", [documents.Upload("a.pdf", io.BytesIO(PDF))])
    return World(
        smoke=smoke,
        task=open_task(services, smoke)["id"],
        waiting=waiting.instance_id,
        suspended=paused.instance_id,
        webhook=hook["id"],
        buffered=kept.body["id"],
        document=attached["id"],
        tokens=only,
    )


DEPLOY = {"diagrams": [{"name": "smoke.bpmn", "xml": "(smoke)"}]}
START = {"businessKey": "C-9", "variables": {"case_number": "C-9"}}
MESSAGE = {
    "messageName": "document_received",
    "businessKey": "C-1",
    "correlationKeys": {"case_number": "C-1"},
}
REASON = {"reason": "the applicant withdrew"}
PDF = b"%PDF-1.4 scopes"
UPLOAD = {"file": "(a PDF, sent as multipart/form-data)"}
HOOK = {"url": "https://93.184.215.14/other", "events": ["instance.completed"]}  # a public address

# operationId: (method, path, body, status with the right scope)
TABLE: dict[str, tuple[str, str, Any, int]] = {
    "listProcessDefinitions": ("GET", "/process-definitions", None, 200),
    "getProcessDefinition": ("GET", "/process-definitions/api_waiting", None, 200),
    "getProcessDefinitionXml": ("GET", "/process-definitions/api_waiting/xml", None, 200),
    "deployProcessDefinitions": ("POST", "/process-definitions", DEPLOY, 201),
    "startProcessInstance": ("POST", "/process-definitions/api_waiting/start", START, 201),
    "listProcessInstances": ("GET", "/process-instances?withIncident=false", None, 200),
    "getProcessInstance": ("GET", "/process-instances/{waiting}", None, 200),
    "getProcessInstanceHistory": ("GET", "/process-instances/{waiting}/history", None, 200),
    "suspendProcessInstance": ("POST", "/process-instances/{waiting}/suspend", REASON, 200),
    "resumeProcessInstance": ("POST", "/process-instances/{suspended}/resume", REASON, 200),
    "cancelProcessInstance": ("POST", "/process-instances/{waiting}/cancel", REASON, 200),
    "deliverMessage": ("POST", "/messages", MESSAGE, 200),
    "getBufferedMessage": ("GET", "/messages/{buffered}", None, 200),
    "listTasks": ("GET", "/tasks?candidateGroup=reviewers", None, 200),
    "getTask": ("GET", "/tasks/{task}", None, 200),
    "claimTask": ("POST", "/tasks/{task}/claim", None, 200),
    "unclaimTask": ("POST", "/tasks/{task}/unclaim", None, 200),
    "completeTask": ("POST", "/tasks/{task}/complete", {"variables": {"decision": "ok"}}, 200),
    "listNotices": ("GET", "/notices?businessKey=A-1", None, 200),
    "getNotice": ("GET", "/notices/RCP-NOV-2026-00001", None, 200),
    "getNoticePdf": ("GET", "/notices/RCP-NOV-2026-00001/pdf", None, 200),
    "createWebhook": ("POST", "/webhooks", HOOK, 201),
    "listWebhooks": ("GET", "/webhooks", None, 200),
    "getWebhook": ("GET", "/webhooks/{webhook}", None, 200),
    "deleteWebhook": ("DELETE", "/webhooks/{webhook}", None, 204),
    "listWebhookDeliveries": ("GET", "/webhooks/{webhook}/deliveries", None, 200),
    "pingWebhook": ("POST", "/webhooks/{webhook}/ping", None, 202),
    "listIncidents": ("GET", "/incidents?status=all", None, 200),
    "listCases": ("GET", "/cases?businessKey=C-", None, 200),
    "getCase": ("GET", "/cases/C-1", None, 200),
    "getCaseRecord": ("GET", "/cases/C-1/record", None, 200),
    "uploadCaseDocuments": ("POST", "/cases/A-1/documents", UPLOAD, 201),
    "listCaseDocuments": ("GET", "/cases/A-1/documents", None, 200),
    "downloadCaseDocument": ("GET", "/cases/A-1/documents/{document}", None, 200),
    # Past the scope check, the rule answers: this case has no incident to retry.
    "retryProcessInstance": ("POST", "/process-instances/{waiting}/retry", None, 409),
    "getOpenApiDocument": ("GET", "/openapi.json", None, 200),
    "getApiDocumentation": ("GET", "/docs", None, 200),
}


def test_the_table_covers_every_operation_of_the_api() -> None:
    assert set(TABLE) == set(OPERATIONS)


def _call(client: FlaskClient, row: tuple[str, str, Any, int], world: World, headers: dict[str, str]) -> Any:
    method, path, body, _ = row
    if body is DEPLOY:
        body = laid_out_deployment()
    url = "/api/v1" + path.format(**{k: v for k, v in world.__dict__.items() if isinstance(v, str)})
    if body is UPLOAD:
        form = {"file": (io.BytesIO(PDF), "a.pdf")}
        return client.open(url, method=method, data=form, headers=headers, content_type="multipart/form-data")
    return client.open(url, method=method, json=body, headers=headers)


@pytest.mark.parametrize("operation_id", sorted(TABLE))
def test_no_token_is_401_a_token_without_the_scope_is_403_and_the_scope_succeeds(
    api: Services, operation_id: str
) -> None:
    world = build_world(api)
    client = app_for(api).test_client()
    row = TABLE[operation_id]
    scope = OPERATIONS[operation_id].scope

    anonymous = _call(client, row, world, {})
    if OPERATIONS[operation_id].public:  # the documentation: open to anyone, so links to it open
        assert anonymous.status_code == row[3]
        return
    assert anonymous.status_code == 401
    assert problem(anonymous)["type"].endswith("unauthenticated")
    assert anonymous.headers["WWW-Authenticate"].startswith("Bearer")

    if scope is None:
        right = token(api, "no-scopes")
    else:
        wrong = _call(client, row, world, token(api, "all-but", *(s for s in SCOPES if s != scope)))
        assert wrong.status_code == 403
        assert problem(wrong)["requiredScope"] == scope
        right = world.tokens[scope]
    ok = _call(client, row, world, right)
    assert ok.status_code == row[3], ok.get_data(as_text=True)
