"""Messages: correlate to the one waiting instance, start one, or buffer until one waits."""

from __future__ import annotations

from typing import Any

from service.actions import mailbox
from service.api import schemas as S
from service.api.blueprint import services
from service.api.contract import Answer, Call, Reply, operation, problem_answer
from service.api.reading import Body, Param
from service.views import buffered_messages

TAG = "Messages"


def _link(operation_id: str) -> dict[str, Any]:
    """Link an answer to the operation reading what its `id` names (a 200's is an instance's)."""
    return {"operationId": operation_id, "parameters": {"path.id": "$response.body#/id"}}


@operation(
    "POST",
    "/messages",
    operation_id="deliverMessage",
    tag=TAG,
    scope="message",
    summary="Deliver a message to the one instance waiting for it (or start one on it)",
    description="Exactly one waiting instance must match `messageName`, `businessKey` or "
    "`processInstanceId`, and `correlationKeys`: 200 with that instance. A process with a message "
    "start event for `messageName` starts a new instance when nobody waits. None matches: 404, "
    "or with `buffer: true` 202 and the message is kept for RCP_API_MESSAGE_BUFFER_TTL seconds "
    "(default 1 h) and delivered to the first instance that starts waiting for it. Several "
    "match: 409 with their ids in `candidates`.",
    body=Body({"application/json": S.ref("MessageRequest")}),
    answers={
        200: Answer(
            "delivered; the instance afterwards",
            S.ref("ProcessInstance"),
            links={"GetProcessInstance": _link("getProcessInstance")},
        ),
        202: Answer(
            "nobody waits yet: kept until an instance does",
            S.ref("BufferedMessage"),
            headers={"Location": Param({"type": "string"}, "where to follow the message", True)},
            links={"GetBufferedMessage": _link("getBufferedMessage")},
        ),
        404: problem_answer("no instance waits for the message"),
        409: problem_answer("several instances wait for it (`candidates`), or the instance refuses it"),
        422: problem_answer(
            "invalid input, or the message lacks a correlation value the waiting process expects, "
            "or its variables fail the process's rules; `errors` names each"
        ),
    },
)
def deliver_message(call: Call) -> Reply:
    body = call.body
    sent = mailbox.send(
        services(),
        body["messageName"],
        call.actor,
        business_key=body.get("businessKey"),
        instance_id=body.get("processInstanceId"),
        correlation_keys=body.get("correlationKeys"),
        variables=body.get("variables"),
        buffer=body.get("buffer", False),
    )
    if sent.delivered:
        return Reply(sent.body)
    return Reply(sent.body, 202, {"Location": f"/api/v1/messages/{sent.body['id']}"})


@operation(
    "GET",
    "/messages/{id}",
    operation_id="getBufferedMessage",
    tag=TAG,
    scope="message",
    summary="Follow a buffered message: pending, delivered (to which instance) or expired",
    path_params={"id": Param(S.UUID, "the id from the 202 answer")},
    answers={200: Answer("the message", S.ref("BufferedMessage")), 404: problem_answer("no such message")},
)
def get_buffered_message(call: Call) -> Reply:
    return Reply(buffered_messages.get(services(), call.actor, call.path["id"]))
