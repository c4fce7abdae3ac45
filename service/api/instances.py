"""Process instances: search (cursor pages), detail, history; suspend, resume, cancel."""

from __future__ import annotations

import json
import math
from typing import Any

from service.actions import lifecycle
from service.api import paging, plaintext
from service.api import schemas as S
from service.api.blueprint import services
from service.api.contract import Answer, Call, Reply, operation, problem_answer
from service.api.reading import Body, Param
from service.errors import FieldError, InvalidData
from service.store.rows import InstanceQuery
from service.views import instances, search

TAG = "Process instances"
INSTANCE_ID = {"id": Param(S.UUID, "the process instance id")}
NOT_FOUND = problem_answer("no such instance")
DATETIME = {"type": "string", "format": "date-time"}
VARIABLE_FILTER = rf"^[A-Za-z][A-Za-z0-9_]{{0,99}}_eq_([^\x00-\x20\[{{][^{plaintext.CONTROL_RANGES}]*)?$"

SEARCH = {
    "processDefinitionKey": Param({"type": "string", "maxLength": 200}, "instances of this process"),
    "businessKey": Param({"type": "string", "maxLength": 200}, "instances with this business key"),
    "status": Param(
        {"type": "array", "items": {"enum": ["waiting", "error", "completed", "cancelled"]}},
        "any of these statuses (repeat the parameter for several)",
    ),
    "suspended": Param({"type": "boolean"}, "only suspended (true) or only active (false) instances"),
    "withIncident": Param({"type": "boolean"}, "only instances with (true) or without (false) an incident"),
    "startedAfter": Param(DATETIME, "started at or after"),
    "startedBefore": Param(DATETIME, "started before"),
    "updatedAfter": Param(DATETIME, "last changed at or after"),
    "updatedBefore": Param(DATETIME, "last changed before"),
    "variables": Param(
        {
            "type": "array",
            # A name, then text or a plain JSON value (an object or array cannot be compared):
            # every value the pattern admits is one the search can read.
            "items": {"type": "string", "pattern": VARIABLE_FILTER, "maxLength": 400},
        },
        "variable equality, Camunda style: `name_eq_value` (repeat for several). The value is read as "
        'JSON when it is a number, true, false, null or a quoted string ("3" for the text 3), '
        "otherwise as text.",
    ),
    "sortOrder": Param({"enum": ["asc", "desc"]}, "by start time: oldest first (asc, default) or newest"),
    "cursor": Param({"type": "string", "pattern": search.CURSOR_PATTERN}, paging.CURSOR.description),
    "maxResults": paging.size(),
}


def _text(word: str) -> Any:
    raise ValueError(word)  # NaN and Infinity are not JSON: the value is read as text


def _finite(number: str) -> float:
    value = float(number)
    if not math.isfinite(value):
        raise ValueError(number)  # 1e999 overflows: read as text, as it is not a JSON number we store
    return value


def _variable_filters(expressions: list[str]) -> list[tuple[str, Any]]:
    pairs = []
    for text in expressions:
        name, _, raw = text.partition("_eq_")
        try:
            value = json.loads(raw, parse_constant=_text, parse_float=_finite)
            if isinstance(value, dict | list):
                raise InvalidData(
                    "variables can only be compared with plain values",
                    [FieldError("variables", f"{name}: objects and arrays cannot be compared")],
                )
        except ValueError:
            value = raw
        pairs.append((name, value))
    return pairs


@operation(
    "GET",
    "/process-instances",
    operation_id="listProcessInstances",
    tag=TAG,
    scope="read",
    summary="Find instances by process, business key, status, incident, dates or a variable",
    description="Pages follow `next`; a cursor stays valid while new cases start.",
    query=SEARCH,
    answers={
        200: Answer(
            "one page",
            S.ref("ProcessInstancePage"),
            links={
                "GetProcessInstance": paging.first_item("getProcessInstance"),
                "GetProcessInstanceHistory": paging.first_item("getProcessInstanceHistory"),
            },
        )
    },
)
def list_instances(call: Call) -> Reply:
    q = call.query
    query = InstanceQuery(
        process_key=q.get("processDefinitionKey"),
        business_key=q.get("businessKey"),
        statuses=q.get("status"),
        suspended=q.get("suspended"),
        has_incident=q.get("withIncident"),
        started_after=q.get("startedAfter"),
        started_before=q.get("startedBefore"),
        updated_after=q.get("updatedAfter"),
        updated_before=q.get("updatedBefore"),
        variables=_variable_filters(q.get("variables", [])),
        descending=q.get("sortOrder") == "desc",
        limit=q.get("maxResults", 50),
    )
    return Reply(search.instances(services(), query, q.get("cursor")))


@operation(
    "GET",
    "/process-instances/{id}",
    operation_id="getProcessInstance",
    tag=TAG,
    scope="read",
    summary="Read an instance: status, version, open tasks, awaited messages, deadlines, incidents",
    path_params=INSTANCE_ID,
    answers={200: Answer("the instance", S.ref("ProcessInstance")), 404: NOT_FOUND},
)
def get_instance(call: Call) -> Reply:
    return Reply(instances.instance(services(), call.path["id"]))


@operation(
    "GET",
    "/process-instances/{id}/history",
    operation_id="getProcessInstanceHistory",
    tag=TAG,
    scope="read",
    summary="Read the audit log of an instance, oldest first",
    path_params=INSTANCE_ID,
    query={"cursor": paging.CURSOR, "maxResults": paging.size(100)},
    answers={200: Answer("one page of entries", paging.envelope(S.ref("HistoryEntry"))), 404: NOT_FOUND},
)
def get_history(call: Call) -> Reply:
    entries = paging.sliced(instances.history(services(), call.path["id"]))
    return Reply(paging.offset_page(entries, call.query.get("cursor"), call.query.get("maxResults", 100)))


def _action(verb: str, summary: str, act: Any) -> None:
    @operation(
        "POST",
        f"/process-instances/{{id}}/{verb}",
        operation_id=f"{verb}ProcessInstance",
        tag=TAG,
        scope="start",
        summary=summary,
        path_params=INSTANCE_ID,
        body=Body({"application/json": S.ref("ReasonRequest")}),
        answers={
            200: Answer("the instance afterwards", S.ref("ProcessInstance")),
            404: NOT_FOUND,
            409: problem_answer("the instance is finished, or already in that state"),
        },
    )
    def view(call: Call) -> Reply:
        # The answer is read in the action's own transaction (no second read).
        answer = instances.answering(services())
        done = act(services(), call.path["id"], call.actor, call.body["reason"], answer=answer)
        return Reply(done.answer)


_action("suspend", "Suspend an instance (no triggers, no timers) with a reason", lifecycle.suspend)
_action("resume", "Resume a suspended instance with a reason", lifecycle.resume)
_action("cancel", "Cancel an instance (its tasks and waits end) with a reason", lifecycle.cancel)
