"""Process definitions: list, read, XML, deploy, and start an instance (idempotently)."""

from __future__ import annotations

import json
from typing import Any

from werkzeug.datastructures import FileStorage

from service.actions import starting
from service.actions.deployment import DiagramSet, submit
from service.api import paging
from service.api import schemas as S
from service.api.blueprint import services
from service.api.contract import Answer, Call, Reply, operation, problem_answer
from service.api.reading import Body, Param
from service.engine.values import DiagramSource
from service.errors import FieldError, InvalidData
from service.views import definitions

TAG = "Process definitions"
KEY = Param({"type": "string", "pattern": S.KEY_PATTERN}, "the process id (e.g. application_review)")
VERSION = {"version": Param(S.VERSION, "a version instead of the latest")}
IDEMPOTENCY_KEY = Param(
    {"type": "string", "minLength": 1, "maxLength": 200, "pattern": r"^[\x21-\x7e]+$"},
    "repeat a start safely: the same key with the same body returns the first response (and starts "
    "nothing); with another body it is refused (422). Keys are per token and kept for "
    "RCP_API_IDEMPOTENCY_TTL seconds (default 24 h).",
)
START_LINKS = {
    "GetProcessInstance": {
        "operationId": "getProcessInstance",
        "parameters": {"path.id": "$response.body#/id"},
    },
    "GetProcessInstanceHistory": {
        "operationId": "getProcessInstanceHistory",
        "parameters": {"path.id": "$response.body#/id"},
    },
    "DeliverAwaitedMessage": {
        "operationId": "deliverMessage",
        "requestBody": {
            "messageName": "$response.body#/waitingMessages/0/messageName",
            "processInstanceId": "$response.body#/id",
            "correlationKeys": "$response.body#/waitingMessages/0/correlation",
        },
    },
}


@operation(
    "GET",
    "/process-definitions",
    operation_id="listProcessDefinitions",
    tag=TAG,
    scope="read",
    summary="List process definitions with their versions and instance counts",
    answers={
        200: Answer(
            "every deployed key (one page)", paging.envelope(S.ref("ProcessDefinitionSummary"), False)
        )
    },
)
def list_definitions(call: Call) -> Reply:
    return Reply(paging.whole(definitions.definitions(services())))


@operation(
    "GET",
    "/process-definitions/{key}",
    operation_id="getProcessDefinition",
    tag=TAG,
    scope="read",
    summary="Read the latest version of a process (or ?version=) with its start schema",
    path_params={"key": KEY},
    query=VERSION,
    answers={200: Answer("the version", S.ref("ProcessDefinition")), 404: problem_answer("no such process")},
)
def get_definition(call: Call) -> Reply:
    return Reply(definitions.definition(services(), call.path["key"], call.query.get("version")))


@operation(
    "GET",
    "/process-definitions/{key}/xml",
    operation_id="getProcessDefinitionXml",
    tag=TAG,
    scope="read",
    summary="Read the BPMN XML of a process version",
    path_params={"key": KEY},
    query=VERSION,
    answers={
        200: Answer("the diagram", S.ref("ProcessDefinitionXml")),
        404: problem_answer("no such process"),
    },
)
def get_definition_xml(call: Call) -> Reply:
    return Reply(definitions.definition_xml(services(), call.path["key"], call.query.get("version")))


