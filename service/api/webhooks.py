"""Webhooks: register a URL for event types; see deliveries and the receiver's answers."""

from __future__ import annotations

from service.actions import webhooks
from service.api import schemas as S
from service.api.blueprint import services
from service.api.contract import Answer, Call, Reply, operation, problem_answer
from service.api.reading import Body, Param
from service.views import webhooks as webhook_views

TAG = "Webhooks"
HOOK_ID = {"id": Param(S.ID, "the webhook id")}
NOT_FOUND = problem_answer("no such webhook (of this token)")
SIGNING = (
    "Each delivery is a POST of the event as JSON with `X-RCP-Event`, `X-RCP-Event-Id` and "
    "`X-RCP-Signature: t=<unix time>,v1=<hex>`, where hex = HMAC-SHA256(secret, `<t>.<raw body>`). "
    "Answer 2xx to take it; anything else is retried with backoff (30 s doubling, about an hour)."
)


@operation(
    "POST",
    "/webhooks",
    operation_id="createWebhook",
    tag=TAG,
    scope="read",
    summary="Register a URL for event types; the answer holds the signing secret (shown once)",
    description=SIGNING,
    body=Body({"application/json": S.ref("WebhookRequest")}),
    answers={201: Answer("registered", S.ref("WebhookCreated"))},
)
def create_webhook(call: Call) -> Reply:
    b = call.body
    created = webhooks.register(services(), call.actor.name, b["url"], b["events"], b.get("description"))
    return Reply(created, 201, {"Location": f"/api/v1/webhooks/{created['id']}"})


@operation(
    "GET",
    "/webhooks",
    operation_id="listWebhooks",
    tag=TAG,
    scope="read",
    summary="List this token's webhooks",
    answers={200: Answer("the webhooks", {"type": "array", "items": S.ref("Webhook")})},
)
def list_webhooks(call: Call) -> Reply:
    return Reply(webhook_views.list_for(services(), call.actor.name))


@operation(
    "GET",
    "/webhooks/{id}",
    operation_id="getWebhook",
    tag=TAG,
    scope="read",
    summary="Read a webhook",
    path_params=HOOK_ID,
    answers={200: Answer("the webhook", S.ref("Webhook")), 404: NOT_FOUND},
)
def get_webhook(call: Call) -> Reply:
    return Reply(webhook_views.get(services(), call.actor.name, call.path["id"]))


@operation(
    "DELETE",
    "/webhooks/{id}",
    operation_id="deleteWebhook",
    tag=TAG,
    scope="read",
    summary="Remove a webhook (queued deliveries are dropped)",
    path_params=HOOK_ID,
    answers={204: Answer("removed"), 404: NOT_FOUND},
)
def delete_webhook(call: Call) -> Reply:
    webhooks.remove(services(), call.actor.name, call.path["id"])
    return Reply(None, 204)


@operation(
    "GET",
    "/webhooks/{id}/deliveries",
    operation_id="listWebhookDeliveries",
    tag=TAG,
    scope="read",
    summary="Recent deliveries: status, attempts, the receiver's last answer",
    path_params=HOOK_ID,
    query={"maxResults": Param({"type": "integer", "minimum": 1, "maximum": 500}, "default 50")},
    answers={
        200: Answer("newest first", {"type": "array", "items": S.ref("WebhookDelivery")}),
        404: NOT_FOUND,
    },
)
def list_deliveries(call: Call) -> Reply:
    return Reply(
        webhook_views.deliveries(
            services(), call.actor.name, call.path["id"], call.query.get("maxResults", 50)
        )
    )


@operation(
    "POST",
    "/webhooks/{id}/ping",
    operation_id="pingWebhook",
    tag=TAG,
    scope="read",
    summary="Queue a `ping` event to the webhook (check the receiver and its signature check)",
    path_params=HOOK_ID,
    answers={202: Answer("queued", S.ref("WebhookPing")), 404: NOT_FOUND},
)
def ping_webhook(call: Call) -> Reply:
    return Reply(webhooks.ping(services(), call.actor.name, call.path["id"]), 202)
