"""Case documents: attach (multipart), list, download. Scope ``documents``.

Attaching with a message or a start: an integrator first attaches the records to the case
(``POST /cases/{businessKey}/documents`` with ``answers`` naming the request they answer), then
delivers the message (``information_received``) with the returned ids in its variables, e.g.
``"documents": ["<id>", ...]``. Each request is its own transaction, so a message refused later
never takes the documents back: they stay on the case, as the paper records would.
"""

from __future__ import annotations

from collections.abc import Iterator

from flask import request, stream_with_context

from service.actions import documents as attaching
from service.api import paging
from service.api import schemas as S
from service.api.blueprint import bp, services
from service.api.contract import Answer, Call, Reply, operation, problem_answer
from service.api.reading import Body, Param
from service.documents.names import content_disposition
from service.views import documents

TAG = "Documents"
CASE_KEY = Param(S.BUSINESS_KEY, "the case's number, e.g. the application number")
UPLOAD = "uploadCaseDocuments"
FORM_OVERHEAD = 1024 * 1024  # multipart boundaries, part headers and the small text fields


@bp.before_request
def _upload_limit() -> None:
    """Let an upload run to the documents' size limit; refuse larger bodies before reading them."""
    if request.endpoint == f"{bp.name}.{UPLOAD}":
        request.max_content_length = services().settings.documents.max_bytes + FORM_OVERHEAD


@operation(
    "POST",
    "/cases/{businessKey}/documents",
    operation_id=UPLOAD,
    tag=TAG,
    scope="documents",
    summary="Attach documents to a case (multipart/form-data: `file` parts, `answers`, `supersedes`)",
    description="Each `file` part is one document. Its type is told from its content (PDF, PNG, "
    "JPEG, TIFF, plain text or CSV, DOCX or XLSX); archives and PDFs are never opened on the "
    "server. Documents are immutable: a correction is a new document naming the old one in "
    "`supersedes`. All the parts are attached in one transaction, or none.",
    path_params={"businessKey": CASE_KEY},
    body=Body({"multipart/form-data": S.ref("DocumentUpload")}),
    answers={
        201: Answer("attached, in the order sent", paging.envelope(S.ref("Document"), pages=False)),
        404: problem_answer("no case has this number"),
        413: problem_answer("a document (or the whole form) is larger than RCP_DOCUMENT_MAX_BYTES"),
        415: problem_answer("a document's content is not of an accepted type (`accepted` lists them)"),
    },
)
def upload_case_documents(call: Call) -> Reply:
    body = call.body
    uploads = [attaching.Upload(f.filename or "", f.stream) for f in body.get("file", [])]
    about = attaching.About(answers=body.get("answers"), supersedes=body.get("supersedes"))
    rows = attaching.attach(services(), call.actor, call.path["businessKey"], uploads, about)
    return Reply(paging.whole([documents.item(r) for r in rows]), 201)


@operation(
    "GET",
    "/cases/{businessKey}/documents",
    operation_id="listCaseDocuments",
    tag=TAG,
    scope="documents",
    summary="List a case's documents, oldest first (deleted ones as tombstones)",
    path_params={"businessKey": CASE_KEY},
    query={"cursor": paging.CURSOR, "maxResults": paging.size()},
    answers={
        200: Answer("one page of documents", paging.envelope(S.ref("Document"))),
        404: problem_answer("no case has this number"),
    },
)
def list_case_documents(call: Call) -> Reply:
    key = call.path["businessKey"]
    page = paging.offset_page(
        lambda offset, count: documents.listing(services(), call.actor, key, offset, count),
        call.query.get("cursor"),
        call.query.get("maxResults", 50),
    )
    return Reply(page)


@operation(
    "GET",
    "/cases/{businessKey}/documents/{id}",
    operation_id="downloadCaseDocument",
    tag=TAG,
    scope="documents",
    summary="Download a document's bytes (as an attachment; its type is in the list's `mediaType`)",
    path_params={"businessKey": CASE_KEY, "id": Param(S.UUID, "the document's id")},
    answers={
        200: Answer(
            "the bytes, exactly as attached",
            {"type": "string", "format": "binary"},
            "application/octet-stream",
            headers={"Content-Disposition": Param({"type": "string"}, "attachment; the file's name", True)},
        ),
        404: problem_answer("the case has no such document, or it was deleted"),
        500: problem_answer("the document's content is missing from the store (removed by hand); logged"),
    },
)
def download_case_document(call: Call) -> Reply:
    row, stream = documents.content(services(), call.actor, call.path["businessKey"], call.path["id"])

    def chunks() -> Iterator[bytes]:
        try:
            while chunk := stream.read(64 * 1024):
                yield chunk
        finally:
            stream.close()

    headers = {
        "Content-Disposition": content_disposition(row["name"]),
        "Content-Length": str(row["size"]),
        "X-Content-Type-Options": "nosniff",
    }
    # Sent as bytes to save, never to render: the content came from outside.
    return Reply(stream_with_context(chunks()), 200, headers, "application/octet-stream")
