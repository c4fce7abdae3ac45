"""The case record as evidence: one zip of the whole case family with a manifest of hashes."""

from __future__ import annotations

from service.api import schemas as S
from service.api.blueprint import services
from service.api.contract import Answer, Call, Reply, operation, problem_answer
from service.api.reading import Param
from service.views import case_record

TAG = "Cases"
CASE_KEY = {"businessKey": Param(S.BUSINESS_KEY, "the case's number, e.g. the application number")}


@operation(
    "GET",
    "/cases/{businessKey}/record",
    operation_id="getCaseRecord",
    tag=TAG,
    scope="read",
    summary="Download the case's record as evidence: one zip of the whole family with a manifest "
    "of SHA-256 hashes and the case's audit chain head",
    description="The archive holds `case.json` (the case as `getCase` answers it), `timeline.json` "
    "(every audit entry of the family: action, actor, time, outcome, data, with its chain position "
    "and hashes; and the case history), `decisions.json` (each completed task with the data before "
    "and after), `notices/` (each notice's text, PDF and facts), `documents.json` and `documents/` "
    "(every document and its bytes; withheld unless the token also holds the `documents` scope) "
    "and `manifest.json` (each file's "
    "path, size and SHA-256; `auditChainHead` is the case's last audit entry, to check against the "
    "live log with `rcp case verify`).",
    path_params=CASE_KEY,
    answers={
        200: Answer("the record", {"type": "string", "format": "binary"}, "application/zip"),
        404: problem_answer("no case has this number"),
    },
)
def get_case_record(call: Call) -> Reply:
    made = case_record.export(services(), call.actor, call.path["businessKey"])
    return Reply(
        made.content,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="{made.name}"'},
    )
