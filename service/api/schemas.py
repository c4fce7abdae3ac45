"""JSON Schemas of the API: the one source for request validation, response checks and OpenAPI.

Request bodies are closed (``additionalProperties: false``: a misspelt field is an error, not
silently ignored); response objects are open, so adding a field never breaks an integrator.
"""

from __future__ import annotations

from typing import Any

Schema = dict[str, Any]

KEY_PATTERN = r"^[A-Za-z_][A-Za-z0-9_.-]{0,199}$"
SCOPES = ("start", "message", "read", "tasks", "deploy")


def ref(name: str) -> Schema:
    if name not in COMPONENTS:
        raise KeyError(f"no schema component {name}")
    return {"$ref": f"#/components/schemas/{name}"}


def nullable(schema: Schema) -> Schema:
    kind = schema.get("type")
    if isinstance(kind, str):
        return {**schema, "type": [kind, "null"]}
    return {"anyOf": [schema, {"type": "null"}]}


def obj(required: list[str], closed: bool = False, **properties: Schema) -> Schema:
    schema: Schema = {"type": "object", "required": required, "properties": properties}
    if closed:
        schema["additionalProperties"] = False
    return schema


def page_of(item: str) -> Schema:
    return obj(
        ["items", "nextCursor"],
        items={"type": "array", "items": ref(item)},
        nextCursor={**nullable(STRING), "description": "pass as `cursor` for the next page; null at the end"},
    )


STRING: Schema = {"type": "string"}
TEXT: Schema = {"type": "string", "maxLength": 2000}
ID: Schema = {"type": "string", "minLength": 1, "maxLength": 64}
DATETIME: Schema = {"type": "string", "format": "date-time"}
NAME: Schema = {"type": "string", "minLength": 1, "maxLength": 200}
BUSINESS_KEY: Schema = {"type": "string", "minLength": 1, "maxLength": 200}
ANY_OBJECT: Schema = {"type": "object"}
INT32_MAX = 2_147_483_647
VERSION: Schema = {"type": "integer", "minimum": 1, "maximum": INT32_MAX}
VARIABLES: Schema = {
    "type": "object",
    "description": "process variables by name (plain JSON values, checked against the start schema "
    "or the task's form)",
    "propertyNames": {"pattern": r"^[A-Za-z][A-Za-z0-9_]*$", "maxLength": 100},
}
COUNT_NAMES = ["total", "waiting", "error", "completed", "cancelled", "suspended", "withIncidents"]
COUNTS: Schema = {
    "type": "object",
    "description": "instances by status; suspended and withIncidents count across statuses",
    "required": COUNT_NAMES,
    "properties": {name: {"type": "integer", "minimum": 0} for name in COUNT_NAMES},
}