@operation(
    "POST",
    "/process-definitions",
    operation_id="deployProcessDefinitions",
    tag=TAG,
    scope="deploy",
    summary="Deploy diagrams with their forms and start schemas (all or nothing)",
    description="Send JSON (`diagrams`, `forms`, `startSchemas`) or multipart/form-data with `files` "
    "(`*.bpmn`, `*.dmn` decision tables, `<key>.start.schema.json`, other `*.json` are forms). Each "
    "changed process gets a new version; an unchanged one keeps its version; a changed decision table "
    "gives each process using it a new version. Any error rejects the whole set with each issue's "
    "file, element id (a table's rule) and line.",
    body=Body(
        {"application/json": S.ref("DeploymentRequest"), "multipart/form-data": S.ref("DeploymentUpload")}
    ),
    answers={
        201: Answer("at least one new version", S.ref("Deployment")),
        200: Answer("nothing changed", S.ref("Deployment")),
        422: problem_answer(
            "invalid input, or a diagram, form or start schema fails the deploy checks: `issues` "
            "lists each with its file, element id and line (nothing is deployed)"
        ),
    },
)
def deploy_definitions(call: Call) -> Reply:
    if call.media_type == "multipart/form-data":
        diagrams = _from_files(call.body["files"])
    else:
        diagrams = _from_json(call.body)
    results = submit(services(), diagrams, call.actor, call.body.get("note"))
    return Reply({"deployed": results}, 201 if any(r["created"] for r in results) else 200)


def _from_json(body: dict[str, Any]) -> DiagramSet:
    return DiagramSet(
        [DiagramSource(d["name"], d["xml"].encode()) for d in body["diagrams"]],
        {name: json.dumps(form).encode() for name, form in body.get("forms", {}).items()},
        {key: json.dumps(schema).encode() for key, schema in body.get("startSchemas", {}).items()},
    )


def _from_files(files: list[FileStorage]) -> DiagramSet:
    diagrams, forms, starts, errors = [], {}, {}, []
    for f in files:
        name = (f.filename or "").replace("\\", "/").rsplit("/", 1)[-1]
        content = f.read()
        if name.endswith((".bpmn", ".dmn")):  # a .dmn goes to the set's decisions (DiagramSet)
            diagrams.append(DiagramSource(name, content))
        elif name.endswith(".start.schema.json"):
            starts[name.removesuffix(".start.schema.json")] = content
        elif name.endswith(".json"):
            forms[name] = content
        else:
            errors.append(FieldError(f"files.{name or '(unnamed)'}", "expected *.bpmn, *.dmn or *.json"))
    if not diagrams:
        errors.append(FieldError("files", "send at least one *.bpmn diagram or *.dmn decision table"))
    if errors:
        raise InvalidData("the uploaded files cannot be deployed", errors)
    return DiagramSet(diagrams, forms, starts)


@operation(
    "POST",
    "/process-definitions/{key}/start",
    operation_id="startProcessInstance",
    tag=TAG,
    scope="start",
    summary="Start an instance; variables are checked against the start schema at once",
    description="With an `Idempotency-Key` header a repeat (a retry after a timeout, or a twin "
    "sent at the same moment) returns the first response with `Idempotent-Replayed: true` and "
    "starts nothing.",
    path_params={"key": KEY},
    headers={"Idempotency-Key": IDEMPOTENCY_KEY},
    body=Body({"application/json": S.ref("StartRequest")}, required=False),
    answers={
        201: Answer(
            "the started instance at its first wait state",
            S.ref("ProcessInstance"),
            headers={
                "Location": Param({"type": "string"}, "the instance's URL", True),
                "Idempotent-Replayed": Param({"enum": ["true", "false"]}, "true for a repeat", True),
            },
            links=START_LINKS,
        ),
        404: problem_answer("no such process"),
        409: problem_answer("a case of this process with this business key is still open (`instanceId`)"),
        422: problem_answer(
            "invalid input, the variables fail the process's start schema, the process is one the "
            "program starts itself (no start schema), or the `Idempotency-Key` was used with another "
            "body; `errors` names each failing field"
        ),
    },
)
def start_instance(call: Call) -> Reply:
    started = starting.start_once(
        services(),
        call.path["key"],
        call.body.get("variables", {}),
        call.actor,
        business_key=call.body.get("businessKey"),
        version=call.body.get("version"),
        idempotency_key=call.headers.get("Idempotency-Key"),
    )
    headers = {
        "Location": f"/api/v1/process-instances/{started.body['id']}",
        "Idempotent-Replayed": "true" if started.replayed else "false",
    }
    return Reply(started.body, started.status, headers)
