"""Cases: find them by number, applicant or status; read one whole, with its family and history."""

from __future__ import annotations

from service.api import paging
from service.api import schemas as S
from service.api.blueprint import services
from service.api.contract import Answer, Call, Reply, operation, problem_answer
from service.api.reading import Param
from service.views import cases

TAG = "Cases"
CASE_KEY = {"businessKey": Param(S.BUSINESS_KEY, "the case's number, e.g. the application number")}
FIRST_CASE = {
    "operationId": "getCase",
    "parameters": {"path.businessKey": "$response.body#/items/0/businessKey"},
}
SEARCH = {
    "businessKey": Param(
        {"type": "string", "maxLength": 200}, "cases whose number starts with this (any letter case)"
    ),
    "applicant": Param(
        {"type": "string", "maxLength": 200},
        "cases whose applicant, recordkeeper or auditee name starts with this (any letter case)",
    ),
    "status": Param(
        {"type": "array", "items": {"enum": ["waiting", "error", "completed", "cancelled"]}},
        "any of these statuses (repeat the parameter for several)",
    ),
    "cursor": paging.CURSOR,
    "maxResults": paging.size(),
}


@operation(
    "GET",
    "/cases",
    operation_id="listCases",
    tag=TAG,
    scope="read",
    summary="Find cases, open and closed, by number prefix, applicant name or status; newest first",
    query=SEARCH,
    answers={
        200: Answer(
            "one page of cases",
            paging.envelope(S.ref("CaseSummary")),
            links={"GetCase": FIRST_CASE},
        )
    },
)
def list_cases(call: Call) -> Reply:
    q = call.query
    found = cases.CaseSearch(q.get("businessKey"), q.get("applicant"), tuple(q.get("status", ())))
    page = paging.offset_page(
        lambda offset, count: cases.search(services(), call.actor, found, offset, count),
        q.get("cursor"),
        q.get("maxResults", 50),
    )
    return Reply(page)


@operation(
    "GET",
    "/cases/{businessKey}",
    operation_id="getCase",
    tag=TAG,
    scope="read",
    summary="Read a case whole: its family, stage, open tasks, deadlines, every suspension period, "
    "notices, decisions, messages and appeals, in the order it ran",
    description="The family is the instances started under the case number (with the call activities "
    "they ran: information requests, on-site verifications, appeals) and, for an application, the "
    "removals and notices of violation later started for the same participant (importer number).",
    path_params=CASE_KEY,
    answers={200: Answer("the case", S.ref("Case")), 404: problem_answer("no case has this number")},
)
def get_case(call: Call) -> Reply:
    return Reply(cases.case(services(), call.actor, call.path["businessKey"]))
