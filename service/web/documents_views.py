"""Case documents on the staff pages: upload on the case page, list, open, preview; the case record.

Previews are served from the signed-in routes below with their own headers: PDFs and PNG/JPEG
images inline (framed only by this site), everything else only as a download, always with
``X-Content-Type-Options: nosniff`` and a policy that lets the file run nothing.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, BinaryIO

from flask import Response, flash, redirect, request, url_for

from service.actions import document_records, documents
from service.documents.names import content_disposition
from service.views import case_documents, case_record
from service.web.blueprint import actor, bp, services

UPLOADS = {"web.case_documents_upload", "web.task_submit"}  # pages whose forms carry files
FORM_OVERHEAD = 1024 * 1024  # multipart boundaries, part headers and the form's text fields
CHUNK = 64 * 1024
# A document answered inline may be framed by this site's pages only, and runs nothing.
INLINE_POLICY = "default-src 'none'; img-src 'self'; object-src 'self'; frame-ancestors 'self'"
DOWNLOAD_POLICY = "default-src 'none'; frame-ancestors 'none'; sandbox"


@bp.before_app_request
def _upload_limit() -> None:
    """Let a form with files run to the documents' size limit (before any hook reads the form)."""
    if request.endpoint in UPLOADS:
        request.max_content_length = services().settings.documents.max_bytes + FORM_OVERHEAD


@bp.app_context_processor
def _documents_of_case() -> dict[str, Any]:
    def case_documents_of(business_key: str | None) -> list[case_documents.ShownDocument]:
        return case_documents.listing(services(), business_key, actor())

    return {"case_documents_of": case_documents_of}


@bp.get("/cases/<instance_id>/record.zip", endpoint="case_record")
def case_record_download(instance_id: str) -> Any:
    made = case_record.export_for_page(services(), instance_id, actor())
    return Response(
        made.content,
        mimetype="application/zip",
        headers={
            "Content-Disposition": content_disposition(made.name),
            "Content-Security-Policy": DOWNLOAD_POLICY,
        },
    )


@bp.post("/cases/<instance_id>/documents", endpoint="case_documents_upload")
def case_documents_upload(instance_id: str) -> Any:
    key = case_documents.case_key(services(), instance_id, actor())
    # A file input left empty posts a part without a name: that is no document.
    uploads = [documents.Upload(f.filename, f.stream) for f in request.files.getlist("file") if f.filename]
    about = documents.About(
        answers=request.form.get("answers", "").strip()[:200] or None,
        supersedes=request.form.get("supersedes", "").strip() or None,
    )
    attached = documents.attach(services(), actor(), key, uploads, about)
    names = ", ".join(r["name"] for r in attached)
    flash(f"Attached to case {key}: {names}. Documents cannot be changed once attached.", "success")
    return redirect(url_for("web.case", instance_id=instance_id) + "#documents-title", 303)


@bp.post("/cases/<instance_id>/documents/<document_id>/delete", endpoint="case_document_delete")
def case_document_delete(instance_id: str, document_id: str) -> Any:
    key = case_documents.case_key(services(), instance_id, actor())
    row = document_records.delete(services(), actor(), key, document_id, request.form.get("reason", ""))
    flash(f"Deleted {row['name']}: the list keeps its name, who deleted it, when and why.", "success")
    return redirect(url_for("web.case", instance_id=instance_id) + "#documents-title", 303)


@bp.get("/cases/<instance_id>/documents/<document_id>", endpoint="case_document")
def case_document(instance_id: str, document_id: str) -> Any:
    row, stream, _ = case_documents.content(services(), instance_id, document_id, actor())
    return _send(row["name"], row["media_type"], row["size"], stream, inline=False)


@bp.get("/cases/<instance_id>/documents/<document_id>/preview", endpoint="case_document_preview")
def case_document_preview(instance_id: str, document_id: str) -> Any:
    row, stream, preview = case_documents.content(services(), instance_id, document_id, actor())
    return _send(row["name"], row["media_type"], row["size"], stream, inline=preview is not None)


def _send(name: str, media_type: str, size: int, stream: BinaryIO, *, inline: bool) -> Response:
    headers = {
        "Content-Disposition": content_disposition(name, inline=inline),
        "Content-Length": str(size),
        "X-Content-Type-Options": "nosniff",
        "Content-Security-Policy": INLINE_POLICY if inline else DOWNLOAD_POLICY,
        "X-Frame-Options": "SAMEORIGIN" if inline else "DENY",
    }
    return Response(_chunks(stream), mimetype=media_type, headers=headers, direct_passthrough=True)


def _chunks(stream: BinaryIO) -> Iterator[bytes]:
    with stream:
        while chunk := stream.read(CHUNK):
            yield chunk
