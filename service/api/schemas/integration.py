"""Schemas of webhooks and notices."""

from __future__ import annotations

from service.cases import webhooks

from . import (
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