COMPONENTS: dict[str, Schema] = {}
COMPONENTS["Problem"] = {
    "type": "object",
    "description": "RFC 9457 problem details",
    "required": ["type", "title", "status", "detail"],
    "properties": {
        "type": {"type": "string", "format": "uri-reference", "description": "links to its explanation"},
        "title": STRING,
        "status": {"type": "integer", "minimum": 400, "maximum": 599},
        "detail": STRING,
        "errors": {
            "type": "array",
            "description": "the fields that failed validation",
            "items": obj(["field", "message"], field=STRING, message=STRING),
        },
        "issues": {
            "type": "array",
            "description": "what is wrong with a rejected deployment, by file, element and line",
            "items": obj(
                ["file", "message", "severity"],
                file=STRING,
                elementId=nullable(STRING),
                line=nullable({"type": "integer"}),
                message=STRING,
                severity={"enum": ["error", "warning"]},
                rule=STRING,
            ),
        },
        "candidates": {
            "type": "array",
            "description": "the instances a message matched (409)",
            "items": STRING,
        },
        "requiredScope": {"enum": list(SCOPES)},
    },
}
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
COMPONENTS["StartRequest"] = obj(
    [],
    closed=True,
    businessKey={**BUSINESS_KEY, "description": "your identifier of the case, e.g. the application number"},
    variables=VARIABLES,
    version={**VERSION, "description": "start this version instead of the latest"},
)
COMPONENTS["MessageRequest"] = obj(
    ["messageName"],
    closed=True,
    messageName=NAME,
    businessKey=BUSINESS_KEY,
    processInstanceId=ID,
    correlationKeys={
        "type": "object",
        "description": "values the waiting instance must expect, e.g. the application number",
        "propertyNames": {"minLength": 1, "maxLength": 100},
    },
    variables=VARIABLES,
    buffer={
        "type": "boolean",
        "default": False,
        "description": "when no instance waits yet, keep the message (202) and deliver it when one does",
    },
)
COMPONENTS["BufferedMessage"] = obj(
    ["id", "status", "messageName", "created", "expires"],
    id=STRING,
    status={"enum": ["pending", "delivered", "expired"]},
    messageName=STRING,
    businessKey=nullable(STRING),
    processInstanceId=nullable(STRING),
    correlationKeys=ANY_OBJECT,
    created=DATETIME,
    expires=DATETIME,
    delivered=nullable(DATETIME),
    deliveredTo=nullable(STRING),
)
COMPONENTS["ReasonRequest"] = obj(
    ["reason"],
    closed=True,
    reason={"type": "string", "minLength": 1, "maxLength": 2000, "description": "recorded in the audit log"},
)
COMPONENTS["CompleteRequest"] = obj(
    [],
    closed=True,
    variables=VARIABLES,
    version={**VERSION, "description": "the instance version you read (409 if stale)"},
)
COMPONENTS["DeploymentRequest"] = obj(
    ["diagrams"],
    closed=True,
    diagrams={
        "type": "array",
        "minItems": 1,
        "maxItems": 50,
        "items": obj(
            ["name", "xml"],
            closed=True,
            name={"type": "string", "pattern": r"^[^/\\]{1,200}\.bpmn$"},
            xml={"type": "string", "minLength": 1},
        ),
    },
    forms={
        "type": "object",
        "description": "form file name → JSON Schema",
        "additionalProperties": ANY_OBJECT,
    },
    startSchemas={
        "type": "object",
        "description": "process key → JSON Schema of its start variables",
        "additionalProperties": ANY_OBJECT,
    },
    note={"type": "string", "maxLength": 2000},
)
COMPONENTS["DeploymentUpload"] = obj(
    ["files"],
    closed=True,
    files={
        "type": "array",
        "minItems": 1,
        "description": "*.bpmn diagrams, <key>.start.schema.json start schemas, other *.json forms",
        "items": {"type": "string", "contentMediaType": "application/octet-stream"},
    },
    note={"type": "string", "maxLength": 2000},
)
COMPONENTS["Deployment"] = obj(
    ["deployed"],
    deployed={
        "type": "array",
        "items": obj(
            ["key", "version", "id", "created"],
            key=STRING,
            version={"type": "integer"},
            id={"type": "integer"},
            created={"type": "boolean", "description": "false when the content equals the latest version"},
        ),
    },
)
EVENT_TYPES = ["instance.completed", "task.created", "notice.issued", "deadline.missed", "incident.created"]
COMPONENTS["WebhookRequest"] = obj(
    ["url", "events"],
    closed=True,
    url={"type": "string", "format": "uri", "minLength": 8, "maxLength": 2000, "pattern": r"^https?://"},
    events={"type": "array", "minItems": 1, "uniqueItems": True, "items": {"enum": EVENT_TYPES}},
    description={"type": "string", "maxLength": 300},
)
COMPONENTS["Webhook"] = obj(
    ["id", "url", "events", "created"],
    id=STRING,
    url=STRING,
    events={"type": "array", "items": STRING},
    description=nullable(STRING),
    owner=STRING,
    created=DATETIME,
)
COMPONENTS["WebhookCreated"] = {
    "allOf": [
        {"$ref": "#/components/schemas/Webhook"},
        obj(["secret"], secret={"type": "string", "description": "HMAC-SHA256 key; shown only now"}),
    ]
}
COMPONENTS["WebhookDelivery"] = obj(
    ["id", "eventType", "status", "attempts"],
    id={"type": "integer"},
    eventId=nullable(STRING),
    eventType=nullable(STRING),
    status={"enum": ["pending", "sent", "failed"]},
    attempts={"type": "integer"},
    nextAttempt=nullable(DATETIME),
    lastResponse=nullable(STRING),
    lastError=nullable(STRING),
    created=DATETIME,
    sent=nullable(DATETIME),
)
COMPONENTS["WebhookPing"] = obj(
    ["webhookId", "eventId", "eventType"], webhookId=STRING, eventId=STRING, eventType=STRING
)
COMPONENTS["Notice"] = obj(
    ["id", "kind", "issued", "businessKey"],
    id=STRING,
    kind={"type": "string", "description": "e.g. notice_of_violation, denial, certification"},
    title=nullable(STRING),
    businessKey=nullable(STRING),
    processInstanceId=nullable(STRING),
    recipient=nullable(STRING),
    issued=DATETIME,
    citation=nullable(STRING),
    text=nullable(STRING),
    deliveryStatus=nullable(STRING),
    pdf={"type": "string", "description": "path of the PDF rendering"},
)
