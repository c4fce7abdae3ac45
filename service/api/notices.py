"""Notices issued in a case: list by business key, read one, download its PDF as issued."""

from __future__ import annotations

import re
from typing import Any

from service.api import paging
from service.api import schemas as S
from service.api.blueprint import services
from service.api.contract import Answer, Call, Reply, operation, problem_answer
from service.api.reading import Param
from service.views import program

TAG = "Notices"
NOTICE = {"id": Param(S.ID, "the notice number, e.g. RCP-DEN-2026-00001")}


def _linked(view: dict[str, Any]) -> dict[str, Any]:
    return {**view, "pdf": f"/api/v1/notices/{view['noticeNumber']}/pdf"}


@operation(
    "GET",
    "/notices",
    operation_id="listNotices",
    tag=TAG,
    scope="read",
    summary="List the notices issued in a case, oldest first, with their e-mail's delivery",
    description="`businessKey` is the case's number the notice was issued under: the application, "
    "audit, demand, removal or appeal number.",
    query={
        "businessKey": Param(S.BUSINESS_KEY, "the case's number", required=True),
        "kind": Param({"type": "string", "maxLength": 60}, "only notices of this kind, e.g. denial"),
    },
    answers={
        200: Answer(
            "the notices (one page)",
            paging.envelope(S.ref("Notice"), pages=False),
            links={name: paging.first_item(name, "noticeNumber") for name in ("getNotice", "getNoticePdf")},
        )
    },
)
def list_notices(call: Call) -> Reply:
    found = program.notices(
        services(), call.actor, case_ref=call.query["businessKey"], kind=call.query.get("kind")
    )
    return Reply(paging.whole([_linked(n) for n in found]))


@operation(
    "GET",
    "/notices/{id}",
    operation_id="getNotice",
    tag=TAG,
    scope="read",
    summary="Read a notice: recipient, date issued, rule cited, its full text, e-mail delivery",
    path_params=NOTICE,
    answers={200: Answer("the notice", S.ref("Notice")), 404: problem_answer("no such notice")},
)
def get_notice(call: Call) -> Reply:
    return Reply(_linked(program.notice(services(), call.actor, call.path["id"])))


@operation(
    "GET",
    "/notices/{id}/pdf",
    operation_id="getNoticePdf",
    tag=TAG,
    scope="read",
    summary="Download the notice exactly as issued (PDF; its SHA-256 is in the notice)",
    path_params=NOTICE,
    answers={
        200: Answer("the PDF", {"type": "string", "format": "binary"}, "application/pdf"),
        404: problem_answer("no such notice"),
    },
)
def get_notice_pdf(call: Call) -> Reply:
    content = program.notice_pdf(services(), call.actor, call.path["id"])
    name = re.sub(r"[^A-Za-z0-9_.-]", "_", call.path["id"])[:64]
    return Reply(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="{name}.pdf"'},
    )
