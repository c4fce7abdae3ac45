"""Schemas of what integrators send: starts, messages, reasons, task data, deployments."""

from __future__ import annotations

from service.api.schemas.base import (
    ANY_OBJECT,
    BUSINESS_KEY,
    COMPONENTS,
    CONTROL_RANGES,
    DATETIME,
    NAME,
    STRING,
    UUID,
    VARIABLES,
    VERSION,
    nullable,
    obj,
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
    processInstanceId=UUID,
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
    reason={
        "type": "string",
        "maxLength": 2000,
        # Not blank: at least one character that is not white space (nor a control character).
        "pattern": f"^[^{CONTROL_RANGES}]*[^\\s{CONTROL_RANGES}][^{CONTROL_RANGES}]*$",
        "description": "why; recorded in the audit log",
    },
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
            name={  # a .dmn file is a decision table, deployed with the diagrams
                "type": "string",
                "pattern": r"^[^/\\\x00-\x08\x0b\x0c\x0e-\x1f]{1,200}\.(bpmn|dmn)$",
            },
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
