"""Notices issued in a case: list by business key, read one, download its PDF."""

from __future__ import annotations

import re

from service.cases import notice_directory

from . import schemas as S
from . import services
from .contract import Answer, Call, Param, Reply, operation, problem_answer

TAG = "Notices"
NOTICE_ID = {"id": Param(S.ID, "the notice id")}


@operation(
    "GET",
    "/notices",
    operation_id="listNotices",
    tag=TAG,
    scope="read",
    summary="List the notices issued in a case",
    query={"businessKey": Param(S.BUSINESS_KEY, "the case's business key", required=True)},
    answers={200: Answer("the notices, oldest first", {"type": "array", "items": S.ref("Notice")})},
)
def list_notices(call: Call) -> Reply:
    return Reply(notice_directory.for_case(services(), call.query["businessKey"]))


@operation(
    "GET",
    "/notices/{id}",
    operation_id="getNotice",
    tag=TAG,
    scope="read",
    summary="Read a notice: kind, recipient, date issued, rule cited, text, delivery",
    path_params=NOTICE_ID,
    answers={200: Answer("the notice", S.ref("Notice")), 404: problem_answer("no such notice")},
)
def get_notice(call: Call) -> Reply:
    return Reply(notice_directory.notice(services(), call.path["id"]))


@operation(
    "GET",
    "/notices/{id}/pdf",
    operation_id="getNoticePdf",
    tag=TAG,
    scope="read",
    summary="Download the notice as issued (PDF)",
    path_params=NOTICE_ID,
    answers={
        200: Answer("the PDF", {"type": "string", "format": "binary"}, "application/pdf"),
        404: problem_answer("no such notice"),
    },
)
def get_notice_pdf(call: Call) -> Reply:
    content = notice_directory.notice_pdf(services(), call.path["id"])
    return Reply(
        content,
        media_type="application/pdf",
        headers={"Content-Disposition": f'inline; filename="notice-{_safe(call.path["id"])}.pdf"'},
    )


def _safe(text: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]", "_", text)[:64]
