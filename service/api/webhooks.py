"""Webhooks: register a URL for event types; see deliveries and the receiver's answers."""

from __future__ import annotations

from typing import Any

from service.actions import webhooks
from service.api import paging
from service.api import schemas as S
from service.api.blueprint import services
from service.api.contract import Answer, Call, Reply, operation, problem_answer
from service.api.reading import Body, Param
from service.views import webhooks as webhook_views

TAG = "Webhooks"
HOOK_ID = {"id": Param(S.ID, "the webhook id")}
NOT_FOUND = problem_answer("no such webhook (of this token)")
SIGNING = (
    "The URL must be https and its host must resolve to public addresses only (checked now and "
    "before every delivery; the operator's `RCP_WEBHOOK_ALLOW_HOSTS` exempts hosts): otherwise 422 "
    "naming `url`. Each delivery is a POST of the event as JSON, signed the Standard Webhooks way "
    "(`webhook-id`, `webhook-timestamp`, `webhook-signature: v1,<base64 HMAC-SHA256 of "
    "'<id>.<timestamp>.<raw body>'>`; verify with a Standard Webhooks library and the `whsec_` "
    "secret), with `X-RCP-Event` naming the type. Answer 2xx to take it; anything else is retried "
    "with backoff (30 s doubling, about an hour); redirects are not followed."
)


@operation(
    "POST",
    "/webhooks",
    operation_id="createWebhook",
    tag=TAG,
    scope="webhooks",
    summary="Register a URL for event types; the answer holds the signing secret (shown once)",
    description=SIGNING,
    body=Body({"application/json": S.ref("WebhookRequest")}),
    answers={
        201: Answer("registered", S.ref("WebhookCreated")),
        422: problem_answer(
            "invalid input, or the URL breaks a webhook rule (https, a valid host resolving to public "
            "addresses only); `errors` names `url`"
        ),
    },
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
    scope="webhooks",
    summary="List this token's webhooks",
    answers={200: Answer("the webhooks (one page)", paging.envelope(S.ref("Webhook"), pages=False))},
)
def list_webhooks(call: Call) -> Reply:
    return Reply(paging.whole(webhook_views.list_for(services(), call.actor.name)))


@operation(
    "GET",
    "/webhooks/{id}",
    operation_id="getWebhook",
    tag=TAG,
    scope="webhooks",
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
    scope="webhooks",
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
    scope="webhooks",
    summary="Recent deliveries: status, attempts, the last answer's status, time and a short excerpt",
    path_params=HOOK_ID,
    query={"cursor": paging.CURSOR, "maxResults": paging.size()},
    answers={
        200: Answer("one page, newest first", paging.envelope(S.ref("WebhookDelivery"))),
        404: NOT_FOUND,
    },
)
def list_deliveries(call: Call) -> Reply:
    def fetch(offset: int, count: int) -> list[dict[str, Any]]:
        found = webhook_views.deliveries(services(), call.actor.name, call.path["id"], offset + count)
        return found[offset:]

    return Reply(paging.offset_page(fetch, call.query.get("cursor"), call.query.get("maxResults", 50)))


@operation(
    "POST",
    "/webhooks/{id}/ping",
    operation_id="pingWebhook",
    tag=TAG,
    scope="webhooks",
    summary="Queue a `ping` event to the webhook (check the receiver and its signature check)",
    path_params=HOOK_ID,
    answers={202: Answer("queued", S.ref("WebhookPing")), 404: NOT_FOUND},
)
def ping_webhook(call: Call) -> Reply:
    return Reply(webhooks.ping(services(), call.actor.name, call.path["id"]), 202)
