"""Schemas of what integrators read: definitions, instances, tasks, history."""

from __future__ import annotations

from service.api.schemas.base import (
    ANY_OBJECT,
    COMPONENTS,
    COUNTS,
    DATETIME,
    STRING,
    Schema,
    nullable,
    obj,
    page_of,
)

COMPONENTS["Task"] = obj(
    ["id", "name", "candidateGroup", "assignee", "due", "processInstanceId", "processKey", "created"],
    id=STRING,
    name=STRING,
    title=nullable(STRING),
    candidateGroup=nullable(STRING),
    assignee=nullable(STRING),
    form=nullable(STRING),
    uiForm=nullable(STRING),
    due=nullable(DATETIME),
    dueCitation=nullable(STRING),
    instructions=nullable(STRING),
    processInstanceId=STRING,
    processKey=STRING,
    businessKey=nullable(STRING),
    created=DATETIME,
    claimed=nullable(DATETIME),
)
COMPONENTS["TaskDetail"] = {
    "allOf": [
        {"$ref": "#/components/schemas/Task"},
        obj(["formSchema"], formSchema={**nullable(ANY_OBJECT), "description": "JSON Schema of the form"}),
    ]
}
STATUS: Schema = {"type": "string", "description": "waiting, error, completed or cancelled"}
COMPONENTS["ProcessInstance"] = obj(
    ["id", "processKey", "definitionVersion", "businessKey", "status", "suspended", "hasIncident", "version"],
    id=STRING,
    processKey=STRING,
    definitionVersion={"type": "integer"},
    businessKey=nullable(STRING),
    status=STATUS,
    suspended={"type": "boolean"},
    hasIncident={"type": "boolean"},
    version={"type": "integer", "description": "increases with every change (optimistic locking)"},
    created=DATETIME,
    updated=DATETIME,
    completed=nullable(DATETIME),
    startedBy=nullable(STRING),
    variables=ANY_OBJECT,
    activeTasks={"type": "array", "items": {"$ref": "#/components/schemas/Task"}},
    waitingMessages={
        "type": "array",
        "items": obj(
            ["messageName", "correlation"], messageName=STRING, correlation=ANY_OBJECT, element=STRING
        ),
    },
    deadlines={
        "type": "array",
        "items": obj(
            ["kind", "element", "due"],
            kind={"enum": ["task", "timer"]},
            element=STRING,
            title=nullable(STRING),
            due=nullable(DATETIME),
            citation=nullable(STRING),
        ),
    },
    incidents={
        "type": "array",
        "items": obj(["element", "message"], id={"type": "integer"}, element=STRING, message=STRING),
    },
    nextRetry={**nullable(DATETIME), "description": "when a failed service task is tried again"},
    serviceCalls={
        "type": "array",
        "description": "failed service-task tries and the retries after them",
        "items": obj(
            ["element", "operation", "attempt", "at", "outcome"],
            element=STRING,
            operation=STRING,
            attempt={"type": "integer"},
            at=DATETIME,
            outcome={"enum": ["failed", "ok"]},
            error=nullable(STRING),
            retryAt=nullable(DATETIME),
        ),
    },
)
COMPONENTS["ProcessInstanceSummary"] = obj(
    ["id", "processKey", "definitionVersion", "businessKey", "status", "suspended", "hasIncident", "created"],
    id=STRING,
    processKey=STRING,
    definitionVersion={"type": "integer"},
    businessKey=nullable(STRING),
    status=STATUS,
    suspended={"type": "boolean"},
    hasIncident={"type": "boolean"},
    version={"type": "integer"},
    created=DATETIME,
    updated=DATETIME,
    completed=nullable(DATETIME),
    startedBy=nullable(STRING),
    nextTimerDue=nullable(DATETIME),
)
COMPONENTS["ProcessInstancePage"] = page_of("ProcessInstanceSummary")
COMPONENTS["HistoryEntry"] = obj(
    ["id", "at", "actorKind", "actor", "action", "outcome"],
    id={"type": "integer"},
    at=DATETIME,
    actorKind=STRING,
    actor=STRING,
    action=STRING,
    taskId=nullable(STRING),
    task=nullable(STRING),
    data={"description": "what the trigger carried (variables, reason ...)"},
    outcome={"type": "string", "description": "ok, incident, refused or buffered"},
    detail=nullable(STRING),
)
COMPONENTS["DefinitionVersion"] = obj(
    ["id", "version", "deployed", "instances"],
    id={"type": "integer"},
    version={"type": "integer"},
    deployed=DATETIME,
    instances=COUNTS,
)
COMPONENTS["ProcessDefinitionSummary"] = obj(
    ["key", "latestVersion", "versions", "instances"],
    key=STRING,
    name=nullable(STRING),
    latestVersion={"type": "integer"},
    startMessages={"type": "array", "items": STRING},
    versions={"type": "array", "items": {"$ref": "#/components/schemas/DefinitionVersion"}},
    instances=COUNTS,
)
COMPONENTS["ProcessDefinition"] = obj(
    ["id", "key", "version", "latestVersion", "deployed", "startSchema", "instances"],
    id={"type": "integer"},
    key=STRING,
    version={"type": "integer"},
    latestVersion={"type": "integer"},
    name=nullable(STRING),
    deployed=DATETIME,
    deployedBy=nullable(STRING),
    note=nullable(STRING),
    startSchema={**nullable(ANY_OBJECT), "description": "JSON Schema the start variables must meet"},
    startMessages={"type": "array", "items": STRING},
    calledProcesses={"type": "array", "items": STRING},
    forms={"type": "array", "items": STRING},
    instances=COUNTS,
)
COMPONENTS["ProcessDefinitionXml"] = obj(
    ["id", "key", "version", "bpmn20Xml"],
    id={"type": "integer"},
    key=STRING,
    version={"type": "integer"},
    bpmn20Xml=STRING,
)
