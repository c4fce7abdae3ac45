"""Case documents over HTTP: attach, list, download; oversize, wrong type, bad names, wrong scope."""

from __future__ import annotations

import io
from dataclasses import replace

from flask import Flask

from service.services import Services
from tests.apikit import problem, start_smoke, token

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\n%%EOF\n"
URL = "/api/v1/cases/A-1/documents"


def _post(app: Flask, headers: dict[str, str], *files: tuple[bytes, str], **fields: str):  # type: ignore[no-untyped-def]
    data: dict = {"file": [(io.BytesIO(c), n) for c, n in files], **fields}
    return app.test_client().post(URL, data=data, headers=headers, content_type="multipart/form-data")


def _raw_post(app: Flask, headers: dict[str, str], content: bytes, name: str):  # type: ignore[no-untyped-def]
    """Post a form built here in memory (the test client spools large forms to unclosed files)."""
    body = (
        b"--b0undary\r\n"
        + f'Content-Disposition: form-data; name="file"; filename="{name}"\r\n'.encode()
        + b"Content-Type: application/pdf\r\n\r\n"
        + content
        + b"\r\n--b0undary--\r\n"
    )
    kind = "multipart/form-data; boundary=b0undary"
    return app.test_client().post(URL, data=body, headers=headers, content_type=kind)


def _listed(app: Flask, headers: dict[str, str]) -> list[dict]:
    answer = app.test_client().get(URL, headers=headers)
    assert answer.status_code == 200, answer.get_data(as_text=True)
    return answer.get_json()["items"]


def test_a_document_round_trips_with_its_name_and_hash(api: Services, app: Flask) -> None:
    start_smoke(api)
    auth = token(api, "portal", "documents", "read")

    attached = _post(app, auth, (PDF, "Entry 1234 (copy).pdf"), answers="information request 1")

    assert attached.status_code == 201, attached.get_data(as_text=True)
    [doc] = attached.get_json()["items"]
    assert doc["mediaType"] == "application/pdf"
    assert doc["answers"] == "information request 1"
    assert [d["id"] for d in _listed(app, auth)] == [doc["id"]]
    download = app.test_client().get(f"{URL}/{doc['id']}", headers=auth)
    assert download.status_code == 200
    assert download.data == PDF
    assert download.headers["Content-Disposition"].startswith('attachment; filename="Entry 1234 (copy).pdf"')
    case = app.test_client().get("/api/v1/cases/A-1", headers=auth).get_json()
    assert [d["id"] for d in case["documents"]] == [doc["id"]]


def test_an_oversize_document_is_refused_with_413_and_nothing_is_attached(api: Services, app: Flask) -> None:
    start_smoke(api)
    auth = token(api, "portal", "documents")
    api.settings = replace(api.settings, documents=replace(api.settings.documents, max_bytes=4096))

    small_enough_form = _post(app, auth, (PDF + b"x" * 5000, "big.pdf"))
    past_the_form = _raw_post(app, auth, PDF + b"x" * (2 * 1024 * 1024), "huge.pdf")

    for refused in (small_enough_form, past_the_form):
        assert refused.status_code == 413
        assert refused.mimetype == "application/problem+json"
    assert "4096" in problem(small_enough_form)["detail"]
    assert _listed(app, auth) == []


def test_a_document_whose_content_is_not_an_accepted_type_is_refused_with_415(
    api: Services, app: Flask
) -> None:
    start_smoke(api)
    auth = token(api, "portal", "documents")

    refused = _post(app, auth, (b"MZ\x90\x00\x03\x00 a program, named as a PDF", "invoice.pdf"))

    assert refused.status_code == 415
    body = problem(refused)
    assert "invoice.pdf" in body["detail"]
    assert "application/pdf" in body["accepted"]
    assert _listed(app, auth) == []


def test_names_with_a_path_or_control_characters_are_refused_with_422(api: Services, app: Flask) -> None:
    start_smoke(api)
    auth = token(api, "portal", "documents")

    for name in ("../../etc/passwd.pdf", "..\\boot.pdf", "a\x07b.pdf", "/abs.pdf"):
        refused = _post(app, auth, (PDF, name))
        assert refused.status_code in (400, 422), (name, refused.get_data(as_text=True))
        assert refused.mimetype == "application/problem+json"
    assert _listed(app, auth) == []


def test_the_documents_scope_is_needed_to_attach_list_and_download(api: Services, app: Flask) -> None:
    start_smoke(api)
    reader = token(api, "reader", "read")
    holder = token(api, "portal", "documents")
    [doc] = _post(app, holder, (PDF, "a.pdf")).get_json()["items"]

    for answer in (
        _post(app, reader, (PDF, "a.pdf")),
        app.test_client().get(URL, headers=reader),
        app.test_client().get(f"{URL}/{doc['id']}", headers=reader),
    ):
        assert answer.status_code == 403
        assert problem(answer)["requiredScope"] == "documents"
    assert app.test_client().get(URL).status_code == 401


def test_a_document_of_another_case_is_not_found(api: Services, app: Flask) -> None:
    start_smoke(api)
    start_smoke(api, "A-2")
    auth = token(api, "portal", "documents")
    [doc] = _post(app, auth, (PDF, "a.pdf")).get_json()["items"]

    assert app.test_client().get(f"/api/v1/cases/A-2/documents/{doc['id']}", headers=auth).status_code == 404
    assert app.test_client().get("/api/v1/cases/NOPE/documents", headers=auth).status_code == 404


def test_a_document_larger_than_other_request_bodies_but_within_its_limit_is_accepted(
    api: Services, app: Flask
) -> None:
    start_smoke(api)
    auth = token(api, "portal", "documents")
    scan = PDF + b"0" * (6 * 1024 * 1024)  # past the 4 MB every other request body is held to

    attached = _raw_post(app, auth, scan, "scan 2026-01.pdf")

    assert attached.status_code == 201, attached.get_data(as_text=True)[:300]
    [doc] = attached.get_json()["items"]
    assert doc["size"] == len(scan)
    assert app.test_client().get(f"{URL}/{doc['id']}", headers=auth).data == scan


def test_a_name_outside_ascii_is_kept_and_sent_back_safely(api: Services, app: Flask) -> None:
    start_smoke(api)
    auth = token(api, "portal", "documents")

    [doc] = _post(app, auth, (b"a,b\n1,2\n", "Déclaration (final).csv")).get_json()["items"]

    assert doc["name"] == "Déclaration (final).csv"
    assert doc["mediaType"] == "text/csv"
    disposition = app.test_client().get(f"{URL}/{doc['id']}", headers=auth).headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="Declaration (final).csv"; ')
    assert "filename*=UTF-8''D%C3%A9claration%20%28final%29.csv" in disposition
