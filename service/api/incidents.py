"""Incidents: instances whose failed steps ran out of tries; list them, retry one after the fix."""

from __future__ import annotations

from typing import Any

from service.actions import lifecycle
from service.api import paging
from service.api import schemas as S
from service.api.blueprint import services
from service.api.contract import Answer, Call, Reply, operation, problem_answer
from service.api.reading import Param
from service.views import incidents, instances

TAG = "Incidents"

S.COMPONENTS["Incident"] = S.obj(
    ["id", "instanceId", "processKey", "element", "message", "attempts", "created"],
    id={"type": "integer"},
    instanceId=S.STRING,
    processKey=S.STRING,
    businessKey=S.nullable(S.STRING),
    instanceStatus=S.STRING,
    element={**S.STRING, "description": "the failed element's id (or the background job, in brackets)"},
    taskId=S.nullable(S.STRING),
    message={**S.STRING, "description": "the last error"},
    stack=S.nullable({**S.STRING, "description": "the last error's stack trace"}),
    attempts={"type": "integer", "description": "tries made so far, the automatic ones included"},
    created=S.DATETIME,
    resolved=S.nullable(S.DATETIME),
    resolvedBy=S.nullable(S.STRING),
)


@operation(
    "GET",
    "/incidents",
    operation_id="listIncidents",
    tag=TAG,
    scope="read",
    summary="List incidents (open by default), newest first, with error, stack and tries",
    query={
        "status": Param({"enum": list(incidents.STATUSES)}, "open (default), resolved or all"),
        "processKey": Param({"type": "string", "maxLength": 200}, "incidents of this process"),
        "businessKey": Param({"type": "string", "maxLength": 200}, "incidents of this business key"),
        "cursor": paging.CURSOR,
        "limit": paging.size(100, incidents.MAX_LIMIT),
    },
    answers={200: Answer("one page of incidents", paging.envelope(S.ref("Incident")))},
)
def list_incidents(call: Call) -> Reply:
    q = call.query

    def fetch(offset: int, count: int) -> list[dict[str, Any]]:
        return incidents.listing(
            services(),
            call.actor,
            status=q.get("status", "open"),
            process_key=q.get("processKey"),
            business_key=q.get("businessKey"),
            offset=offset,
            limit=count,
        )

    return Reply(paging.offset_page(fetch, q.get("cursor"), q.get("limit", 100)))


@operation(
    "POST",
    "/process-instances/{id}/retry",
    operation_id="retryProcessInstance",
    tag=TAG,
    scope="start",
    summary="Try an instance's failed steps again (after the cause of its incident was fixed)",
    description="Answers with the instance afterwards: `hasIncident` is false when the steps "
    "went through; a step that fails again keeps its incident, with one more try counted.",
    path_params={"id": Param(S.UUID, "the process instance id")},
    answers={
        200: Answer("the instance afterwards", S.ref("ProcessInstance")),
        404: problem_answer("no such instance"),
        409: problem_answer("the instance has no incident and no failed step waiting"),
    },
)
def retry_instance(call: Call) -> Reply:
    after = lifecycle.retry(services(), call.path["id"], call.actor)
    return Reply(instances.instance(services(), after.instance_id))
