"""Tasks: the open human tasks, with the inbox's claim, unclaim and complete semantics."""

from __future__ import annotations

from typing import Any

from service.actions import tasks
from service.api import paging
from service.api import schemas as S
from service.api.blueprint import services
from service.api.contract import Answer, Call, Reply, operation, problem_answer
from service.api.reading import Body, Param
from service.store.rows import TaskFilter
from service.views import instances, open_tasks

TAG = "Tasks"
TASK_ID = {"id": Param(S.UUID, "the task id")}
NOT_FOUND = problem_answer("no such open task")

FILTERS = {
    "candidateGroup": Param({"type": "string", "maxLength": 100}, "tasks of this group (lane)"),
    "assignee": Param({"type": "string", "maxLength": 200}, "tasks claimed by this user"),
    "unassigned": Param({"type": "boolean"}, "only tasks nobody claimed"),
    "businessKey": Param({"type": "string", "maxLength": 200}, "tasks of cases with this business key"),
    "processInstanceId": Param(S.UUID, "tasks of this instance"),
    "processDefinitionKey": Param({"type": "string", "maxLength": 200}, "tasks of this process"),
    "dueBefore": Param({"type": "string", "format": "date-time"}, "due at or before this time"),
    "overdue": Param({"type": "boolean"}, "only tasks whose due time has passed"),
    "cursor": paging.CURSOR,
    "maxResults": paging.size(),
}


@operation(
    "GET",
    "/tasks",
    operation_id="listTasks",
    tag=TAG,
    scope="read",
    summary="List open tasks, earliest due first",
    query=FILTERS,
    answers={
        200: Answer(
            "one page of tasks",
            paging.envelope(S.ref("Task")),
            links={name: paging.first_item(name) for name in ("getTask", "claimTask", "unclaimTask")},
        )
    },
)
def list_tasks(call: Call) -> Reply:
    q = call.query
    group = q.get("candidateGroup")

    def fetch(offset: int, count: int) -> list[dict[str, Any]]:
        f = TaskFilter(
            candidate_groups=[group] if group else None,
            assignee=q.get("assignee"),
            unassigned=q.get("unassigned", False),
            instance_id=q.get("processInstanceId"),
            business_key=q.get("businessKey"),
            process_key=q.get("processDefinitionKey"),
            due_before=q.get("dueBefore"),
            limit=count,
            offset=offset,
        )
        return open_tasks.tasks(services(), call.actor, f, overdue=q.get("overdue", False))

    return Reply(paging.offset_page(fetch, q.get("cursor"), q.get("maxResults", 50)))


@operation(
    "GET",
    "/tasks/{id}",
    operation_id="getTask",
    tag=TAG,
    scope="read",
    summary="Read an open task with the JSON Schema of its form",
    path_params=TASK_ID,
    answers={200: Answer("the task", S.ref("TaskDetail")), 404: NOT_FOUND},
)
def get_task(call: Call) -> Reply:
    return Reply(open_tasks.task(services(), call.actor, call.path["id"]))


@operation(
    "POST",
    "/tasks/{id}/claim",
    operation_id="claimTask",
    tag=TAG,
    scope="tasks",
    summary="Claim a task for this integrator",
    path_params=TASK_ID,
    answers={
        200: Answer("the task, now assigned", S.ref("Task")),
        404: NOT_FOUND,
        409: problem_answer("claimed by someone else, or already completed"),
    },
)
def claim_task(call: Call) -> Reply:
    return Reply(open_tasks.task_view(tasks.claim(services(), call.path["id"], call.actor)))


@operation(
    "POST",
    "/tasks/{id}/unclaim",
    operation_id="unclaimTask",
    tag=TAG,
    scope="tasks",
    summary="Give a task back to its group",
    path_params=TASK_ID,
    answers={
        200: Answer("the task, unassigned", S.ref("Task")),
        404: NOT_FOUND,
        409: problem_answer("claimed by someone else, or already completed"),
    },
)
def unclaim_task(call: Call) -> Reply:
    return Reply(open_tasks.task_view(tasks.unclaim(services(), call.path["id"], call.actor)))


@operation(
    "POST",
    "/tasks/{id}/complete",
    operation_id="completeTask",
    tag=TAG,
    scope="tasks",
    summary="Complete a task with its form data (checked against the form's JSON Schema)",
    path_params=TASK_ID,
    body=Body({"application/json": S.ref("CompleteRequest")}, required=False),
    answers={
        200: Answer("the instance at its next wait state", S.ref("ProcessInstance")),
        404: NOT_FOUND,
        409: problem_answer("claimed by someone else, already completed, or a stale version"),
        422: problem_answer("invalid input, or the variables fail the task's form; `errors` names each"),
    },
)
def complete_task(call: Call) -> Reply:
    body = call.body
    outcome = tasks.complete(
        services(),
        call.path["id"],
        body.get("variables", {}),
        call.actor,
        expected_version=body.get("version"),
        answer=instances.answering(services()),  # read in the completion's transaction
    )
    return Reply(outcome.answer)
