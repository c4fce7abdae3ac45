"""Schemas of webhooks and notices."""

from __future__ import annotations

from service.actions import webhooks
from service.api.schemas.base import (
    COMPONENTS,
    DATETIME,
    STRING,
    nullable,
    obj,
)

EVENT_TYPES = list(webhooks.EVENT_TYPES)
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
        obj(
            ["secret"],
            secret={
                "type": "string",
                "description": "the Standard Webhooks signing secret (`whsec_` + base64 key); shown only now",
            },
        ),
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
    ["noticeNumber", "kind", "caseRef", "issuedAt", "ruleCited", "subject", "recipient"],
    noticeNumber=STRING,
    kind={"type": "string", "description": "e.g. acknowledgement, denial, certification, violation"},
    caseRef={"type": "string", "description": "the case's number (application, audit, demand ...)"},
    processInstanceId=nullable(STRING),
    recipient=obj(["name"], name=STRING, email=nullable(STRING), address=nullable(STRING)),
    issuedAt=DATETIME,
    issuedOn={"type": "string", "format": "date"},
    ruleCited={"type": "string", "description": "the citation that required the notice"},
    subject=STRING,
    text={"type": "string", "description": "the notice's full text as issued"},
    sha256={"type": "string", "description": "of the text and the PDF: shows nothing changed"},
    facts={"type": "object", "description": "dates the notice states, e.g. when the appeal window closes"},
    email={
        **nullable(
            obj(
                ["status", "attempts"],
                status={"enum": ["pending", "sent", "failed"]},
                attempts={"type": "integer"},
                sentAt=nullable(DATETIME),
                lastError=nullable(STRING),
            )
        ),
        "description": "the e-mail's delivery; null when the recipient has no address (sent by mail)",
    },
    pdf={"type": "string", "description": "path of the PDF"},
)
